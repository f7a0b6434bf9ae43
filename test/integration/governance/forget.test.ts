/**
 * Erasing a person: after `POST /api/privacy/forget`, a scan of the whole
 * table finds no trace of their address or name in any item, nor does the
 * raw message store (the local runtime's folder; S3 in AWS), the campaign's
 * counters are what they were, and the audit log says it happened. Kept on
 * the suppression list, the address is a keyed hash and still suppressed.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../../functions/adapters/config.js';
import { dynamoClient } from '../../../functions/adapters/dynamo-store.js';
import { keys } from '../../../functions/adapters/table-definition.js';
import { hashedSuppression } from '../../../functions/core/governance/suppression.js';
import { mailsTo, useRuntime } from '../../support/runtime.js';
import { mixedCsv, replyOverSmtp, sentCampaign, staffToken } from '../../support/staff.js';

const runtime = useRuntime();

async function scanAll(): Promise<Record<string, unknown>[]> {
  const db = dynamoClient({ region: 'eu-west-1', endpoint: runtime().dynamoEndpoint });
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new ScanCommand({
        TableName: runtime().deps().config.table,
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

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

async function forget(body: unknown) {
  const token = await staffToken(['campaigner'], 'dpo');
  const res = await fetch(`${runtime().httpUrl}/api/privacy/forget`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
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
    expect(out.status).toBe(200);
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
    expect(JSON.stringify(out.json)).not.toContain(person.email);
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
    const marker = (await scanAll()).find(
      (i) => i.pk === keys.campaign(campaign.id).pk && i.sk === 'RETENTION',
    );
    expect(marker).toMatchObject({ expiresAtSeconds: expected });
  });
});
