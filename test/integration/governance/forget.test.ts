/**
 * Erasing a person: after `POST /api/privacy/forget`, a scan of the whole
 * table finds no trace of their address or name in any item, nor does the
 * raw message store (the local runtime's folder; S3 in AWS), the campaign's
 * counters are what they were, and the audit log says it happened. Kept on
 * the suppression list, the address is a keyed hash and still suppressed.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../../functions/adapters/config.js';
import { keys } from '../../../functions/adapters/table-definition.js';
import { hashedSuppression } from '../../../functions/core/governance/suppression.js';
import { mailsTo, scanTable, useRuntime } from '../../support/runtime.js';
import { settle } from '../../support/staff.js';
import { importRecipients } from '../../../functions/core/recipients.js';
import { forgetDeps } from '../../../functions/adapters/dynamo-forget.js';
import { runForget } from '../../../functions/core/governance/forget-job.js';
import {
  belarusStatement,
  mixedCsv,
  replyOverSmtp,
  sentCampaign,
  staffToken,
} from '../../support/staff.js';

const runtime = useRuntime();

const scanAll = () => scanTable(runtime());

const traces = (items: Record<string, unknown>[], needle: string) =>
  items.filter((i) => JSON.stringify(i).toLowerCase().includes(needle.toLowerCase()));

/** Raw inbound messages the local runtime keeps (its folder beside the secret) that contain `needle`. */
async function rawTraces(needle: string): Promise<string[]> {
  const root = join(dirname(process.env[ENV.secretFile]!), 'inbound');
  const files = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  const found: string[] = [];
  for (const f of files) {
    if (!f.isFile()) continue;
    const path = join(f.parentPath, f.name);
    if ((await readFile(path, 'utf8')).toLowerCase().includes(needle.toLowerCase()))
      found.push(path);
  }
  return found;
}

