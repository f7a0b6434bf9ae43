/**
 * Fallback contacts, on the real local services: letters go
 * through the real sender to the local SES endpoint, whose mailbox
 * simulator hard-bounces bounce+…@simulator.amazonses.com; the SES events
 * go through the real events handler. Letters are counted per address in
 * the SES endpoint's store.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { handler as eventsHandler } from '../../../functions/events/handler.js';
import { type Campaign, newCampaignId } from '../../../functions/core/campaign.js';
import { compileLetters } from '../../../functions/core/letter.js';
import { importRecipients } from '../../../functions/core/recipients.js';
import { eventsFor } from '../../../functions/local/ses-events.js';
import { mailsTo, perRecipient, useRuntime } from '../../support/runtime.js';
import { letterMjml } from '../../support/fixtures.js';
import { belarusStatement, sentCampaign, settle, staffToken } from '../../support/staff.js';
import { sqsEvent } from '../events/ses-examples.js';

const runtime = useRuntime();

const HEADER = 'email,name,title,organisation,country,language,group,fallback_emails';

/** The SES bounce event of one letter exactly as the local SES proxy published it (same event id). */
function bounceBody(
  campaignId: string,
  recipientId: string,
  to: string,
  messageId: string,
  at: Date,
): string {
  const events = eventsFor(
    {
      Destination: { ToAddresses: [to] },
      FromEmailAddress: 'forum@demarche.example.org',
      EmailTags: [
        { Name: 'campaign', Value: campaignId },
        { Name: 'recipient', Value: recipientId },
      ],
    },
    messageId,
    // The proxy stamps the bounce 600 ms after `now - 600`: passing the bounce's own time gives the same record.
    at,
    'eu-west-1',
  );
  const bounce = events.find((e) => e['detail-type'] === 'Email Bounced');
  if (bounce) return JSON.stringify(bounce);
  // Not a simulator address: the bounce a mail server would report for it.
  const sent = events[0] as { detail: { mail: unknown } };
  return JSON.stringify({
    ...sent,
    'detail-type': 'Email Bounced',
    detail: {
      eventType: 'Bounce',
      mail: sent.detail.mail,
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [{ emailAddress: to, status: '5.1.1', diagnosticCode: 'smtp; 550' }],
        timestamp: at.toISOString(),
        feedbackId: `${messageId}-bounce`,
      },
    },
  });
}

/**
 * A sending campaign of one minister with one fallback, whose deadline is
 * `deadlineInMs` from now, and the minister's letter recorded as sent (as
 * the sender records it) under a message id of our own.
 */
async function sentLetter(deadlineInMs: number) {
  const d = runtime().deps();
  const tag = randomUUID().slice(0, 6);
  const primary = `minister@${tag}-mfa.example.org`;
  const fallback = `registry@${tag}-mfa.example.org`;
  const { recipients } = importRecipients(
    `${HEADER}\n${primary},Anna Berg,Minister,Ministry,SE,en,minister,${fallback}\n`,
  );
  const statement = belarusStatement();
  const templates = await compileLetters(statement, letterMjml());
  const now = new Date();
  const campaign: Campaign = {
    id: newCampaignId(now),
    status: 'sending',
    statement: { ...statement, deadline: new Date(now.getTime() + deadlineInMs).toISOString() },
    languages: templates.map((t) => t.language),
    recipientCount: 1,
    dryRun: false,
    createdAt: now.toISOString(),
  };
  await d.store.createCampaign(campaign, templates);
  await d.store.putRecipients(campaign.id, recipients);
  const rid = recipients[0]!.id;
  const claim = randomUUID();
  const messageId = `0102019a-${randomUUID()}-000000`;
  await d.store.claim(campaign.id, rid, claim, now.toISOString());
  expect(await d.store.recordSent(campaign.id, rid, claim, messageId, now.toISOString())).toBe(
    true,
  );
  return { campaign, rid, primary, fallback, messageId };
}

async function ingest(bodies: string[]) {
  const out = await eventsHandler(sqsEvent(bodies) as never);
  expect(out.batchItemFailures).toEqual([]);
}

/** Waits until the send and events queues stay empty (a fallback job follows a bounce event). */
async function settleAll() {
  for (let i = 0; i < 4; i++) await settle(runtime());
}

