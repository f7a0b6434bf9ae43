/**
 * One journey through every handler, on the local runtime, for the access
 * trace (access-trace.test.ts): created, edited and approved through the
 * staff API, launched, sent, delivered and bounced (SES events, a move to a
 * fallback address, an event found by its message id), opened, clicked and
 * unsubscribed, read on the web, replied to (by token, twice, by Message-ID,
 * by sender, a delivery-status report, a tampered token), scheduled within
 * closed office hours and held, followed up (two-person and single-person
 * approval), launched by the launch function, paused, cancelled, ticked
 * (expiry, stale claims, retention) and erased; a draft's coalition sign-on
 * (opened, signed and confirmed on the public pages, moderated, closed).
 *
 * Set-up that is not a handler's (reading a stored recipient, writing a
 * follow-up as the CLI would) runs outside any handler and is not traced.
 */
import { expect } from 'vitest';
import { setDeps } from '../../functions/adapters/deps.js';
import type { CampaignRecipient } from '../../functions/core/campaign.js';
import { createFollowUp } from '../../functions/core/followups/followup.js';
import { approveVersion, recordVersion } from '../../functions/core/governance/govern.js';
import { replyAddress } from '../../functions/core/links.js';
import { parseStatement } from '../../functions/core/statement.js';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { asEventBridge, examples, sqsEvent } from '../integration/events/ses-examples.js';
import { exampleStatement, FUTURE_DEADLINE, letterMjml } from '../support/fixtures.js';
import { deliver, fixture, REPLY_DOMAIN, tampered } from '../support/replies.js';
import { apiCall } from '../support/api.js';
import { mailsTo } from '../support/runtime.js';
import { settle, staffToken } from '../support/staff.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `test` holds (the queues and SES events run in the background). */
async function until(what: string, test: () => Promise<boolean>, ms = 120_000) {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** A recipient list with a minister who hard-bounces and has a fallback, an official and two NGOs. */
const csv = (tag: string) =>
  [
    'email,name,title,organisation,country,language,group,fallback_emails',
    `bounce@simulator.amazonses.com,Anna Berg,Minister,Ministry,SE,en,minister,registry-${tag}@simulator.amazonses.com`,
    `success+${tag}-eu@simulator.amazonses.com,Jan Novak,Director,European Commission,BE,en,eu-institution,`,
    `success+${tag}-ngo@simulator.amazonses.com,Nora Lind,,Civic Network,SE,en,ngo,`,
    `complaint@simulator.amazonses.com,Carl Plain,,Other Network,DK,en,ngo,`,
  ].join('\n') + '\n';

type Call = (
  method: string,
  path: string,
  token: string,
  body?: unknown,
) => Promise<{ status: number; text: string; json: Record<string, unknown> }>;

async function directoryJourney(call: Call, who: { alice: string; vera: string }) {
  const csv = [
    'externalId,name,group,country,institutionType,tags,email,fallbackEmails',
    'SE-1,Anna Berg,minister,SE,ministry,FAC,bounce@simulator.amazonses.com,',
    'EU-1,Jan Novak,eu-institution,BE,commission,FAC,success+a-eu@simulator.amazonses.com,',
    'NGO-1,Other Network,ngo,DK,ngo,members,success+dir-ngo@simulator.amazonses.com,complaint@simulator.amazonses.com',
  ].join('\n');
  expect((await call('POST', '/api/targets/import', who.alice, { csv })).status).toBe(200);
  const applied = await call('POST', '/api/targets/import/apply', who.alice, { csv, all: true });
  expect(applied.json, applied.text).toMatchObject({ created: 3 });
  const list = await call('GET', '/api/targets', who.vera);
  const ngo = (list.json.items as { id: string; version: number; name: string }[]).find(
    (t) => t.name === 'Other Network',
  )!;
  const edited = await call('POST', `/api/targets/${ngo.id}/edit`, who.alice, {
    version: ngo.version,
    lastVerified: new Date().toISOString().slice(0, 10),
  });
  expect(edited.status, edited.text).toBe(200);
  // Archived (its versions and index entries get the TTL), then brought back (they lose it).
  for (const [version, archived] of [
    [ngo.version + 1, true],
    [ngo.version + 2, false],
  ] as const) {
    const r = await call('POST', `/api/targets/${ngo.id}/edit`, who.alice, { version, archived });
    expect(r.status, r.text).toBe(200);
  }
  const draft = await call('POST', '/api/campaigns/from-directory', who.alice, {
    statement: exampleStatement(),
    statementName: 'statement.md',
    selection: { tags: ['members'] },
  });
  expect(draft.status, draft.text).toBe(201);
  const draftId = (draft.json.campaign as { id: string }).id;
  expect(
    (await call('POST', `/api/campaigns/${draftId}/directory/refresh`, who.alice, {})).status,
  ).toBe(200);
  for (const path of [
    `/api/targets/${ngo.id}`,
    '/api/targets/export.csv',
    '/api/targets/responsiveness',
    `/api/campaigns/${draftId}/directory`,
  ])
    expect((await call('GET', path, who.vera)).status, path).toBe(200);
}

export async function runJourney(rt: LocalRuntime): Promise<void> {
  const d = rt.deps();
  const alice = await staffToken(['campaigner'], 'alice');
  const bob = await staffToken(['campaigner'], 'bob');
  const vera = await staffToken(['viewer'], 'vera');

  const call = (method: string, path: string, token: string, body?: unknown, type?: string) =>
    apiCall(rt.httpUrl, method, path, token, body, type);
  const reads = async (paths: string[]) => {
    for (const path of paths)
      expect((await call('GET', path, vera)).status, path).toBeLessThan(400);
  };
  async function approvedCampaign(recipientsCsv: string) {
    const created = await call('POST', '/api/campaigns', alice, {
      statement: exampleStatement(),
      statementName: 'statement.md',
      recipientsCsv,
    });
    expect(created.status, created.text).toBe(201);
    const id = (created.json.campaign as { id: string }).id;
    const { hash } = created.json.version as { hash: string };
    const approved = await call('POST', `/api/campaigns/${id}/approve`, bob, { hash });
    expect(approved.status, approved.text).toBe(200);
    return id;
  }
  async function stored(campaignId: string, email: string): Promise<CampaignRecipient> {
    const all = (await d.store.recipientsPage(campaignId, undefined, 100)).items;
    const r = all.find((x) => x.email === email);
    if (!r) throw new Error(`no recipient ${email} in ${campaignId}`);
    return r;
  }

  // The directory: an import compared, then applied; read, edited (a new fallback), exported;
  // a draft taken from it and refreshed. Its minister is the address that hard-bounces below
  // (the events function marks him failing), and erasure below reaches two of its targets.
  await directoryJourney(call, { alice, vera });

  // Staff API: create, read, edit (a new version), approve, launch.
  const created = await call('POST', '/api/campaigns', alice, {
    statement: exampleStatement(),
    statementName: 'statement.md',
    recipientsCsv: csv('a'),
  });
  expect(created.status, created.text).toBe(201);
  const id = (created.json.campaign as { id: string }).id;
  await reads([
    '/api/me',
    '/api/campaigns',
    `/api/campaigns/${id}`,
    `/api/campaigns/${id}/targets`,
    `/api/campaigns/${id}/versions`,
    `/api/campaigns/${id}/plan`,
  ]);
  expect((await call('POST', `/api/campaigns/${id}/preview`, alice, {})).status).toBe(200);
  // A test letter to Alice herself, whose web version the web function shows from its own record.
  const tested = await call('POST', `/api/campaigns/${id}/test-send`, alice, {});
  expect(tested.status, tested.text).toBe(200);
  expect((await fetch(tested.json.webUrl as string)).status).toBe(200);
  const edited = await call(
    'POST',
    `/api/campaigns/${id}/recipients`,
    alice,
    'email,name,group\nsuccess+a-late@simulator.amazonses.com,Dora Lind,ngo\n',
    'text/csv',
  );
  expect(edited.status, edited.text).toBe(200);
  const { hash } = edited.json.version as { hash: string };
  expect((await call('POST', `/api/campaigns/${id}/approve`, bob, { hash })).status).toBe(200);
  const launched = await call('POST', `/api/campaigns/${id}/launch`, alice, {});
  expect(launched.status, launched.text).toBeLessThan(300);
  await settle(rt);

  // SES events: the bounce moves the minister's letter to the fallback address, which goes out too.
  await until(
    'the letter to the fallback',
    async () => (await mailsTo(rt, ['registry-a@simulator.amazonses.com'])).length > 0,
  );
  await settle(rt);
  // An SES event without our tags is attributed through the message id index.
  const eu = await stored(id, 'success+a-eu@simulator.amazonses.com');
  const { handler: events } = await import('../../functions/events/handler.js');
  await events(
    sqsEvent([asEventBridge(examples.delivery({ messageId: eu.messageId!, to: eu.email }))]),
  );

  // The recipients: the web version, the open pixel, a click, one-click unsubscribe.
  const [ngoMail] = await mailsTo(rt, ['success+a-ngo@simulator.amazonses.com']);
  const html = ngoMail!.body.html!;
  const link = (re: RegExp) => {
    const found = re.exec(html)?.[1];
    if (!found) throw new Error(`no ${re} in the letter`);
    return found.replace(/&amp;/g, '&');
  };
  expect((await fetch(link(/href="([^"]*\/w\/[^"]+)"/))).status).toBe(200);
  expect((await fetch(link(/src="([^"]*\/t\/o\/[^"]+\.gif)"/))).status).toBe(200);
  const click = await fetch(link(/href="([^"]*\/t\/c\/[^"]+)"/), { redirect: 'manual' });
  expect(click.status).toBe(302);
  const unsubscribe = link(/href="([^"]*\/u\/[^"]+)"/);
  expect((await fetch(unsubscribe)).status).toBe(200);
  const oneClick = await fetch(unsubscribe, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
  });
  expect(oneClick.status).toBe(200);

  // Replies over SMTP to the inbound handler.
  const token = replyAddress(
    { keys: await d.keys(), campaignId: id, recipientId: eu.id },
    REPLY_DOMAIN,
  );
  const ngo = await stored(id, 'success+a-ngo@simulator.amazonses.com');
  const late = await stored(id, 'success+a-late@simulator.amazonses.com');
  const info = `info@${REPLY_DOMAIN}`;
  const postmaster = `postmaster@${REPLY_DOMAIN}`;
  const byToken = fixture('gmail.eml', eu, token);
  const mails: [Buffer, string, string][] = [
    [byToken, eu.email, token],
    [byToken, eu.email, token], // the same message again: found by its marker
    [fixture('colleague-in-reply-to.eml', ngo, info), ngo.email, info], // by Message-ID
    [fixture('no-in-reply-to.eml', ngo, info), ngo.email, info], // by sender
    [fixture('dsn.eml', late, postmaster), '', postmaster], // a delivery report: a note, no suppression
    [fixture('gmail.eml', eu, tampered(token)), eu.email, tampered(token)], // matches nothing
  ];
  for (const [raw, from, to] of mails)
    expect((await deliver(rt, raw, { from, to: [to] })).response).toMatch(/^250 /);
  let replies: { id: string }[] = [];
  await until('the replies', async () => {
    replies = (await d.replies.listReplies(id, { limit: 50 })).items;
    // By token, by Message-ID and the delivery report. The one matched by sender only is
    // attached when its DKIM/SPF check passes, which takes the system's DNS here (offline:
    // not checked, not attached), so the journey does not count on it.
    return replies.length >= 3;
  });
  await settle(rt);
  await reads([
    `/api/campaigns/${id}/stats`,
    `/api/campaigns/${id}/splits`,
    `/api/campaigns/${id}/series`,
    `/api/campaigns/${id}/recipients`,
    `/api/campaigns/${id}/recipients/${eu.id}`,
    `/api/campaigns/${id}/replies`,
    `/api/campaigns/${id}/letters/stuck`,
    `/api/campaigns/${id}/preflight`,
    `/api/campaigns/${id}/replies/${replies[0]!.id}`,
    `/api/campaigns/${id}/replies/${replies[0]!.id}/raw`,
    `/api/campaigns/${id}/audit`,
    `/api/campaigns/${id}/audit.csv`,
    `/api/campaigns/${id}/export.csv`,
  ]);
  // The reply with a tampered token matched no campaign: staff find it among the unmatched.
  let unmatched: { id: string }[] = [];
  await until('the unmatched reply', async () => {
    unmatched = ((await call('GET', '/api/replies/unmatched', vera)).json.items ?? []) as {
      id: string;
    }[];
    return unmatched.length > 0;
  });
  await reads([
    `/api/replies/unmatched/${unmatched[0]!.id}`,
    `/api/replies/unmatched/${unmatched[0]!.id}/raw`,
  ]);

  await signOn(rt, call, alice);

  // A second campaign scheduled within office hours that are closed now: the scheduler
  // launches it, the sender holds the letter, the scheduler and the plan look for it.
  const id2 = await approvedCampaign(
    'email,name,group,country\nsuccess+b@simulator.amazonses.com,Bo Berg,ngo,SE\n',
  );
  const closed = new Date(Date.now() + 6 * 3_600_000).toISOString().slice(11, 13);
  const scheduled = await call('POST', `/api/campaigns/${id2}/schedule`, alice, {
    at: new Date(Date.now() + 5000).toISOString(),
    window: `${closed}:00-${closed}:30`,
    days: 'mon-sun',
    zone: 'UTC',
  });
  expect(scheduled.status, scheduled.text).toBe(200);
  await until('the held letter', async () => (await d.held.count(id2)) > 0);
  await reads([`/api/campaigns/${id2}/plan`]);

  // Follow-ups of the first, launched by the scheduler when due: one approved by a second
  // campaigner, one in single-person mode (its author's scheduling is its approval).
  for (const mode of ['two-person', 'single'] as const) {
    const followUp = await createFollowUp(d, id, {
      statement: parseStatement('A reminder\n\nWe would welcome your answer.\n', 'r.txt', {
        deadline: FUTURE_DEADLINE(),
        subject: 'Re: Joint statement',
        from: { name: 'Civic Space Coalition', address: 'campaigns@demarche.example.org' },
        replyToDomain: REPLY_DOMAIN,
        language: 'en',
      }),
      audience: 'not-replied',
      at: new Date(Date.now() + 5000),
      mjml: letterMjml(),
    });
    await recordVersion(d, followUp.id, 'alice', 'follow-up created');
    if (mode === 'two-person') await approveVersion(d, followUp.id, 'bob');
    // The runtime's scheduler ticks (a few times a second) launch it once it is approved.
    setDeps({ approvalMode: mode });
    try {
      await until(
        `the ${mode} follow-up`,
        async () => (await d.store.getCampaign(followUp.id))!.status !== 'scheduled',
      );
    } finally {
      setDeps({ approvalMode: 'two-person' });
    }
  }
  await settle(rt);

  // A third, launched by the launch function; then paused, resumed and cancelled, and the
  // held one cancelled too.
  const id3 = await approvedCampaign(
    'email,name,group\nsuccess+c@simulator.amazonses.com,Cy Berg,ngo\n',
  );
  const { handler: launch } = await import('../../functions/launch/handler.js');
  await launch({ campaignId: id3 });
  for (const action of ['pause', 'resume', 'cancel'])
    expect((await call('POST', `/api/campaigns/${id3}/${action}`, alice, {})).status).toBeLessThan(
      500,
    );
  expect((await call('POST', `/api/campaigns/${id2}/cancel`, alice, {})).status).toBe(200);
  await settle(rt);

  // A draft archived, shown again, and deleted with its recipients and their index entries.
  const spare = await approvedCampaign(csv('d'));
  for (const archived of [true, false])
    expect(
      (await call('POST', `/api/campaigns/${spare}/archive`, alice, { archived })).status,
    ).toBe(200);
  expect((await call('POST', `/api/campaigns/${spare}/delete`, alice, {})).status).toBe(200);

  // The scheduler's tick: expiry, stale claims, and the retention of finished campaigns.
  const { handler: scheduler } = await import('../../functions/scheduler/handler.js');
  await scheduler({ action: 'tick' });

  // Erasure: one person suppressed as a keyed hash, one whose suppression is kept as one.
  for (const [email, suppress] of [
    [eu.email, true],
    ['complaint@simulator.amazonses.com', false],
    // A co-signing organisation's contact (sign-on, above).
    ['success+signon@simulator.amazonses.com', false],
  ] as const) {
    const forgot = await call('POST', '/api/privacy/forget', alice, { email, suppress });
    expect(forgot.status, forgot.text).toBe(202);
    // The launch function erases (a local job); the API shows its progress.
    await rt.jobs.drained();
    const id = (JSON.parse(forgot.text) as { job: { id: string } }).job.id;
    const job = await call('GET', `/api/privacy/forget/${id}`, alice);
    expect(JSON.parse(job.text)).toMatchObject({ job: { state: 'done' } });
  }
  await settle(rt);
}

