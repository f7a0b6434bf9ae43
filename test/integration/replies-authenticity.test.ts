import { beforeAll, describe, expect, it } from 'vitest';
import { inAudience } from '../../functions/core/followups/followup.js';
import { reputationProblem } from '../../functions/core/reputation.js';
import type { Reply } from '../../functions/core/replies/types.js';
import { dkimSigned, dkimZone } from '../support/dkim.js';
import {
  deliver,
  fixture,
  REPLY_DOMAIN,
  sentCampaign,
  type SentCampaign,
} from '../support/replies.js';
import { useRuntime } from '../support/runtime.js';
import { staffToken } from '../support/staff.js';

/*
 * The local SMTP server checks SPF, DKIM and DMARC like SES does, against
 * this test's own DNS zone: each ministry domain publishes a DKIM key and a
 * DMARC policy of reject; SPF allows no one (127.0.0.1 included), so only a
 * DKIM signature can authenticate a message.
 */
const TAG = 'au6';
const zone = dkimZone(['fr', 'de', 'pl', 'es', 'se', 'it'].map((c) => `${TAG}-${c}.example.org`));

const runtime = useRuntime({ dns: zone });

async function api(method: string, path: string, token: string, body?: string) {
  const res = await fetch(`${runtime().httpUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  return {
    status: res.status,
    text,
    json: (text.startsWith('{') ? JSON.parse(text) : {}) as Record<string, unknown> & {
      message?: string;
      items?: { id: string; match: unknown }[];
    },
  };
}

/** The reply stored for the message the SMTP server answered with `response`. */
async function storedFor(response: string, campaignId: string | undefined): Promise<Reply> {
  const id = /queued as (\S+)/.exec(response)![1]!;
  const items = (await runtime().deps().replies.listReplies(campaignId, { limit: 500 })).items;
  return items.find((r) => r.raw.key.endsWith(`/${id}`))!;
}

describe('authenticity decides what a reply may change (local SMTP, mailauth, a local DNS zone)', () => {
  let c: SentCampaign;
  let big: SentCampaign;

  beforeAll(async () => {
    c = await sentCampaign(runtime(), 6, TAG);
    big = await sentCampaign(runtime(), 100, 'dsn6');
  }, 180_000);

  const info = `info@${REPLY_DOMAIN}`;

  it('a From-spoofed reply without a token counts nothing and is shown weak and unverified', async () => {
    const d = runtime().deps();
    const r = c.recipients[0]!;
    const res = await deliver(runtime(), fixture('no-in-reply-to.eml', r, info), {
      from: 'bounce@attacker.example.net',
      to: [info],
    });
    const reply = await storedFor(res.response, undefined);
    expect(reply).toMatchObject({
      kind: 'human',
      match: { by: 'sender', strength: 'weak', senderAuthenticated: false },
      authenticity: {
        checkedBy: 'amazonses.com',
        dmarc: 'FAIL',
        dkim: 'GRAY',
        senderAuthenticated: false,
      },
    });
    expect(reply.campaignId).toBeUndefined();
    expect(reply.recipientId).toBeUndefined();
    expect(reply.match.detail).toMatch(/nothing authenticates it.*not attached/);
    expect((await d.store.counters(c.id)).replied).toBe(0);
    const rec = await d.store.getRecipient(c.id, r.id);
    expect(rec).not.toHaveProperty('repliedAt');
    expect(rec).not.toHaveProperty('weakReplyAt');
    expect(inAudience(rec!, 'not-replied')).toBe(true);
    expect(await d.events.timeline(c.id, r.id)).not.toContainEqual(
      expect.objectContaining({ type: 'reply' }),
    );
  });

  it('a forged DKIM signature (the body changed after signing) authenticates nothing', async () => {
    const r = c.recipients[1]!;
    const good = await dkimSigned(fixture('no-in-reply-to.eml', r, info), r.email.split('@')[1]!);
    const forged = Buffer.from(
      good.toString('latin1').replace('welcome a short briefing', 'welcome a long briefing'),
      'latin1',
    );
    const res = await deliver(runtime(), forged, { from: r.email, to: [info] });
    const reply = await storedFor(res.response, undefined);
    expect(reply.authenticity).toMatchObject({
      dkim: 'FAIL',
      dmarc: 'FAIL',
      senderAuthenticated: false,
    });
    expect(reply.recipientId).toBeUndefined();
  });

  it('a DKIM-signed reply from the aligned domain is a probable match that counts nothing until staff confirm it, once', async () => {
    const d = runtime().deps();
    const r = c.recipients[2]!;
    const raw = await dkimSigned(fixture('no-in-reply-to.eml', r, info), r.email.split('@')[1]!);
    const res = await deliver(runtime(), raw, { from: r.email, to: [info] });
    const reply = await storedFor(res.response, c.id);
    expect(reply).toMatchObject({
      campaignId: c.id,
      recipientId: r.id,
      kind: 'human',
      match: { by: 'sender', strength: 'weak', senderAuthenticated: true },
      authenticity: {
        dkim: 'PASS',
        dmarc: 'PASS',
        senderAuthenticated: true,
        dkimDomains: [r.email.split('@')[1]],
      },
    });
    expect(reply.match.detail.startsWith(`possibly from ${r.email}, unverified`)).toBe(true);
    expect((await d.store.counters(c.id)).replied).toBe(0);
    const before = await d.store.getRecipient(c.id, r.id);
    expect(before).not.toHaveProperty('repliedAt');
    expect(before).toHaveProperty('weakReplyAt', reply.receivedAt);
    expect(inAudience(before!, 'not-replied')).toBe(true);
    const timeline = await d.events.timeline(c.id, r.id);
    expect(timeline.find((e) => (e.type as string) === 'reply')?.reason).toMatch(
      /weak match .*unconfirmed, not counted/,
    );

    const viewer = await staffToken(['viewer'], 'vera');
    const campaigner = await staffToken(['campaigner'], 'carla');
    const listed = await api('GET', `/api/campaigns/${c.id}/replies`, viewer);
    const item = listed.json.items!.find((i) => i.id === reply.id)!;
    expect(item.match).toMatchObject({
      counts: false,
      label: expect.stringMatching(/^weak match, unconfirmed/),
    });
    const csv = await api('GET', `/api/campaigns/${c.id}/export.csv`, viewer);
    const row = csv.text.split('\r\n').find((l) => l.startsWith(r.email))!;
    expect(row).toContain('weak (unconfirmed, not counted)');

    expect(
      (await api('POST', `/api/campaigns/${c.id}/replies/${reply.id}/confirm`, viewer, '{}'))
        .status,
    ).toBe(403);
    const confirmed = await api(
      'POST',
      `/api/campaigns/${c.id}/replies/${reply.id}/confirm`,
      campaigner,
      '{}',
    );
    expect(confirmed.status).toBe(200);
    expect(confirmed.json).toMatchObject({
      counted: true,
      match: { confirmedBy: 'carla@example.org (carla)', counts: true },
    });
    const again = await api(
      'POST',
      `/api/campaigns/${c.id}/replies/${reply.id}/confirm`,
      campaigner,
      '{}',
    );
    expect(again.status).toBe(409);
    expect(again.json.message).toMatch(/confirmed already by carla@example.org/);
    expect((await d.store.counters(c.id)).replied).toBe(1);
    const after = await d.store.getRecipient(c.id, r.id);
    expect(after).toMatchObject({
      repliedAt: reply.receivedAt,
      replyConfirmedBy: 'carla@example.org (carla)',
    });
    expect(inAudience(after!, 'not-replied')).toBe(false);
    const log = await d.governance.auditLog(c.id);
    expect(log.items).toContainEqual(
      expect.objectContaining({
        action: 'confirmed-reply',
        actor: 'carla',
        actorEmail: 'carla@example.org',
        detail: expect.stringContaining(reply.id),
      }),
    );
    const csvAfter = await api('GET', `/api/campaigns/${c.id}/export.csv`, viewer);
    expect(csvAfter.text.split('\r\n').find((l) => l.startsWith(r.email))).toContain(
      'confirmed by carla@example.org',
    );
  });

  it('the raw message downloads as the bytes received (an ISO-8859-1 reply stays ISO-8859-1)', async () => {
    const r = c.recipients[4]!;
    const token = c.replyTo.get(r.id)!;
    const res = await deliver(runtime(), fixture('german.eml', r, token), {
      from: r.email,
      to: [token],
    });
    const reply = await storedFor(res.response, c.id);
    const stored = Buffer.from((await runtime().deps().rawStore.get(reply.raw.key))!);
    expect(stored.includes(Buffer.from('f\xfcr', 'latin1'))).toBe(true);
    const got = await fetch(`${runtime().httpUrl}/api/campaigns/${c.id}/replies/${reply.id}/raw`, {
      headers: { authorization: `Bearer ${await staffToken(['viewer'], 'vera')}` },
    });
    expect(got.headers.get('content-type')).toBe('message/rfc822');
    expect(Buffer.from(await got.arrayBuffer()).equals(stored)).toBe(true);
  });

  it('a strong match cannot be "confirmed"', async () => {
    const r = c.recipients[3]!;
    const token = c.replyTo.get(r.id)!;
    const res = await deliver(runtime(), fixture('gmail.eml', r, token), {
      from: r.email,
      to: [token],
    });
    const reply = await storedFor(res.response, c.id);
    expect(reply.match.strength).toBe('strong');
    const out = await api(
      'POST',
      `/api/campaigns/${c.id}/replies/${reply.id}/confirm`,
      await staffToken(['campaigner'], 'carla'),
      '{}',
    );
    expect(out.status).toBe(409);
    expect(out.json.message).toMatch(/strong match already/);
  });

  it('forged DSNs suppress no one, count no bounce and would not trip the reputation guard', async () => {
    const d = runtime().deps();
    const victims = big.recipients.slice(0, 6);
    for (const r of victims) {
      const postmaster = `postmaster@${REPLY_DOMAIN}`;
      const res = await deliver(runtime(), fixture('forged-dsn.eml', r, postmaster), {
        from: r.email,
        to: [postmaster],
      });
      expect(res.response).toMatch(/^250 /);
      const reply = await storedFor(res.response, undefined);
      expect(reply).toMatchObject({
        kind: 'bounce',
        match: { by: 'sender', senderAuthenticated: false },
      });
    }
    const counters = await d.store.counters(big.id);
    expect(counters.sent).toBe(100);
    expect(counters.bouncedHard + counters.bouncedSoft).toBe(0);
    // Six hard bounces in a hundred letters is 6 %, over the guard's 5 %: counted, they would have paused the send-out.
    expect(reputationProblem({ ...counters, bouncedHard: 6 })).toMatch(/bounce rate 6\.00%/);
    expect(reputationProblem(counters)).toBeUndefined();
    for (const r of victims) {
      expect(await d.store.isSuppressed(r.email)).toBe(false);
      const rec = await d.store.getRecipient(big.id, r.id);
      expect(rec).not.toHaveProperty('dsnBouncedAt');
      expect(await d.events.timeline(big.id, r.id)).not.toContainEqual(
        expect.objectContaining({ type: 'bounce' }),
      );
    }
  });

  it('a real DSN with the letter’s Message-ID from a mailer daemon adds a timeline note only', async () => {
    const d = runtime().deps();
    const r = big.recipients[10]!;
    const to = `postmaster@${REPLY_DOMAIN}`;
    await deliver(runtime(), fixture('dsn.eml', r, to), { from: '', to: [to] });
    const counters = await d.store.counters(big.id);
    expect(counters.bouncedHard).toBe(0);
    expect(await d.store.isSuppressed(r.email)).toBe(false);
    const note = (await d.events.timeline(big.id, r.id)).find(
      (e) => (e.type as string) === 'reply',
    );
    expect(note?.reason).toMatch(
      /a note only — bounces and suppressions come from SES bounce events/,
    );
  });
});