/** Asks for an erasure (202 and a job), then follows the job until its report is ready. */
async function forget(body: unknown) {
  const token = await staffToken(['campaigner'], 'dpo');
  const call = async (method: string, path: string, payload?: unknown) => {
    const res = await fetch(`${runtime().httpUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  const started = await call('POST', '/api/privacy/forget', body);
  if (started.status !== 202) return { ...started, answers: [started.json] };
  const answers: Record<string, unknown>[] = [started.json];
  let job = started.json.job as { id: string; state: string };
  expect(job.state).toBe('erasing');
  while (job.state === 'erasing') {
    await new Promise((r) => setTimeout(r, 100));
    const read = await call('GET', `/api/privacy/forget/${job.id}`);
    expect(read.status).toBe(200);
    answers.push(read.json);
    job = read.json.job as typeof job;
  }
  // What the job reports at the end, as the old synchronous answer had it.
  return {
    status: started.status,
    json: (job as unknown as { report: Record<string, unknown> }).report,
    job,
    answers,
  };
}

describe('forget a person', { timeout: 180_000 }, () => {
  it('leaves no trace of the address in any item and the counts unchanged', async () => {
    const d = runtime().deps();
    const campaign = await sentCampaign(runtime(), mixedCsv(6, 'forget'));
    const recipients = (await d.store.recipientsPage(campaign.id)).items;
    const person = recipients.find((r) => r.group === 'ngo')!;
    const other = recipients.find((r) => r.id !== person.id)!;
    const reply = await replyOverSmtp(runtime(), campaign.id, person.email, {
      subject: 'Re: Belarus',
      text: `We support it. Write to me at ${person.email}.`,
      fromName: person.name,
    });
    // In another campaign the person is a minister's fallback address.
    const withFallback = await sentCampaign(
      runtime(),
      `email,name,title,group,fallback_emails\nminister@forget-fb.example.org,Anna Berg,Minister,minister,"office@forget-fb.example.org; ${person.email}"\n`,
    );
    // They had also stopped this campaign's follow-ups: an entry kept under their address.
    await d.choices.stop(person.email, 'followups', campaign.id, new Date().toISOString());
    const before = await d.store.counters(campaign.id);
    expect(before.sent).toBe(6);
    expect(before.replied).toBe(1);
    const found = traces(await scanAll(), person.email);
    // The recipient, their send record and timeline, and the reply all carried the address.
    expect(found.length).toBeGreaterThanOrEqual(2);
    // So does the reply's raw message.
    expect(reply.raw.key).toBeTruthy();
    expect(await d.rawStore.get(reply.raw.key)).toBeDefined();
    expect(await rawTraces(person.email)).toHaveLength(1);

    const bad = await forget({ email: 'not an address' });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain('email');

    const out = await forget({ email: person.email.toUpperCase() });
    expect(out.status).toBe(202);
    expect(out.job).toMatchObject({ state: 'done', by: 'dpo', suppress: false });
    expect(out.json.addressEntries).toBe(1);
    const erased = out.json.campaigns as {
      campaignId: string;
      recipient: boolean;
      replies: number;
    }[];
    // Campaigns come newest first.
    expect([...erased].reverse()).toEqual([
      expect.objectContaining({
        campaignId: campaign.id,
        recipient: true,
        replies: 1,
        rawMessages: 1,
        fallbackOf: 0,
      }),
      expect.objectContaining({
        campaignId: withFallback.id,
        recipient: false,
        fallbackOf: 1,
      }),
    ]);
    const [minister] = (await d.store.recipientsPage(withFallback.id)).items;
    expect(minister).toMatchObject({
      email: 'minister@forget-fb.example.org',
      fallbackEmails: ['office@forget-fb.example.org'],
    });
    // No answer of the job, nor its record in the table, ever holds the address.
    expect(JSON.stringify(out.answers).toLowerCase()).not.toContain(person.email);
    expect(out.json.notReached).toEqual([
      expect.objectContaining({ what: expect.stringContaining('point-in-time recovery') }),
    ]);
    expect(out.json.suppressed).toBe(false);

    const after = await scanAll();
    expect(traces(after, person.email)).toEqual([]);
    expect(await d.rawStore.get(reply.raw.key)).toBeUndefined();
    expect(await rawTraces(person.email)).toEqual([]);
    expect(traces(after, person.name)).toEqual([]);
    expect(await d.store.counters(campaign.id)).toEqual(before);
    // Everyone else is as they were; the person is an anonymous stub of the same group.
    expect((await d.store.getRecipient(campaign.id, other.id))?.email).toBe(other.email);
    expect(await d.store.getRecipient(campaign.id, person.id)).toBeUndefined();
    expect(after.filter((i) => i.type === 'erased-recipient')).toEqual([
      expect.objectContaining({ group: 'ngo', state: 'sent' }),
    ]);
    const log = (await d.governance.auditLog(campaign.id)).items;
    expect(log.at(-1)).toMatchObject({
      action: 'erased',
      actor: 'dpo',
      actorEmail: 'dpo@example.org',
    });

    // Asked to, the address goes on the suppression list as a keyed hash: no trace of it anywhere.
    const again = await forget({ email: person.email, suppress: true });
    expect(again.json).toMatchObject({ campaigns: [], suppressed: true });
    const scanned = await scanAll();
    expect(traces(scanned, person.email)).toEqual([]);
    const key = hashedSuppression(await d.secret(), person.email);
    expect(scanned.filter((i) => i.pk === `SUPPRESSION#${key}`)).toEqual([
      expect.objectContaining({ type: 'suppression', hashed: true }),
    ]);
    // The hash is keyed: without the deployment's secret, the address does not give it.
    expect(hashedSuppression('another secret', person.email)).not.toBe(key);
    expect(await d.store.isSuppressed(person.email)).toBe(true);
    expect(await d.store.isSuppressed(person.email.toUpperCase())).toBe(true);
    expect(await d.store.isSuppressed(other.email)).toBe(false);

    // Someone who had unsubscribed, then is erased without --suppress: still suppressed, as a hash.
    const unsubscribed = recipients.find((r) => r.id !== person.id && r.id !== other.id)!;
    await d.store.suppress(unsubscribed.email, 'unsubscribed', new Date().toISOString());
    const third = await forget({ email: unsubscribed.email });
    expect(third.json).toMatchObject({ suppressed: true });
    const afterThird = await scanAll();
    expect(traces(afterThird, unsubscribed.email)).toEqual([]);
    const key3 = hashedSuppression(await d.secret(), unsubscribed.email);
    expect(afterThird.find((i) => i.pk === `SUPPRESSION#${key3}`)).toMatchObject({
      reason: 'unsubscribed',
    });

    // A later campaign to both addresses mails neither: the sender matches the hashed entries.
    const lettersBefore = (await mailsTo(runtime(), [person.email, unsubscribed.email])).length;
    const later = await sentCampaign(
      runtime(),
      `email,name,group\n${person.email},${person.name},ngo\n${unsubscribed.email},U,ngo\nnew@forget-later.example.org,New,ngo\n`,
    );
    expect(await mailsTo(runtime(), [person.email, unsubscribed.email])).toHaveLength(
      lettersBefore,
    );
    expect(await d.store.counters(later.id)).toMatchObject({ sent: 1, suppressed: 2 });
    expect((await d.store.getRecipient(later.id, person.id))?.state).toBe('suppressed');
  });
});

