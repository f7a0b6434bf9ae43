/**
 * Coalition sign-on end to end on the local runtime (DynamoDB Local, the SES
 * endpoint and its inbox, the HTTP server in front of the real handlers):
 * the public page and form, the confirmation mail and its link, moderation
 * through the staff API, the lock into the content version on close, and
 * the abuse rules (honeypot, one signature per address, rate limits, forged
 * links).
 */
import { describe, expect, it } from 'vitest';
import { apiCall } from '../../support/api.js';
import { mailsTo, useRuntime } from '../../support/runtime.js';
import { staffToken } from '../../support/staff.js';
import {
  bilingualDraft,
  confirmLink as confirmSignLink,
  demarcheApi,
  postForm,
  signonForm,
} from '../../support/signon.js';

const runtime = useRuntime();
const call = (method: string, path: string, token: string, body?: unknown) =>
  apiCall(runtime().httpUrl, method, path, token, body);

const demarche = (token: string, ...args: string[]) =>
  demarcheApi(runtime().httpUrl, token, ...args);

const draft = (alice: string, tag: string) =>
  bilingualDraft(
    runtime().httpUrl,
    alice,
    `email,name,group,country,language\nana@${tag}.example.org,Ana Pop,ngo,RO,en\nclaire@${tag}.example.org,Claire Roux,minister,FR,fr\n`,
  );

const form = signonForm;
const post = postForm;
const confirmLink = (to: string) => confirmSignLink(runtime(), to);