describe('fallback contacts', { timeout: 180_000 }, () => {
  it("a minister's primary hard-bounce before the deadline sends exactly one letter to the next fallback; a bounce delivered again sends none", async () => {
    const d = runtime().deps();
    const tag = randomUUID().slice(0, 6);
    const primary = `bounce+min-${tag}@simulator.amazonses.com`;
    const registry = `registry@${tag}-mfa.example.org`;
    const office = `office@${tag}-mfa.example.org`;
    // A chain: the first fallback bounces too, so the letter goes on to the second.
    const primary2 = `bounce+min2-${tag}@simulator.amazonses.com`;
    const fb2a = `bounce+fb2-${tag}@simulator.amazonses.com`;
    const fb2b = `cabinet@${tag}-mzv.example.org`;
    // A fallback already suppressed is passed over.
    const primary3 = `bounce+min3-${tag}@simulator.amazonses.com`;
    const fb3a = `closed@${tag}-um.example.org`;
    const fb3b = `kancelaria@${tag}-um.example.org`;
    const ngo = `info@${tag}-viasna.example.org`;
    await d.store.suppress(fb3a, 'hard bounce', new Date().toISOString());
    const csv = [
      HEADER,
      `${primary},Anna Berg,Minister,Ministry of Foreign Affairs,SE,en,minister,"${registry.toUpperCase()}; ${office}"`,
      `${primary2},Jan Novák,Minister,Ministry of Foreign Affairs,CZ,en,minister,${fb2a} ${fb2b}`,
      `${primary3},Maria Nowak,Minister,Ministry of Foreign Affairs,PL,en,minister,${fb3a};${fb3b}`,
      `${ngo},Viasna,,Viasna,BY,en,ngo,`,
    ].join('\n');
    const campaign = await sentCampaign(runtime(), csv);
    await settleAll();

    const all = [primary, registry, office, primary2, fb2a, fb2b, primary3, fb3a, fb3b, ngo];
    const count = async () => perRecipient(await mailsTo(runtime(), all));
    const counts = await count();
    expect(Object.fromEntries(counts)).toEqual({
      [primary]: 1,
      [registry]: 1,
      [primary2]: 1,
      [fb2a]: 1,
      [fb2b]: 1,
      [primary3]: 1,
      [fb3b]: 1,
      [ngo]: 1,
    });

    // The recipient keeps the history: which address got which message, when, and why it moved on.
    const { recipients } = importRecipients(csv);
    const anna = (await d.store.getRecipient(campaign.id, recipients[0]!.id))!;
    expect(anna).toMatchObject({ email: registry, attempt: 1, state: 'sent' });
    expect(anna.fallbackHistory).toEqual([
      expect.objectContaining({ attempt: 0, email: primary, to: registry, toAttempt: 1 }),
    ]);
    const [move] = anna.fallbackHistory!;
    expect(move!.reason).toContain('hard bounce');
    expect(move!.messageId).not.toBe(anna.messageId);
    const [toPrimary] = await mailsTo(runtime(), [primary]);
    const [toRegistry] = await mailsTo(runtime(), [registry]);
    expect(move!.messageId).toBe(toPrimary!.messageId);
    expect(anna.messageId).toBe(toRegistry!.messageId);
    // The fallback letter is the same letter: same subject, to the minister by name.
    expect(toRegistry!.subject).toBe(toPrimary!.subject);
    expect((await d.events.track(campaign.id, anna.id))?.deliveryState).toBe('delivered');
    expect(await d.store.isSuppressed(primary)).toBe(true);
    expect(await d.store.isSuppressed(registry)).toBe(false);
    // The content (and its version hash) is still the list as approved: primary and fallbacks.
    const identities = await d.governance.recipientIdentities(campaign.id);
    expect(identities.find((i) => i.id === anna.id)).toEqual({
      id: anna.id,
      email: primary,
      fallbackEmails: [registry, office],
    });

    const jan = (await d.store.getRecipient(campaign.id, recipients[1]!.id))!;
    expect(jan).toMatchObject({ email: fb2b, attempt: 2, state: 'sent' });
    expect(jan.fallbackHistory!.map((m) => [m.email, m.to])).toEqual([
      [primary2, fb2a],
      [fb2a, fb2b],
    ]);
    const maria = (await d.store.getRecipient(campaign.id, recipients[2]!.id))!;
    expect(maria).toMatchObject({ email: fb3b, attempt: 2, state: 'sent' });
    expect(maria.fallbackHistory).toEqual([
      expect.objectContaining({ email: primary3, to: fb3b, skipped: [fb3a] }),
    ]);

    // Counts: one letter per recipient in `sent`; the moves in `fallbacks`; every hard bounce counted.
    const counters = await d.store.counters(campaign.id);
    expect(counters).toMatchObject({
      sent: 4,
      fallbacks: 4,
      bouncedHard: 4,
      delivered: 4,
      failed: 0,
    });
    expect((await d.store.getCampaign(campaign.id))?.status).toBe('completed');

    // The bounce delivered again, one after the other and twice at once: no further letter.
    const timeline = await d.events.timeline(campaign.id, anna.id);
    const bounce = timeline.find((e) => e.type === 'bounce')!;
    const body = bounceBody(campaign.id, anna.id, primary, move!.messageId, new Date(bounce.at));
    await ingest([body]);
    await ingest([body]);
    await Promise.all([ingest([body]), ingest([body])]);
    // A second, different bounce report for the old letter: recorded, moves nothing.
    const later = new Date(Date.parse(bounce.at) + 60_000);
    await ingest([bounceBody(campaign.id, anna.id, primary, move!.messageId, later)]);
    await settleAll();
    expect(await count()).toEqual(counts);
    expect(await d.store.counters(campaign.id)).toEqual(counters);
    const again = (await d.store.getRecipient(campaign.id, anna.id))!;
    expect(again).toMatchObject({ email: registry, attempt: 1, state: 'sent' });
    expect(again.fallbackHistory).toHaveLength(1);
    expect((await d.events.track(campaign.id, anna.id))?.deliveryState).toBe('delivered');
    const entries = await d.events.timeline(campaign.id, anna.id);
    expect(entries.filter((e) => e.type === 'bounce').map((e) => e.reason)).toEqual([
      expect.stringContaining('Permanent'),
      expect.stringContaining('earlier letter'),
    ]);

    // Staff see it: the audit log (no address in it) and the recipient view of the API.
    const log = (await d.governance.auditLog(campaign.id)).items.filter(
      (e) => e.action === 'fallback',
    );
    expect(log).toHaveLength(4);
    expect(log[0]!.detail).toMatch(/minister recipient's primary address hard-bounced/);
    expect(JSON.stringify(log)).not.toContain('@');
    const token = await staffToken(['viewer'], 'watcher');
    const res = await fetch(
      `${runtime().httpUrl}/api/campaigns/${campaign.id}/recipients/${anna.id}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(res.status).toBe(200);
    const view = (await res.json()) as {
      fallbacks: string[];
      timeline: { what: string; detail?: string }[];
    };
    expect(view.fallbacks).toEqual([
      expect.stringMatching(
        new RegExp(
          `^primary ${primary.replace(/[.+]/g, '\\$&')} bounced .*→ sent to fallback 1 ${registry}`,
        ),
      ),
    ]);
    expect(view.timeline.find((e) => e.what === 'fallback')?.detail).toBe(view.fallbacks[0]);
  });

  it('the first bounce delivered three times at once moves the letter once', async () => {
    const d = runtime().deps();
    const { campaign, rid, primary, fallback, messageId } = await sentLetter(60_000);
    const body = bounceBody(campaign.id, rid, primary, messageId, new Date());
    await Promise.all([ingest([body]), ingest([body]), ingest([body])]);
    await settleAll();
    expect(Object.fromEntries(perRecipient(await mailsTo(runtime(), [fallback])))).toEqual({
      [fallback]: 1,
    });
    const r = (await d.store.getRecipient(campaign.id, rid))!;
    expect(r).toMatchObject({ email: fallback, attempt: 1, state: 'sent' });
    expect(r.fallbackHistory).toHaveLength(1);
    expect(await d.store.counters(campaign.id)).toMatchObject({
      sent: 1,
      fallbacks: 1,
      bouncedHard: 1,
      delivered: 1,
    });
  });

  it('a hard bounce after the deadline sends nothing to the fallback', async () => {
    const d = runtime().deps();
    // A campaign still `sending` whose deadline has just passed (the scheduler has not expired it yet).
    const { campaign, rid, primary, fallback, messageId } = await sentLetter(-1_000);
    await ingest([bounceBody(campaign.id, rid, primary, messageId, new Date())]);
    await settleAll();
    expect(await mailsTo(runtime(), [fallback])).toEqual([]);
    const r = (await d.store.getRecipient(campaign.id, rid))!;
    expect(r).toMatchObject({ email: primary, state: 'sent', messageId });
    expect(r.fallbackHistory).toBeUndefined();
    expect(await d.store.counters(campaign.id)).toMatchObject({
      sent: 1,
      fallbacks: 0,
      bouncedHard: 1,
    });
    expect(await d.store.isSuppressed(primary)).toBe(true);
  });
});
