/**
 * Letters on the real local services: a campaign in three languages sent
 * through the sender, the local SES endpoint and DynamoDB Local; the web
 * version served by the local HTTP layer; a test letter outside any campaign.
 */
import { describe, expect, it } from 'vitest';
import { readStatement } from '../../functions/cli/statement-file.js';
import { testSendCommand } from '../../functions/cli/commands/test-send.js';
import { compileStats } from '../../functions/core/letter.js';
import { createCampaign, launchCampaign } from '../../functions/core/launch.js';
import { importRecipients } from '../../functions/core/recipients.js';
import type { StoredEmail } from '../../functions/local/ses.js';
import { sesStore } from '../../functions/local/ses.js';
import { FUTURE_DEADLINE, letterMjml, repoPath } from '../support/fixtures.js';
import { mailsTo, useRuntime } from '../support/runtime.js';

const runtime = useRuntime();

const CSV = `email,name,title,organisation,country,language,group,salutation
beate@mfa.example.at,Beate Hofmann,Ministerin,Bundesministerium für europäische und internationale Angelegenheiten,AT,de,minister,Sehr geehrte Frau Bundesministerin
luc@diplomatie.example.be,Luc Dubois,Ministre,SPF Affaires étrangères,BE,fr,minister,
ana@ngo.example.ro,Ana Popescu,,Asociația Civică,RO,en,ngo,
marie@ngo.example.fr,Marie Lefèvre,,Ligue des droits,FR,fr,ngo,
hr@eeas.example.eu,Kaja Kallas,High Representative,European External Action Service,EE,et,eu-institution,
`;

