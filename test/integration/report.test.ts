/**
 * The proof-of-delivery report of a campaign really sent through the local
 * runtime: SES events record delivery, a person opens the letter through the
 * open pixel route, and a minister replies over SMTP; the report command
 * writes report.html and a PDF printed by Chromium. Also: planning a stored
 * campaign reads its pending letters through the store.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { pdfPages, reportCommand } from '../../functions/cli/commands/report.js';
import { createCampaign, launchCampaign } from '../../functions/core/launch.js';
import { openPixelUrl, replyAddress } from '../../functions/core/links.js';
import { planCampaign } from '../../functions/core/planner/campaign-plan.js';
import { importRecipients } from '../../functions/core/recipients.js';
import { parseStatement } from '../../functions/core/statement.js';
import { FUTURE_DEADLINE, letterMjml, sharedSample } from '../support/fixtures.js';
import { useRuntime } from '../support/runtime.js';

const runtime = useRuntime();
const REPLY_DOMAIN = 'replies.demarche.example.org';
const HOSTILE = `<img src=x onerror="alert('pwned')"> Dubois & "Co"`;
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

const csv = [
  'email,name,title,organisation,country,language,group',
  `minister@diplomatie.example.be,${JSON.stringify(HOSTILE).replace(/\\"/g, '""')},Minister,Federal Public Service Foreign Affairs,BE,en,minister`,
  'ministre@diplomatie.example.fr,Claire Lefèvre,Minister,Ministère de l’Europe et des Affaires étrangères,FR,en,minister',
  'minister@mfa.example.fi,Mikko Virtanen,Minister,Ministry for Foreign Affairs,FI,en,minister',
  'office@eeas.example.eu,Office of the High Representative,,European External Action Service,BE,en,eu-institution',
  'info@civic.example.org,Civic Space Watch,,Civic Space Watch,PL,en,ngo',
].join('\n');

function statement(deadline = FUTURE_DEADLINE()) {
  return parseStatement(sharedSample(), 'belarus.txt', {
    deadline,
    subject: 'Belarus: joint statement ahead of the Foreign Affairs Council',
    meeting: 'Foreign Affairs Council',
    from: {
      name: 'Eastern Partnership Civil Society Forum',
      address: 'forum@demarche.example.org',
    },
    replyToDomain: REPLY_DOMAIN,
    language: 'en',
  });
}

describe('the proof-of-delivery report', () => {
  it('writes report.html and a readable report.pdf for a campaign sent through the local runtime', async () => {
    const rt = runtime();
    const d = rt.deps();
    const { recipients, problems } = importRecipients(csv);
    expect(problems).toEqual([]);
    const { campaign } = await createCampaign(d, {
      statement: statement(),
      recipients,
      recipientCount: recipients.length,
      mjml: letterMjml(),
    });
    await launchCampaign(d, campaign.id);
    await rt.queue.drained();
    await rt.eventsQueue.drained();

    const keys = await d.keys();
    const be = recipients.find((r) => r.country === 'BE' && r.group === 'minister')!;
    const ngo = recipients.find((r) => r.group === 'ngo')!;
    // Civic Space Watch opens the letter in its mail client (officials' letters carry no pixel)…
    const open = await fetch(
      openPixelUrl({ publicUrl: rt.httpUrl, keys, campaignId: campaign.id, recipientId: ngo.id }),
      { headers: { 'user-agent': FIREFOX } },
    );
    expect(open.status).toBe(200);
    // …and the Belgian minister's office replies, with markup in the text.
    const smtp = nodemailer.createTransport({
      host: '127.0.0.1',
      port: rt.smtpPort,
      secure: false,
      ignoreTLS: true,
    });
    await smtp.sendMail({
      from: `Cabinet <${be.email}>`,
      to: replyAddress({ keys, campaignId: campaign.id, recipientId: be.id }, REPLY_DOMAIN),
      subject: 'Re: Belarus: joint statement',
      text: 'Thank you for the statement. The minister will raise <b>Belarus</b> at the Council & reply.\n\nOn Monday, forum wrote:\n> We are dismayed at the continued violation',
    });
    await rt.eventsQueue.drained();

    const out = mkdtempSync(join(tmpdir(), 'demarche-report-'));
    const written = await reportCommand(campaign.id, { runtime: rt, out });
    expect(written.html).toBe(join(out, 'report.html'));
    expect(written.pdf).toBe(join(out, 'report.pdf'));

    const html = readFileSync(written.html, 'utf8');
    // The hostile name is shown, as text.
    expect(html).not.toContain('<img src=x');
    expect(html).toContain(
      '&lt;img src=x onerror=&quot;alert(&#39;pwned&#39;)&quot;&gt; Dubois &amp; &quot;Co&quot;',
    );
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("default-src 'none'");
    // The statement, grouped recipients and the figures.
    expect(html).toContain(
      'Statement on the continued violation of the fundamental rights of the Belarusian people',
    );
    expect(html).toContain('Ministers and governments');
    expect(html).toContain('EU institutions');
    expect(html).toContain('Member organisations');
    expect(html).toContain('Finland (FI)');
    const figures = [
      ...html.matchAll(/<span class="n">(\d+)<\/span><span class="label">([^<]+)</g),
    ].map((m) => [m[2], Number(m[1])]);
    expect(Object.fromEntries(figures)).toMatchObject({
      recipients: 5,
      'letters sent': 5,
      delivered: 5,
      'opened by a person': 1,
      replied: 1,
    });
    // The reply's new text, escaped, without the quoted letter.
    expect(html).toContain(
      'The minister will raise &lt;b&gt;Belarus&lt;/b&gt; at the Council &amp; reply.',
    );
    expect(html).not.toContain('&gt; We are dismayed');
    // Each row: sent and delivered times for all; the open only for Civic Space Watch;
    // officials' opens are not tracked.
    const rowOf = (name: string) => html.slice(html.indexOf(name)).split('</tr>')[0]!;
    expect(rowOf('<strong>Civic Space Watch').match(/<time /g)).toHaveLength(3);
    expect(rowOf('Mikko Virtanen').match(/<time /g)).toHaveLength(2);
    expect(rowOf('Mikko Virtanen')).toContain('not tracked');

    const pdf = readFileSync(written.pdf!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(written.pages).toBeGreaterThanOrEqual(2);
    expect(pdfPages(pdf)).toBe(written.pages);
    // Poppler renders every page.
    execFileSync('pdftoppm', ['-png', '-r', '40', written.pdf!, join(out, 'page')]);
    expect(readdirSync(out).filter((f) => /^page-\d+\.png$/.test(f))).toHaveLength(written.pages!);
  });

  it('refuses a campaign that does not exist, naming it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'demarche-report-'));
    await expect(reportCommand('c-missing', { runtime: runtime(), out })).rejects.toThrow(
      'campaign c-missing not found',
    );
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('planning a stored campaign', () => {
  it('plans the letters still pending, against the statement’s deadline', async () => {
    const d = runtime().deps();
    const { recipients } = importRecipients(csv.replaceAll('.example', '.plan.example'));
    const { campaign } = await createCampaign(d, {
      statement: statement('2027-03-10T09:00:00+01:00'),
      recipients,
      recipientCount: recipients.length,
      mjml: letterMjml(),
    });
    const plan = await planCampaign(d, campaign.id, {
      rate: 1 / 3600,
      earliestStart: new Date('2027-03-08T06:00:00+01:00'),
    });
    expect(plan.feasible).toBe(true);
    expect(plan.deadline).toBe('2027-03-10T08:00:00.000Z');
    expect(plan.sends.map((s) => s.recipientId).sort()).toEqual(recipients.map((r) => r.id).sort());
    expect(plan.zones.map((z) => z.zone).sort()).toEqual([
      'Europe/Brussels',
      'Europe/Helsinki',
      'Europe/Paris',
      'Europe/Warsaw',
    ]);
  });
});