/**
 * Coalition sign-on on a draft: opened and moderated through the API; signed,
 * confirmed and listed on the web function's public pages; closed (the list
 * locked into a new version).
 */
async function signOn(rt: LocalRuntime, call: Call, alice: string): Promise<void> {
  const created = await call('POST', '/api/campaigns', alice, {
    statement: exampleStatement(),
    statementName: 'statement.md',
    recipientsCsv: 'email,name,group\nsuccess+s@simulator.amazonses.com,Sam Berg,ngo\n',
  });
  expect(created.status, created.text).toBe(201);
  const id = (created.json.campaign as { id: string }).id;
  const opened = await call('POST', `/api/campaigns/${id}/signon/open`, alice, {
    closesAt: new Date(Date.now() + 86_400_000).toISOString(),
  });
  expect(opened.status, opened.text).toBe(200);
  const invite = opened.json.inviteUrl as string;
  expect((await fetch(invite)).status).toBe(200);
  const contact = 'success+signon@simulator.amazonses.com';
  const signed = await fetch(invite, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      name: 'Civic Network',
      country: 'SE',
      type: 'network',
      contactName: 'Nora Lind',
      contactEmail: contact,
      consent: 'yes',
    }).toString(),
  });
  expect(signed.status).toBe(303);
  const [mail] = await mailsTo(rt, [contact]);
  const confirm = /(https?:\/\/\S+\/s\/c\/\S+)/.exec(mail!.body.text ?? '')![1]!;
  expect((await fetch(confirm)).status).toBe(200);
  expect((await fetch(confirm, { method: 'POST' })).status).toBe(200);
  const listed = await call('GET', `/api/campaigns/${id}/signon`, alice);
  const sid = (listed.json.items as { id: string }[])[0]!.id;
  for (const [path, body] of [
    [`/api/campaigns/${id}/signatories/${sid}`, { action: 'approve' }],
    [`/api/campaigns/${id}/signatories/${sid}/edit`, { initiator: true }],
    [`/api/campaigns/${id}/signon/close`, {}],
  ] as const)
    expect((await call('POST', path, alice, body)).status, path).toBe(200);
  expect((await call('GET', `/api/campaigns/${id}/signatories.csv`, alice)).status).toBe(200);
  const listUrl = (await rt.deps().store.getCampaign(id))!.statement.cosign!.listUrl!;
  expect((await fetch(listUrl)).status).toBe(200);
}
