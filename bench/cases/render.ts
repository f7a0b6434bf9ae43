/**
 * render: per-recipient composition after one MJML compile. The shared
 * sample statement is compiled once, then `letterFor` (merge, signed tracking
 * links and reply token, raw MIME with base64 parts) runs for 20,000
 * synthetic recipients on one core. In the same run, a sample of letters is
 * rendered the way we refuse to: MJML compiled per recipient (then merged and
 * composed the same way). Goal: ≥ 5,000 raw messages per second and a ratio
 * ≥ 100 to MJML per recipient. Also reports the MailComposer-per-message rate
 * the MIME skeleton replaces, and the message and HTML sizes.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { Campaign, CampaignRecipient } from '../../functions/core/campaign.js';
import { letterFor } from '../../functions/core/compose.js';
import { compileLetter, compileStats } from '../../functions/core/letter.js';
import { parseStatement } from '../../functions/core/statement.js';
import type { BenchResult } from '../types.js';
import { round, syntheticRecipients } from '../support.js';
import { parseKeyRing } from '../../functions/core/key-ring.js';

const path = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

export async function run(): Promise<BenchResult> {
  const statement = parseStatement(
    readFileSync(path('../shared/samples/statement-belarus-2020.txt'), 'utf8'),
    'belarus.txt',
    {
      deadline: '2030-01-10T09:00:00+01:00',
      from: { name: 'EaP Civil Society Forum', address: 'forum@example.org' },
      replyToDomain: 'replies.example.org',
      language: 'en',
      postalAddress: 'Rue de l’Industrie 10, 1000 Brussels, Belgium',
    },
  );
  const template = await compileLetter(
    statement,
    readFileSync(path('templates/letter.mjml'), 'utf8'),
  );
  const campaign: Campaign = {
    id: 'cbench',
    status: 'sending',
    statement,
    languages: ['en'],
    recipientCount: 0,
    dryRun: false,
    createdAt: new Date().toISOString(),
  };
  const recipients: CampaignRecipient[] = [...syntheticRecipients(1000)].map((r) => ({
    ...r,
    campaignId: campaign.id,
    state: 'claimed',
  }));
  const links = {
    publicUrl: 'https://t.example.org',
    keys: parseKeyRing('bench-secret-for-letter-links-00000'),
  };
  const compilesBefore = compileStats.count;

  // Warm up, then measure for a fixed number of messages.
  for (let i = 0; i < 2000; i++) letterFor(campaign, template, recipients[i % 1000]!, links);
  const n = 20_000;
  let bytes = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++)
    // The bytes SES is given (as the mailer makes them), so the string is really built.
    bytes += Buffer.from(
      letterFor(campaign, template, recipients[i % 1000]!, links).raw!,
      'utf8',
    ).length;
  const cpu = process.cpuUsage(cpu0);
  const compilesDuringMerge = compileStats.count - compilesBefore;
  const seconds = (performance.now() - t0) / 1000;
  // CPU time is the one-core figure on a shared machine; wall time is shown beside it.
  const perSecond = n / ((cpu.user + cpu.system) / 1e6);
  const wallPerSecond = n / seconds;

  // The alternative: MailComposer building every message whole.
  const m = 500;
  const t1 = performance.now();
  for (let i = 0; i < m; i++) {
    const l = letterFor(campaign, template, recipients[i % 1000]!, links);
    await new MailComposer({
      from: l.from,
      to: l.to,
      replyTo: l.replyTo,
      subject: l.subject,
      html: l.html,
      text: l.text,
      headers: l.headers,
    })
      .compile()
      .build();
  }
  const composerPerSecond = m / ((performance.now() - t1) / 1000);

  // The way we refuse to work: MJML compiled for every recipient (CPU time, same measure as above).
  const sample = 40;
  const mjml = readFileSync(path('templates/letter.mjml'), 'utf8');
  const cpu2 = process.cpuUsage();
  for (let i = 0; i < sample; i++) {
    const own = await compileLetter(statement, mjml);
    letterFor(campaign, own, recipients[i]!, links);
  }
  const cpuMjml = process.cpuUsage(cpu2);
  const mjmlPerSecond = sample / ((cpuMjml.user + cpuMjml.system) / 1e6);
  const ratio = perSecond / mjmlPerSecond;

  return {
    name: 'render',
    figures: {
      messages: n,
      rawMessagesPerCpuSecond: round(perSecond, 0),
      mjmlPerRecipientPerCpuSecond: round(mjmlPerSecond, 1),
      ratioToMjmlPerRecipient: round(ratio, 0),
      rawMessagesPerWallSecond: round(wallPerSecond, 0),
      mailComposerPerMessagePerSecond: round(composerPerSecond, 0),
      avgRawBytes: round(bytes / n, 0),
      htmlBytes: Buffer.byteLength(template.html),
      mjmlCompilesDuringMerge: compilesDuringMerge,
    },
    goal: '≥ 5,000 raw messages/s on one core after one MJML compile, ratio ≥ 100 to MJML per recipient, no MJML run per recipient',
    pass: perSecond >= 5000 && ratio >= 100 && compilesDuringMerge === 0,
  };
}
