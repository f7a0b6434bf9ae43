/**
 * After the send-out, on the local runtime's real handlers, DynamoDB Local
 * and the local SES inbox: each approved, confirmed signatory's contact gets
 * exactly one copy of the letter from the scheduler's tick (a second tick
 * sends nothing), and after the deadline exactly one delivery summary;
 * rejected, unconfirmed and erased signatories get nothing. The public
 * open-letter page answers 404 while off or before the send-out.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setDeps } from '../../../functions/adapters/deps.js';
import { systemClock } from '../../../functions/adapters/clock.js';
import { handler as scheduler } from '../../../functions/scheduler/handler.js';
import { apiCall } from '../../support/api.js';
import { mailsTo, useRuntime } from '../../support/runtime.js';
import { bilingualDraft, demarcheApi, signAs } from '../../support/signon.js';
import { settle, staffToken } from '../../support/staff.js';

const runtime = useRuntime({ schedulerTickMs: 0 });
const call = (method: string, path: string, token: string, body?: unknown) =>
  apiCall(runtime().httpUrl, method, path, token, body);
afterEach(() => setDeps({ clock: systemClock }));

const CONTACTS = {
  approved: 'contact@as-viasna.example.org',
  english: 'office@as-promolex.example.org',
  rejected: 'x@as-spam.example.org',
  unconfirmed: 'n@as-never.example.org',
  erased: 'gone@as-erased.example.org',
};

async function tick() {
  const out = await scheduler({ action: 'tick' });
  await settle(runtime());
  return out;
}

describe('signatories after the send-out', { timeout: 300_000 }, () => {
  it('one copy each after sending, one summary after the deadline, nothing to the rest; the open letter only when on and sent', async () => {
    const alice = await staffToken(['campaigner'], 'alice');
    const bob = await staffToken(['campaigner'], 'bob');
    const id = await bilingualDraft(
      runtime().httpUrl,
      alice,
      'email,name,organisation,group,country,language\n' +
        'claire@as-mae.example.org,Claire Roux,Ministère de l’Europe et des Affaires étrangères,minister,FR,fr\n' +
        'jan@as-mfa.example.org,Jan Novak,Ministry of Foreign Affairs,minister,CZ,en\n' +
        'ana@as-ngo.example.org,Ana Pop,Asociația Pro Democrația,ngo,RO,en\n',
    );
    const opened = await call('POST', `/api/campaigns/${id}/signon/open`, alice, {
      closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const invite = opened.json.inviteUrl as string;
    await signAs(runtime(), invite, { contactEmail: CONTACTS.approved });
    await signAs(runtime(), invite, {
      name: 'Promo-LEX <i>Moldova</i> & Co',
      latin: '',
      country: 'MD',
      website: 'https://promolex.md',
      contactName: 'Ion Manole',
      contactEmail: CONTACTS.english,
      lang: 'en',
    });
    await signAs(runtime(), invite, {
      name: 'Spam Org',
      latin: '',
      website: '',
      contactEmail: CONTACTS.rejected,
    });
    await signAs(
      runtime(),
      invite,
      { name: 'Never Confirmed', latin: '', website: '', contactEmail: CONTACTS.unconfirmed },
      false,
    );
    await signAs(runtime(), invite, {
      name: 'Erased Contact Org',
      latin: '',
      website: '',
      contactEmail: CONTACTS.erased,
    });
    const items = (await call('GET', `/api/campaigns/${id}/signon`, alice)).json.items as {
      id: string;
      contactEmail: string;
    }[];
    const sid = (email: string) => items.find((s) => s.contactEmail === email)!.id;
    for (const email of [CONTACTS.approved, CONTACTS.english, CONTACTS.erased])
      expect(
        (
          await call('POST', `/api/campaigns/${id}/signatories/${sid(email)}`, alice, {
            action: 'approve',
          })
        ).status,
      ).toBe(200);
    await call('POST', `/api/campaigns/${id}/signatories/${sid(CONTACTS.rejected)}`, alice, {
      action: 'reject',
    });
    const closed = await call('POST', `/api/campaigns/${id}/signon/close`, alice, {});
    const hash = (closed.json.version as { hash: string }).hash;

    // One contact asks to be forgotten before the send-out: the organisation stays listed, its contact gets nothing.
    const forgot = await call('POST', '/api/privacy/forget', alice, { email: CONTACTS.erased });
    expect(forgot.status, forgot.text).toBe(202);
    await runtime().jobs.drained();

    // The open-letter page: off by default (404), and turned on it still waits for the send-out.
    const viewer = await staffToken(['viewer'], 'vera');
    const signon = (await call('GET', `/api/campaigns/${id}/signon`, alice)).json;
    const openUrl = signon.openLetterUrl as string;
    expect(openUrl).toMatch(/\/s\/o\/[^/]+$/);
    expect((await fetch(openUrl)).status).toBe(404);
    expect(
      (await call('POST', `/api/campaigns/${id}/signon/open-letter`, viewer, { on: true })).status,
    ).toBe(403);
    expect(
      (await call('POST', `/api/campaigns/${id}/signon/open-letter`, alice, { on: 'yes' })).status,
    ).toBe(400);
    const turnedOn = await call('POST', `/api/campaigns/${id}/signon/open-letter`, alice, {
      on: true,
    });
    expect(turnedOn.status, turnedOn.text).toBe(200);
    expect(turnedOn.json.settings).toMatchObject({ openLetter: { on: true, by: 'alice' } });
    expect((await fetch(openUrl)).status).toBe(404);
    expect((await fetch(openUrl.replace(/.$/, (x) => (x === 'A' ? 'B' : 'A')))).status).toBe(404);

    // Before the send-out the tick sends nothing.
    const before = await tick();
    expect(before.signatoryMails).toEqual({ copies: 0, summaries: 0, failed: 0 });

    expect((await call('POST', `/api/campaigns/${id}/approve`, bob, { hash })).status).toBe(200);
    const launched = await call('POST', `/api/campaigns/${id}/launch`, alice, {});
    expect(launched.status, launched.text).toBeLessThan(300);
    await runtime().jobs.drained();
    await settle(runtime());
    for (let i = 0; i < 50; i++) {
      const c = (await runtime().deps().store.getCampaign(id))!;
      if (c.status === 'completed') break;
      await new Promise((r) => setTimeout(r, 200));
      await settle(runtime());
    }
    expect((await runtime().deps().store.getCampaign(id))!.status).toBe('completed');

    // The tick after the send-out, run twice at once (a retried invocation overlapping the
    // first): both read the same owed list, and the claims let one copy through per contact.
    const both = await Promise.all([scheduler({ action: 'tick' }), scheduler({ action: 'tick' })]);
    await settle(runtime());
    expect(both.reduce((n, r) => n + r.signatoryMails.copies, 0)).toBe(2);
    expect(both.reduce((n, r) => n + r.signatoryMails.failed, 0)).toBe(0);
    const count = async (to: string) => (await mailsTo(runtime(), [to])).length;
    // Confirmation + copy.
    expect(await count(CONTACTS.approved)).toBe(2);
    expect(await count(CONTACTS.english)).toBe(2);
    for (const to of [CONTACTS.rejected, CONTACTS.unconfirmed, CONTACTS.erased])
      expect(await count(to), to).toBe(1);
    const [, fr] = await mailsTo(runtime(), [CONTACTS.approved]);
    expect(fr!.subject).toMatch(/^Copie : /);
    expect(fr!.body.text).toContain('Voici votre copie de la lettre');
    expect(fr!.body.text).toContain('à 3 destinataires');
    // The letter itself, with the locked list, and nothing that tracks or unsubscribes.
    expect(fr!.body.html).toContain('Правозащитный центр «Весна»');
    expect(fr!.body.html).toContain('Promo-LEX');
    expect(fr!.body.html).not.toMatch(/\/(t\/o|t\/c|u|w)\/[^"]+/);
    const [, en] = await mailsTo(runtime(), [CONTACTS.english]);
    expect(en!.subject).toMatch(/^Copy: /);
    expect(en!.body.text).toContain('Dear Ion Manole,');

    // The copy links the open letter, now on and shown: the statement and the approved list,
    // escaped, no script, the sign-on pages' strict CSP.
    expect(fr!.body.text).toContain(openUrl);
    const open = await fetch(`${openUrl}?lang=fr`);
    expect(open.status).toBe(200);
    expect(open.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; style-src 'sha256-[^']+'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'$/,
    );
    expect(open.headers.get('content-language')).toBe('fr');
    const openHtml = await open.text();
    expect(openHtml).toContain('<html lang="fr"');
    expect(openHtml).toContain('Lettre ouverte');
    expect(openHtml).toContain('Cosignée par 3 organisations');
    expect(openHtml).toContain('Правозащитный центр «Весна»');
    expect(openHtml).toContain('Promo-LEX &lt;i&gt;Moldova&lt;/i&gt; &amp; Co');
    expect(openHtml).not.toContain('<i>Moldova');
    expect(openHtml).not.toContain('Spam Org');
    expect(openHtml).not.toContain('Never Confirmed');
    expect(openHtml).not.toMatch(/<script|\son\w+=/i);
    // No contact data on a public page.
    expect(openHtml).not.toContain('@as-');
    expect(openHtml).not.toContain('Nasta Loika');
    const openEn = await (await fetch(`${openUrl}?lang=en`)).text();
    expect(openEn).toContain('Co-signed by 3 organisations');

    // Turned off: 404 again; each change in the audit log.
    expect(
      (await call('POST', `/api/campaigns/${id}/signon/open-letter`, alice, { on: false })).status,
    ).toBe(200);
    expect((await fetch(openUrl)).status).toBe(404);
    const audit = (await call('GET', `/api/campaigns/${id}/audit`, alice)).json.items as {
      action: string;
      actor: string;
      detail?: string;
    }[];
    expect(audit.filter((e) => e.action === 'open-letter').map((e) => [e.actor, e.detail])).toEqual(
      expect.arrayContaining([
        ['alice', 'turned on'],
        ['alice', 'turned off'],
      ]),
    );

    // A second tick, and a retried one, send nothing again.
    expect((await tick()).signatoryMails).toEqual({ copies: 0, summaries: 0, failed: 0 });
    expect((await tick()).signatoryMails).toEqual({ copies: 0, summaries: 0, failed: 0 });
    expect(await count(CONTACTS.approved)).toBe(2);

    // After the deadline: one summary each, from the report's figures; again only once.
    const deadline = (await runtime().deps().store.getCampaign(id))!.statement.deadline;
    setDeps({ clock: { now: () => new Date(Date.parse(deadline) + 60_000) } });
    const late = await tick();
    expect(late.signatoryMails).toEqual({ copies: 0, summaries: 2, failed: 0 });
    expect((await tick()).signatoryMails).toEqual({ copies: 0, summaries: 0, failed: 0 });
    expect(await count(CONTACTS.approved)).toBe(3);
    expect(await count(CONTACTS.english)).toBe(3);
    for (const to of [CONTACTS.rejected, CONTACTS.unconfirmed, CONTACTS.erased])
      expect(await count(to), to).toBe(1);
    const summary = (await mailsTo(runtime(), [CONTACTS.english]))[2]!;
    expect(summary.subject).toMatch(/^Delivered: /);
    const text = summary.body.text ?? '';
    expect(text).toContain('3 of 3 letters sent were delivered');
    expect(text).toContain('Ministers and governments: 2 of 2 delivered');
    expect(text).toContain('- Ministry of Foreign Affairs');
    expect(text).toContain('Member organisations: 1 of 1 delivered');
    // Institutions, never the people in them.
    expect(text).not.toContain('Jan Novak');
    expect(text).not.toContain('@as-');
    const frSummary = (await mailsTo(runtime(), [CONTACTS.approved]))[2]!;
    expect(frSummary.subject).toMatch(/^Remise : /);

    // The command shows how far each went, and the open-letter state.
    const cli = await demarcheApi(runtime().httpUrl, alice, 'signatories', id);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/^approved .*Promo-LEX.*\(copy sent, summary sent\)$/m);
    expect(cli.stdout).not.toContain('Open-letter page on');

    // Each mail is recorded on the signatory for staff (its SES id), under the same retention.
    const after = (await call('GET', `/api/campaigns/${id}/signon?state=approved`, alice)).json
      .items as Record<string, unknown>[];
    const viasna = after.find((s) => s.contactEmail === CONTACTS.approved)!;
    expect(viasna).toMatchObject({
      copyAt: expect.any(String),
      copyMessageId: expect.any(String),
      summaryAt: expect.any(String),
      summaryMessageId: expect.any(String),
    });
  });
});