describe('coalition sign-on', { timeout: 300_000 }, () => {
  it('an organisation signs from the public link, confirms from its mail, is approved and locked into the version', async () => {
    const alice = await staffToken(['campaigner'], 'alice');
    const bob = await staffToken(['campaigner'], 'bob');
    const id = await draft(alice, 'so1');
    const closesAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const opened = await call('POST', `/api/campaigns/${id}/signon/open`, alice, { closesAt });
    expect(opened.status, opened.text).toBe(200);
    const invite = opened.json.inviteUrl as string;
    expect(invite).toMatch(/\/s\/[^/]+$/);

    // The page in French: the statement read-only, no signatory yet, the form; strict CSP.
    const page = await fetch(`${invite}?lang=fr`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; style-src 'sha256-/,
    );
    const html = await page.text();
    expect(html).toContain('<html lang="fr"');
    expect(html).toContain('Signer la déclaration');
    expect(html).toContain('Aucune organisation n’a encore confirmé sa signature.');
    expect(html).not.toMatch(/<script/i);

    // A signature: 303 back to the page, one confirmation mail, and nothing shown until it is confirmed.
    const sent = await post(invite, form({}));
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toMatch(/\?sent=1&lang=fr$/);
    const link = await confirmLink('contact@spring96.example.org');
    expect((await mailsTo(runtime(), ['contact@spring96.example.org'])).length).toBe(1);
    const [mail] = await mailsTo(runtime(), ['contact@spring96.example.org']);
    expect(mail!.subject).toMatch(/^Merci de confirmer votre signature/);
    expect(await (await fetch(invite)).text()).not.toContain('Весна');
    const listed = await call('GET', `/api/campaigns/${id}/signon`, alice);
    expect(listed.json.counts).toMatchObject({ pending: 1, confirmed: 0 });

    // The same address again is refused; the mail is not sent again.
    const again = await post(invite, form({ name: 'Viasna again' }));
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('Cette adresse e-mail a déjà servi');
    expect((await mailsTo(runtime(), ['contact@spring96.example.org'])).length).toBe(1);

    // A pending signature cannot be approved.
    const sid = (listed.json.items as { id: string }[])[0]!.id;
    const early = await call('POST', `/api/campaigns/${id}/signatories/${sid}`, alice, {
      action: 'approve',
    });
    expect(early.status).toBe(409);

    // The link's GET shows a button and changes nothing (mail scanners open links); the POST confirms.
    const confirmPage = await fetch(link);
    expect(await confirmPage.text()).toContain('Confirmer la signature');
    expect((await call('GET', `/api/campaigns/${id}/signon`, alice)).json.counts).toMatchObject({
      pending: 1,
    });
    const confirmed = await fetch(link, { method: 'POST' });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('la signature est confirmée');
    expect(await (await fetch(invite)).text()).toContain('Правозащитный центр «Весна»');

    // A second organisation signs and confirms, and is rejected: it never reaches the letter.
    expect(
      (
        await post(
          invite,
          form({ name: 'Spam Org', latin: '', contactEmail: 'x@spam.example.org', website: '' }),
        )
      ).status,
    ).toBe(303);
    await fetch(await confirmLink('x@spam.example.org'), { method: 'POST' });
    // A third signs and never confirms.
    expect(
      (
        await post(
          invite,
          form({
            name: 'Never Confirmed',
            latin: '',
            contactEmail: 'n@never.example.org',
            website: '',
          }),
        )
      ).status,
    ).toBe(303);
    const all = (await call('GET', `/api/campaigns/${id}/signon`, alice)).json.items as {
      id: string;
      name: string;
    }[];
    const spam = all.find((s) => s.name === 'Spam Org')!;
    expect(
      (await call('POST', `/api/campaigns/${id}/signatories/${sid}`, alice, { action: 'approve' }))
        .status,
    ).toBe(200);
    expect(
      (
        await call('POST', `/api/campaigns/${id}/signatories/${spam.id}`, alice, {
          action: 'reject',
        })
      ).status,
    ).toBe(200);

    // Approval is refused while sign-on is open.
    const versions = await call('GET', `/api/campaigns/${id}/versions`, alice);
    const v1 = (versions.json.versions as { hash: string }[]).at(-1)!.hash;
    const refused = await call('POST', `/api/campaigns/${id}/approve`, bob, { hash: v1 });
    expect(refused.status).toBe(409);
    expect(refused.json.message).toMatch(/sign-on is still open/);

    // Close: a new version whose statement holds the approved list; the page takes no more.
    const closed = await call('POST', `/api/campaigns/${id}/signon/close`, alice, {});
    expect(closed.status, closed.text).toBe(200);
    const v2 = closed.json.version as { hash: string; signatories: number };
    expect(v2.signatories).toBe(1);
    expect(v2.hash).not.toBe(v1);
    expect((await fetch(invite)).status).toBe(410);

    // The preview of each language lists it, the country in the letter's language.
    for (const [recipient, country] of [
      ['ana@so1.example.org', 'Belarus'],
      ['claire@so1.example.org', 'Biélorussie'],
    ] as const) {
      const rid = (
        (await call('GET', `/api/campaigns/${id}/recipients`, alice)).json.items as {
          id: string;
          email: string;
        }[]
      ).find((r) => r.email === recipient)!.id;
      const preview = await call('POST', `/api/campaigns/${id}/preview`, alice, {
        recipientId: rid,
      });
      expect(preview.status, preview.text).toBe(200);
      const p = preview.json as { html: string; text: string };
      expect(p.html).toContain('Правозащитный центр «Весна»');
      expect(p.html).toContain(country);
      expect(p.text).toContain('Human Rights Centre Viasna');
      expect(p.html).not.toContain('Spam Org');
      expect(p.html).not.toContain('Never Confirmed');
    }

    // Approved, then changed: the rename makes a new version and the approval no longer covers it.
    expect(
      (await call('POST', `/api/campaigns/${id}/approve`, bob, { hash: v2.hash })).status,
    ).toBe(200);
    const renamed = await call('POST', `/api/campaigns/${id}/signatories/${sid}/edit`, alice, {
      displayName: 'Viasna Human Rights Centre',
    });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.json.told).toBe(true);
    const v3 = renamed.json.version as { hash: string };
    expect(v3.hash).not.toBe(v2.hash);
    expect((await mailsTo(runtime(), ['contact@spring96.example.org'])).length).toBe(2);
    const launch = await call('POST', `/api/campaigns/${id}/launch`, alice, {});
    expect(launch.status).toBe(409);
    expect(launch.json.code).toBe('APPROVAL_REQUIRED');

    // The audit log has each step under its actor.
    const log = (await call('GET', `/api/campaigns/${id}/audit`, alice)).json.items as {
      action: string;
      actor: string;
    }[];
    for (const action of [
      'signon-opened',
      'signatory-approved',
      'signatory-rejected',
      'signon-closed',
      'signatory-edited',
    ])
      expect(log.find((e) => e.action === action)?.actor, action).toBe('alice');

    // CSV export and the full-list page.
    const csv = await call('GET', `/api/campaigns/${id}/signatories.csv?state=approved`, alice);
    expect(csv.text.split('\r\n')[1]).toMatch(/^approved,Viasna Human Rights Centre,/);
    // The command shows the same data as the API.
    const cli = await demarche(alice, 'signatories', id, '--json');
    expect(cli.code, cli.stderr).toBe(0);
    const api = await call('GET', `/api/campaigns/${id}/signon`, alice);
    expect(JSON.parse(cli.stdout)).toEqual(api.json);
    const cliCsv = await demarche(alice, 'signatories', id, '--csv', '--state', 'approved');
    expect(cliCsv.stdout).toBe(csv.text.replace(/^\uFEFF/, ''));
    const text = await demarche(alice, 'signatories', id);
    expect(text.stdout).toMatch(/^Sign-on closed since /);
    expect(text.stdout).toContain(
      'approved  Viasna Human Rights Centre (Human Rights Centre Viasna) — BY',
    );
    const listLink = /href="([^"]+\/s\/l\/[^"]+)"/.exec(
      ((await call('POST', `/api/campaigns/${id}/preview`, alice, {})).json as { html: string })
        .html,
    );
    // One name fits: the letter needs no link to the full list.
    expect(listLink).toBeNull();
  });

  it('gives personal invite links, each with its own lower limit', async () => {
    const alice = await staffToken(['campaigner'], 'alice');
    const id = await draft(alice, 'so3');
    await call('POST', `/api/campaigns/${id}/signon/open`, alice, {
      closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const out = await call('POST', `/api/campaigns/${id}/signon/invites`, alice, {
      csv: 'Organisation,Email\nPromo-LEX,office@promolex.example.org\nBroken row,not-an-address\n',
      fromRecipients: true,
    });
    expect(out.status, out.text).toBe(200);
    const invites = out.json.invites as { organisation: string; email: string; url: string }[];
    expect(invites.map((i) => i.email)).toEqual([
      'office@promolex.example.org',
      'ana@so3.example.org',
    ]);
    expect(out.json.problems).toEqual([{ line: 3, message: expect.stringMatching(/^email /) }]);
    const personal = invites[0]!.url;
    expect((await fetch(personal)).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await post(personal, form({ contactEmail: `p${i}@promolex.example.org` }))).status,
      );
    expect(statuses).toEqual([303, 303, 303, 303, 303, 429]);
    const items = (await call('GET', `/api/campaigns/${id}/signon`, alice)).json.items as {
      invite: string;
    }[];
    expect(new Set(items.map((s) => s.invite)).size).toBe(1);
    expect(items[0]!.invite).toMatch(/^p/);

    // Erasure reaches a signatory's contact (the organisation stays, without its contact).
    const forgot = await call('POST', '/api/privacy/forget', alice, {
      email: 'p0@promolex.example.org',
    });
    expect(forgot.status, forgot.text).toBe(202);
    await runtime().jobs.drained();
    const job = await call(
      'GET',
      `/api/privacy/forget/${(forgot.json.job as { id: string }).id}`,
      alice,
    );
    expect(job.json).toMatchObject({
      job: { state: 'done', report: { campaigns: [{ campaignId: id, signatories: 1 }] } },
    });
    const after = (await call('GET', `/api/campaigns/${id}/signon`, alice)).json.items as {
      contactEmail: string;
      contactName: string;
    }[];
    expect(after.filter((s) => s.contactEmail === '')).toEqual([
      expect.objectContaining({ contactName: '(erased)' }),
    ]);
    expect(JSON.stringify(after)).not.toContain('p0@promolex.example.org');
  });

  it('refuses forged links, honeypots, floods from one address and bad fields', async () => {
    const alice = await staffToken(['campaigner'], 'alice');
    const id = await draft(alice, 'so2');
    const opened = await call('POST', `/api/campaigns/${id}/signon/open`, alice, {
      closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const invite = opened.json.inviteUrl as string;
    const forged = invite.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await fetch(forged)).status).toBe(404);
    expect((await fetch(invite.replace('/s/', '/s/c/'))).status).toBe(404);

    // The honeypot: the same answer as a real signature, nothing stored or sent.
    const trap = await post(
      invite,
      form({ contactEmail: 'bot@bots.example.org', organisation_url: 'http://x' }),
    );
    expect(trap.status).toBe(303);
    expect(await mailsTo(runtime(), ['bot@bots.example.org'])).toHaveLength(0);

    // Bad fields: 422, each named, the values kept (escaped).
    const bad = await post(
      invite,
      form({ contactEmail: 'nope', country: 'XX', name: '<script>alert(1)</script>' }),
    );
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(badHtml).not.toContain('<script>');
    expect(badHtml).toMatch(/href="#f-contactEmail"/);
    expect(badHtml).toMatch(/href="#f-country"/);

    // One IP: 10 requests an hour (the two above counted), then 429.
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++)
      statuses.push(
        (await post(invite, form({ contactEmail: `flood${i}@flood.example.org` }))).status,
      );
    expect(statuses.slice(0, 8).every((s) => s === 303 || s === 409)).toBe(true);
    expect(statuses.slice(8)).toEqual([429, 429]);

    // A new key voids the old link.
    const reopened = await call('POST', `/api/campaigns/${id}/signon/open`, alice, {
      closesAt: new Date(Date.now() + 86_400_000).toISOString(),
      newKey: true,
    });
    expect(reopened.json.inviteUrl).not.toBe(invite);
    expect((await fetch(invite)).status).toBe(404);
    expect((await fetch(reopened.json.inviteUrl as string)).status).toBe(200);
  });
});
