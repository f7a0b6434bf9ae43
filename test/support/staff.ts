/**
 * Helpers for the staff API and dashboard tests: tokens signed with the local
 * runtime's key (as `npm start`'s login link is), a seeded campaign sent by
 * the real sender, and a reply item as the replies store keeps it.
 */
import { createTransport } from 'nodemailer';
import { ENV } from '../../functions/adapters/config.js';
import { issueLocalToken } from '../../functions/adapters/staff-auth.js';
import type { Campaign } from '../../functions/core/campaign.js';
import { createCampaign, launchCampaign } from '../../functions/core/launch.js';
import { importRecipients } from '../../functions/core/recipients.js';
import type { Reply } from '../../functions/core/replies/types.js';
import { parseStatement } from '../../functions/core/statement.js';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { FUTURE_DEADLINE, letterMjml, sharedSample } from './fixtures.js';
import { mailsTo } from './runtime.js';

export function staffToken(
  groups: ('campaigner' | 'viewer')[],
  sub = `staff-${groups.join('-') || 'none'}`,
) {
  return issueLocalToken(process.env[ENV.authKeyFile]!, {
    sub,
    email: `${sub}@example.org`,
    groups,
  });
}

/** A mixed list: ministers, EU institutions and NGOs in several countries. */
export function mixedCsv(n: number, tag = 'mix'): string {
  const groups = ['minister', 'eu-institution', 'ngo'];
  const countries = ['FR', 'DE', 'PL', 'BE', 'LT'];
  const rows = ['email,name,title,organisation,country,language,group'];
  for (let i = 0; i < n; i++) {
    const group = groups[i % 3]!;
    rows.push(
      `person${i}@${tag}-${group}.example.org,Person ${i} Nowak,${group === 'minister' ? 'Minister' : ''},Organisation ${i},${countries[i % 5]},en,${group}`,
    );
  }
  return rows.join('\n') + '\n';
}

export function belarusStatement(deadline = FUTURE_DEADLINE()) {
  return parseStatement(sharedSample(), 'belarus.txt', {
    deadline,
    subject: 'Belarus: joint statement ahead of the Foreign Affairs Council',
    from: {
      name: 'Eastern Partnership Civil Society Forum',
      address: 'forum@demarche.example.org',
    },
    replyToDomain: 'replies.demarche.example.org',
    meeting: 'Foreign Affairs Council',
    language: 'en',
  });
}

/** Creates a campaign over `csv`, launches it and waits until the local queue has sent every letter. */
export async function sentCampaign(runtime: LocalRuntime, csv: string): Promise<Campaign> {
  const d = runtime.deps();
  const { recipients } = importRecipients(csv);
  const { campaign } = await createCampaign(d, {
    statement: belarusStatement(),
    recipients,
    recipientCount: recipients.length,
    mjml: letterMjml(),
  });
  await launchCampaign(d, campaign.id);
  await settle(runtime);
  return (await d.store.getCampaign(campaign.id))!;
}

/** Waits until the send queue and, where the runtime has one, the SES events queue are empty. */
export async function settle(runtime: LocalRuntime): Promise<void> {
  await runtime.queue.drained();
  const events = (runtime as { eventsQueue?: { drained(): Promise<void> } }).eventsQueue;
  await events?.drained();
}

/**
 * Answers a sent letter as its recipient would: over SMTP to the local
 * runtime's reply server, to the letter's own Reply-To address; resolves once
 * the reply is stored for the campaign.
 */
export async function replyOverSmtp(
  runtime: LocalRuntime,
  campaignId: string,
  recipientEmail: string,
  message: { subject: string; text: string; html?: string; fromName?: string },
): Promise<Reply> {
  const [letter] = await mailsTo(runtime, [recipientEmail]);
  if (!letter) throw new Error(`no letter was sent to ${recipientEmail}`);
  const before = (await runtime.deps().replies.listReplies(campaignId, { limit: 200 })).items
    .length;
  const smtpPort = (runtime as unknown as { smtpPort: number }).smtpPort;
  const transport = createTransport({
    host: '127.0.0.1',
    port: smtpPort,
    secure: false,
    ignoreTLS: true,
  });
  await transport.sendMail({
    from: { name: message.fromName ?? 'Office of the Minister', address: recipientEmail },
    to: letter.replyTo[0]!,
    subject: message.subject,
    text: message.text,
    ...(message.html ? { html: message.html } : {}),
    inReplyTo: `<${letter.messageId}@email.amazonses.com>`,
  });
  transport.close();
  for (let i = 0; i < 200; i++) {
    const page = await runtime.deps().replies.listReplies(campaignId, { limit: 200 });
    if (page.items.length > before) return page.items[0]!;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the reply was not stored');
}