const webLink = (html: string) => /href="([^"]+\/w\/[^"]+)"/.exec(html)?.[1];

describe('letters in their recipients’ languages', () => {
  const recipients = importRecipients(CSV).recipients;
  let mails: StoredEmail[] = [];
  let campaignId = '';

  it('delivers each letter in its recipient’s language, compiling once per language', async () => {
    const statement = readStatement(repoPath('examples/statement.md'), () => ({
      deadline: FUTURE_DEADLINE(),
    }));
    const d = runtime().deps();
    const before = compileStats.count;
    const { campaign, templates } = await createCampaign(d, {
      statement,
      recipients,
      recipientCount: recipients.length,
      mjml: letterMjml(),
    });
    campaignId = campaign.id;
    expect(templates.map((t) => t.language)).toEqual(['en', 'de', 'fr']);
    expect(compileStats.count - before).toBe(3);
    await launchCampaign(d, campaign.id);
    await runtime().queue.drained();
    // Five letters went out and the sender compiled nothing: it only merges.
    expect(compileStats.count - before).toBe(3);

    mails = await mailsTo(
      runtime(),
      recipients.map((r) => r.email),
    );
    expect(mails).toHaveLength(5);
    const to = (email: string) => mails.find((m) => m.destination.to[0] === email)!;

    const beate = to('beate@mfa.example.at');
    expect(beate.subject).toContain('Gemeinsame Erklärung');
    expect(beate.body.html).toContain('lang="de"');
    expect(beate.body.html).toContain('Sehr geehrte Frau Bundesministerin,');
    expect(beate.body.text).toContain('DEN ZIVILGESELLSCHAFTLICHEN RAUM');

    const luc = to('luc@diplomatie.example.be');
    expect(luc.subject).toContain('Déclaration commune');
    expect(luc.body.html).toContain('Madame la Ministre, Monsieur le Ministre,');
    expect(luc.body.html).toContain('SPF Affaires étrangères');
    expect(luc.body.html).not.toContain('/t/o/');
    expect(luc.body.html).not.toContain('/u/');

    const marie = to('marie@ngo.example.fr');
    expect(marie.body.html).toContain('Chères et chers collègues de Ligue des droits,');
    expect(marie.body.html).toContain('Se désabonner');
    expect(marie.body.html).toContain('/t/o/');

    const ana = to('ana@ngo.example.ro');
    expect(ana.subject).toBe(statement.subject);
    expect(ana.body.html).toContain('Dear colleagues at Asociația Civică,');
    expect(ana.body.html).toContain('Unsubscribe');

    // Estonian was not translated: the campaign default, English.
    const kaja = to('hr@eeas.example.eu');
    expect(kaja.body.html).toContain('lang="en"');
    expect(kaja.body.html).toContain('Dear High Representative Kallas,');
    expect(kaja.from).toContain('Civic Space Coalition');
  });

  it('serves the same personalised letter at its "view in browser" address', async () => {
    const luc = mails.find((m) => m.destination.to[0] === 'luc@diplomatie.example.be')!;
    const url = webLink(luc.body.html!)!;
    expect(url.startsWith(`${runtime().httpUrl}/w/`)).toBe(true);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    // An official's letter has no pixel: the web version is the very same letter, less
    // its own "view in browser" link, as the page's main content.
    const web = await res.text();
    const inner = (html: string) => /<body[^>]*>([\s\S]*)<\/body>/.exec(html)![1]!;
    expect(web).not.toContain('/w/');
    expect(
      inner(web)
        .replace(/^<main>/, '')
        .replace(/(<div class="dm-version"[\s\S]*)?<\/main>$/, ''),
    ).toBe(inner(luc.body.html!).replace(/<a href="[^"]*\/w\/[^"]*"[^>]*>[^<]*<\/a>/, ''));

    const marie = mails.find((m) => m.destination.to[0] === 'marie@ngo.example.fr')!;
    const page = await (await fetch(webLink(marie.body.html!)!)).text();
    expect(page).toContain('Chères et chers collègues de Ligue des droits,');
    // Viewing the web version is not an open: no pixel there.
    expect(page).not.toContain('/t/o/');
  });

  it('answers a forged, altered or foreign token with 404 and shows nothing', async () => {
    const luc = mails.find((m) => m.destination.to[0] === 'luc@diplomatie.example.be')!;
    const url = webLink(luc.body.html!)!;
    const token = url.split('/w/')[1]!;
    const [payload, mac] = token.split('.') as [string, string];
    const ana = recipients.find((r) => r.email === 'ana@ngo.example.ro')!;
    const forged = [
      `${payload}.${mac.slice(0, -2)}AA`,
      `${campaignId}~${ana.id}.${mac}`,
      'nothing',
      encodeURIComponent('<script>alert(1)</script>'),
      '%E0%A4%A',
      'a'.repeat(5000),
      // An unsubscribe token is signed too, but never opens a letter.
      /href="[^"]+\/u\/([^"]+)"/.exec(
        mails.find((m) => m.destination.to[0] === ana.email)!.body.html!,
      )![1]!,
    ];
    for (const t of forged) {
      const res = await fetch(`${runtime().httpUrl}/w/${t}`);
      expect(res.status).toBe(404);
      const body = await res.text();
      expect(body).not.toContain('Ana Popescu');
      expect(body).not.toContain('<script>');
    }
  });

  it('sends a test letter marked as such, counted in no campaign', async () => {
    const d = runtime().deps();
    const countersBefore = await d.store.counters(campaignId);
    const campaignsBefore = (await d.store.listCampaigns(100)).length;
    const { messageId } = await testSendCommand({
      statement: repoPath('examples/statement.md'),
      to: 'Tester@Coalition.example.org',
      name: 'Jonas Müller',
      group: 'ngo',
      lang: 'de',
      runtime: runtime(),
    });
    const mail = (await sesStore(runtime().sesEndpoint)).find((m) => m.messageId === messageId)!;
    expect(mail.destination.to).toEqual(['tester@coalition.example.org']);
    expect(mail.subject).toMatch(/^\[TEST\] Gemeinsame Erklärung/);
    expect(mail.body.html).toContain('Jonas Müller');
    expect(await d.store.counters(campaignId)).toEqual(countersBefore);
    expect((await d.store.listCampaigns(100)).length).toBe(campaignsBefore);
  });

  it('refuses a test letter to something that is not an address, naming it', async () => {
    await expect(
      testSendCommand({
        statement: repoPath('examples/statement.md'),
        to: 'someone\r\nBcc: victim@example.org',
        runtime: runtime(),
      }),
    ).rejects.toThrow(/--to .* is not an email address/);
  });
});