describe('forget a person among many large campaigns', { timeout: 300_000 }, () => {
  it("finds them through the index past 1 MB of campaigns, and takes them off SES's list", async () => {
    const d = runtime().deps();
    // A person who hard-bounced: on our suppression list and on SES's account-level list.
    const bounced = `bounce+forget${Date.now()}@simulator.amazonses.com`;
    const sent = await sentCampaign(
      runtime(),
      `email,name,group\n${bounced},Bea Bounce,ngo\nstays@forget-big.example.org,Stays,ngo\n`,
    );
    const ses = runtime().deps().config.sesEndpoint!;
    const listed = await fetch(
      `${ses}/v2/email/suppression/addresses/${encodeURIComponent(bounced)}`,
    );
    expect(listed.status).toBe(200);
    // Eight drafts whose statements run to ~190 KB each (the statement with its
    // translations, repeated): more than DynamoDB returns in one page.
    const base = belarusStatement();
    const body = Array.from({ length: 40 }, () => base.body).flat();
    const drafts: string[] = [];
    for (let i = 0; i < 8; i++) {
      const id = `cbig${Date.now().toString(36)}${i}`;
      await d.store.createCampaign(
        {
          id,
          status: 'draft',
          statement: { ...base, title: `${base.title} ${i}`, body },
          languages: ['en'],
          recipientCount: 2,
          dryRun: false,
          createdAt: new Date().toISOString(),
        },
        [],
      );
      const { recipients } = importRecipients(
        `email,name,group\n${bounced},Bea Bounce,ngo\nother${i}@forget-big.example.org,O,ngo\n`,
      );
      await d.store.putRecipients(id, recipients);
      drafts.push(id);
    }
    expect(
      JSON.stringify(
        (await scanAll()).filter((i) => drafts.some((id) => i.pk === `CAMPAIGN#${id}`)),
      ).length,
    ).toBeGreaterThan(1_400_000);
    // Every campaign is listed, page after page.
    const token = await staffToken(['viewer']);
    const listedIds: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await fetch(
        `${runtime().httpUrl}/api/campaigns${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
        { headers: { authorization: `Bearer ${token}` } },
      );
      const page = (await res.json()) as { items: { id: string }[]; cursor?: string };
      listedIds.push(...page.items.map((c) => c.id));
      cursor = page.cursor;
    } while (cursor);
    expect(listedIds).toEqual(expect.arrayContaining([...drafts, sent.id]));

    const out = await forget({ email: bounced });
    expect(out.job).toMatchObject({ state: 'done' });
    const erased = out.json.campaigns as { campaignId: string; recipient: boolean }[];
    expect(erased.map((c) => c.campaignId).sort()).toEqual([...drafts, sent.id].sort());
    expect(erased.every((c) => c.recipient)).toBe(true);
    // Already suppressed (a hard bounce): kept, as a keyed hash; off SES's plain-text list.
    expect(out.json).toMatchObject({
      suppressed: true,
      sesSuppression: 'removed',
      indexEntries: 9,
    });
    const after = await scanAll();
    expect(traces(after, bounced)).toEqual([]);
    expect(traces(after, 'Bea Bounce')).toEqual([]);
    expect(
      after.filter(
        (i) => String(i.pk).startsWith('PERSON#') && drafts.includes(String(i.campaignId)),
      ).length,
    ).toBe(8);
    expect(
      (await fetch(`${ses}/v2/email/suppression/addresses/${encodeURIComponent(bounced)}`)).status,
    ).toBe(404);
    expect(await d.store.isSuppressed(bounced)).toBe(true);
    // The drafts' other recipients are untouched; their drafts' counts too.
    expect((await d.store.recipientsPage(drafts[0]!)).items.map((r) => r.email)).toEqual([
      'other0@forget-big.example.org',
    ]);
  });
});

describe('an erasure job stopped half-way', { timeout: 180_000 }, () => {
  it('is started again by the scheduler tick and finishes with the same report', async () => {
    const rt = runtime();
    const d = rt.deps();
    const email = `twice${Date.now()}@forget-resume.example.org`;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await sentCampaign(rt, `email,name,group\n${email},Twice,ngo\n`)).id);
    // The job's runner stops after every entry (as one nearing Lambda's time limit does).
    const pristine = rt.jobs.run;
    rt.jobs.run = (job) =>
      job.action === 'forget' ? runForget(forgetDeps(d), job.jobId, { stopAt: 0 }) : pristine(job);
    const token = await staffToken(['campaigner'], 'dpo');
    const res = await fetch(`${rt.httpUrl}/api/privacy/forget`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email }),
    });
    expect(res.status).toBe(202);
    const { job } = (await res.json()) as { job: { id: string } };
    await rt.jobs.drained();
    const read = async () => (await forgetDeps(d).forgetJobs.get(job.id))!;
    expect(await read()).toMatchObject({ state: 'erasing', report: { indexEntries: 1 } });
    const { handler: tick } = await import('../../../functions/scheduler/handler.js');
    // Progress that has stood still is started again: one entry per run here.
    expect((await tick({ action: 'tick', stalledMs: 0 })).resumed).toContain(job.id);
    await rt.jobs.drained();
    expect((await read()).report.indexEntries).toBe(2);
    rt.jobs.run = pristine;
    await tick({ action: 'tick', stalledMs: 0 });
    await rt.jobs.drained();
    const done = await read();
    expect(done).toMatchObject({ state: 'done', report: { indexEntries: 3 } });
    expect(done.email).toBeUndefined();
    expect(done.report.campaigns.map((c) => c.campaignId).sort()).toEqual([...ids].sort());
    expect(done.report.campaigns.every((c) => c.recipient && c.timeline > 0)).toBe(true);
    expect(traces(await scanAll(), email)).toEqual([]);
    // A finished job is not started again.
    expect((await tick({ action: 'tick', stalledMs: 0 })).resumed).not.toContain(job.id);
  });
});

describe('retention', { timeout: 180_000 }, () => {
  it("a finished campaign's personal items get their DynamoDB TTL; counters, versions and the log do not", async () => {
    const d = runtime().deps();
    const campaign = await sentCampaign(runtime(), mixedCsv(3, 'retain'));
    await runtime().queue.drained();
    const finished = (await d.store.getCampaign(campaign.id))!;
    expect(finished.status).toBe('completed');
    // An entry of its audit log: a record, never expired.
    await d.governance.appendAudit({
      campaignId: campaign.id,
      at: new Date().toISOString(),
      actor: 'alice-sub',
      action: 'launched',
    });
    const { handler } = await import('../../../functions/scheduler/handler.js');
    await handler({ action: 'tick' });
    const all = await scanAll();
    const items = all.filter((i) => i.pk === keys.campaign(campaign.id).pk);
    const expected = Math.floor((Date.parse(finished.completedAt!) + 365 * 86_400_000) / 1000);
    const personal = items.filter((i) => /^(RCPT|EVENT|REPLY)#/.test(String(i.sk)));
    expect(personal.length).toBeGreaterThanOrEqual(3);
    for (const i of personal) expect(i.expiresAt).toBe(expected);
    // Versions, approvals and the log live in partitions of their own: never expired.
    const records = all.filter((i) =>
      [keys.versions, keys.approvals, keys.auditLog].some((k) => i.pk === k(campaign.id)),
    );
    expect(records.length).toBeGreaterThanOrEqual(1);
    for (const i of [
      ...items.filter((i) => /^(COUNTER|META|TEMPLATE)/.test(String(i.sk))),
      ...records,
    ])
      expect(i.expiresAt).toBeUndefined();
    // Idempotent: a second tick changes nothing.
    await handler({ action: 'tick' });

    // After the finish: a reply and an open arrive, a reply that matches no campaign too.
    const [person] = (await d.store.recipientsPage(campaign.id)).items;
    await replyOverSmtp(runtime(), campaign.id, person!.email, {
      subject: 'Re: Belarus',
      text: 'Late, but we support it.',
    });
    const [letter] = await mailsTo(runtime(), [person!.email]);
    const pixel = /https?:\/\/[^"\s]+\/t\/o\/[^"\s]+\.gif/.exec(letter!.body.html ?? '')![0];
    expect(
      (await fetch(pixel, { headers: { 'user-agent': 'Mozilla/5.0 Thunderbird' } })).status,
    ).toBe(200);
    await settle(runtime());
    const smtpPort = (runtime() as unknown as { smtpPort: number }).smtpPort;
    const { createTransport } = await import('nodemailer');
    await createTransport({
      host: '127.0.0.1',
      port: smtpPort,
      secure: false,
      ignoreTLS: true,
    }).sendMail({
      from: 'nobody-we-know@retain-unmatched.example.org',
      to: `info@replies.demarche.example.org`,
      subject: 'Hello',
      text: 'A message that answers no letter.',
    });
    const unmatchedAt = Date.now();
    let unmatched: Record<string, unknown> | undefined;
    for (let i = 0; i < 100 && !unmatched; i++) {
      unmatched = (await scanAll()).find(
        (i) => i.pk === 'REPLIES#UNMATCHED' && JSON.stringify(i).includes('nobody-we-know'),
      );
      if (!unmatched) await new Promise((r) => setTimeout(r, 100));
    }
    // On the unmatched replies' own schedule: 90 days after it arrived.
    expect(Number(unmatched!.expiresAt) * 1000 - unmatchedAt).toBeGreaterThan(89 * 86_400_000);
    expect(Number(unmatched!.expiresAt) * 1000 - unmatchedAt).toBeLessThan(91 * 86_400_000);

    // Whatever was written, and whenever: no item holding personal data lacks its expiry.
    const scanned = await scanAll();
    const mine = scanned.filter(
      (i) => i.pk === keys.campaign(campaign.id).pk || i.campaignId === campaign.id,
    );
    const inCampaign = mine.filter(
      (i) => i.pk === keys.campaign(campaign.id).pk && /^(RCPT|EVENT|REPLY)#/.test(String(i.sk)),
    );
    const personalItems = [
      ...inCampaign,
      ...scanned.filter((i) => /^(PERSON#|INBOUND#|REPLIES#UNMATCHED)/.test(String(i.pk))),
    ];
    expect(
      mine.filter((i) => String(i.sk).startsWith('EVENT#') && i.event === 'open').length,
    ).toBeGreaterThan(0);
    expect(inCampaign.filter((i) => String(i.sk).startsWith('REPLY#')).length).toBe(1);
    expect(personalItems.filter((i) => typeof i.expiresAt !== 'number')).toEqual([]);
    // Those written after the finish inherit the finished campaign's expiry.
    for (const i of inCampaign) expect(i.expiresAt).toBe(expected);
    const marker = (await scanAll()).find(
      (i) => i.pk === keys.campaign(campaign.id).pk && i.sk === 'RETENTION',
    );
    expect(marker).toMatchObject({ expiresAtSeconds: expected });
  });
});
