/**
 * A sender that dies between the SES call and the record. The letter has
 * left but is still `claimed`: the redelivered job must not send it again.
 * SES's Send events (tags campaign/recipient, read off the wire by the proxy)
 * settle it as sent; a claim no event settles is held as `unknown` for a
 * person, who may send it again — once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Deps, setDeps } from '../../functions/adapters/deps.js';
import { audit } from '../../functions/core/governance/govern.js';
import type { AuditAction } from '../../functions/core/governance/model.js';
import { SesMailer, sesClient } from '../../functions/adapters/ses-mailer.js';
import { launchCampaign } from '../../functions/core/launch.js';
import { handler as eventsHandler } from '../../functions/events/handler.js';
import type { Mailer, OutgoingLetter } from '../../functions/core/ports.js';
import { finishIfDone } from '../../functions/core/progress.js';
import { reconcileFromEvent, sweepStaleClaims } from '../../functions/core/reconcile.js';
import { listStuck, markLettersSent, resendLetters } from '../../functions/core/stuck.js';
import { CampaignStateError } from '../../functions/core/errors.js';
import { asEventBridge, examples } from './events/ses-examples.js';
import { draftCampaign } from '../support/campaigns.js';
import { mailsTo, perRecipient, useRuntime } from '../support/runtime.js';
import { startSesProxy, type SesProxy } from '../support/ses-proxy.js';

const runtime = useRuntime({ queue: { visibilityTimeoutMs: 200 } });

/** A person acting on stuck letters, logged as the CLI and the API log them. */
const acting = (d: Deps, campaignId: string, actor: string) => ({
  actor,
  audit: (action: AuditAction, detail: string) => audit(d, campaignId, actor, action, { detail }),
});

/**
 * The real SES mailer, except that for the chosen addresses the process
 * "dies": after SES accepted the letter (`after`), or before the call (`before`).
 */
class DyingMailer implements Mailer {
  readonly died = new Set<string>();
  constructor(
    private readonly real: Mailer,
    private readonly victims: Set<string>,
    private readonly when: 'before' | 'after',
  ) {}

  async send(letter: OutgoingLetter): Promise<{ messageId: string }> {
    const dies = this.victims.has(letter.to) && !this.died.has(letter.to);
    if (dies && this.when === 'before') {
      this.died.add(letter.to);
      throw new Error('sender died before the SES call');
    }
    const out = await this.real.send(letter);
    if (dies) {
      this.died.add(letter.to);
      throw new Error('sender died after the SES call, before the record');
    }
    return out;
  }
}

let proxy: SesProxy;
beforeAll(async () => {
  proxy = await startSesProxy(runtime().sesEndpoint);
});
afterAll(async () => {
  await proxy.stop();
});
const realMailer = () => new SesMailer(sesClient({ region: 'eu-west-1', endpoint: proxy.url }));

describe('a sender killed after the SES call and before the record', { timeout: 300_000 }, () => {
  it('is never sent twice, and SES Send events record it as sent', async () => {
    const { campaign, recipients } = await draftCampaign(runtime(), 20, 'killed');
    const victims = recipients.slice(3, 8);
    const mailer = new DyingMailer(realMailer(), new Set(victims.map((v) => v.email)), 'after');
    setDeps({ mailer });
    const d = runtime().deps();
    const received = runtime().queue.received;
    await launchCampaign(d, campaign.id);
    await runtime().queue.drained();
    await runtime().eventsQueue.drained();

    // Every job ran, the victims' jobs came back from the queue, and still one letter each.
    expect(mailer.died.size).toBe(5);
    expect(runtime().queue.received - received).toBeGreaterThanOrEqual(25);
    const counts = perRecipient(
      await mailsTo(
        runtime(),
        recipients.map((r) => r.email),
      ),
    );
    expect(counts.size).toBe(20);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // The events pipeline (SES Send events with the campaign/recipient tags) recorded them.
    for (const v of victims) {
      const sent = proxy.sends.find(
        (s) => s.tags.recipient === v.id && s.tags.campaign === campaign.id,
      )!;
      const r = (await d.store.getRecipient(campaign.id, v.id))!;
      expect(r).toMatchObject({ state: 'sent', messageId: sent.messageId });
      expect(r.reconciledAt).toBeDefined();
      // A repeated event changes nothing.
      const evidence = { campaignId: campaign.id, recipientId: v.id, messageId: sent.messageId! };
      expect(await reconcileFromEvent(d, evidence)).toBe('already');
    }
    expect(await d.store.counters(campaign.id)).toMatchObject({ sent: 20, unknown: 0 });
    await finishIfDone(d, campaign.id);
    expect((await d.store.getCampaign(campaign.id))!.status).toBe('completed');
  });

  it('with the events late, the claim is held as unknown, then settled by the late event', async () => {
    const { campaign, recipients } = await draftCampaign(runtime(), 10, 'late-events');
    const victims = recipients.slice(0, 3);
    setDeps({
      mailer: new DyingMailer(realMailer(), new Set(victims.map((v) => v.email)), 'after'),
    });
    const d = runtime().deps();
    await runtime().eventsQueue.stop(); // SES events are held up
    try {
      await launchCampaign(d, campaign.id);
      await runtime().queue.drained();
      for (const v of victims)
        expect((await d.store.getRecipient(campaign.id, v.id))!.state).toBe('claimed');
      expect(await d.store.counters(campaign.id)).toMatchObject({ sent: 7, unknown: 0 });
      expect(await finishIfDone(d, campaign.id)).toBe(false);

      // Past the grace period, the sweep holds the claims as unknown (the campaign can complete).
      expect(await sweepStaleClaims(d, campaign.id, 60_000)).toBe(0); // still within grace
      expect(await sweepStaleClaims(d, campaign.id, 0)).toBe(3);
      const held = (await d.store.getRecipient(campaign.id, victims[0]!.id))!;
      expect(held.state).toBe('unknown');
      expect(held.failure).toContain('never recorded');
      expect(await d.store.counters(campaign.id)).toMatchObject({ sent: 7, unknown: 3 });
      expect(await finishIfDone(d, campaign.id)).toBe(true);
    } finally {
      runtime().eventsQueue.start(eventsHandler);
    }
    // The events arrive late: unknown → sent, counted once.
    await runtime().eventsQueue.drained();
    for (const v of victims)
      expect((await d.store.getRecipient(campaign.id, v.id))!.state).toBe('sent');
    expect(await d.store.counters(campaign.id)).toMatchObject({ sent: 10, unknown: 0 });

    // Redelivering every job now sends nothing more.
    for (const r of recipients) {
      runtime().queue.sendRaw(JSON.stringify({ campaignId: campaign.id, recipientId: r.id }));
    }
    await runtime().queue.drained();
    const counts = perRecipient(
      await mailsTo(
        runtime(),
        recipients.map((r) => r.email),
      ),
    );
    expect([...counts.values()]).toEqual(Array(10).fill(1));
  });

  it('a sender killed before the SES call leaves an unknown letter that a person can send, once', async () => {
    const { campaign, recipients } = await draftCampaign(runtime(), 6, 'prekill');
    const victim = recipients[1]!;
    setDeps({ mailer: new DyingMailer(realMailer(), new Set([victim.email]), 'before') });
    const d = runtime().deps();
    await launchCampaign(d, campaign.id);
    await runtime().queue.drained();

    expect(
      perRecipient(await mailsTo(runtime(), [victim.email])).get(victim.email),
    ).toBeUndefined();
    expect((await d.store.getRecipient(campaign.id, victim.id))!.state).toBe('claimed');
    expect(await sweepStaleClaims(d, campaign.id, 0)).toBe(1);
    expect((await d.store.getRecipient(campaign.id, victim.id))!.state).toBe('unknown');

    // Staff see it, with its reason.
    const stuck = await listStuck(d, campaign.id, 'unknown');
    expect(stuck.items.map((r) => r.id)).toEqual([victim.id]);
    expect(stuck.items[0]!.failure).toContain('never recorded');

    // No SES event will ever come; a person decides it was not sent and sends it, accepting
    // that it might arrive twice. Without that acceptance the resend is refused.
    const ask = {
      state: 'unknown' as const,
      recipientIds: [victim.id],
      ...acting(d, campaign.id, 'alice'),
    };
    await expect(resendLetters(d, campaign.id, ask)).rejects.toThrow(CampaignStateError);
    const first = await resendLetters(d, campaign.id, { ...ask, acceptPossibleDuplicate: true });
    const second = await resendLetters(d, campaign.id, { ...ask, acceptPossibleDuplicate: true });
    expect(first.done).toEqual([victim.id]);
    expect(second.done).toEqual([]);
    expect(second.refused[0]!.reason).toContain('not unknown');
    await runtime().queue.drained();
    const resent = (await d.governance.auditLog(campaign.id)).items.filter(
      (e) => e.action === 'resent',
    );
    expect(resent).toHaveLength(1);
    expect(resent[0]).toMatchObject({ actor: 'alice' });
    expect(resent[0]!.detail).toContain('possible duplicate accepted');
    const counts = perRecipient(
      await mailsTo(
        runtime(),
        recipients.map((r) => r.email),
      ),
    );
    expect([...counts.values()]).toEqual(Array(6).fill(1));
    expect(await d.store.counters(campaign.id)).toMatchObject({ sent: 6, unknown: 0 });
    expect((await d.store.getCampaign(campaign.id))!.status).toBe('completed');
  });

  it('an unknown letter whose SES events show it left is not resent; a person marks it as sent, once', async () => {
    const { campaign, recipients } = await draftCampaign(runtime(), 4, 'evidence');
    const victim = recipients[0]!;
    setDeps({ mailer: new DyingMailer(realMailer(), new Set([victim.email]), 'before') });
    const d = runtime().deps();
    await launchCampaign(d, campaign.id);
    await runtime().queue.drained();
    expect(await sweepStaleClaims(d, campaign.id, 0)).toBe(1);
    // SES says the letter is delayed at the recipient's server: it left, whatever the sender recorded.
    runtime().eventsQueue.sendRaw(
      asEventBridge(
        examples.delay({
          messageId: 'ses-message-of-the-lost-record',
          to: victim.email,
          campaignId: campaign.id,
          recipientId: victim.id,
          sentAt: new Date().toISOString(),
        }),
      ),
    );
    await runtime().eventsQueue.drained();

    const out = await resendLetters(d, campaign.id, {
      state: 'unknown',
      all: true,
      acceptPossibleDuplicate: true,
      ...acting(d, campaign.id, 'alice'),
    });
    expect(out.done).toEqual([]);
    expect(out.refused[0]!.reason).toMatch(/SES reported it \(delay at/);

    const marked = await markLettersSent(d, campaign.id, {
      recipientIds: [victim.id, victim.id],
      ...acting(d, campaign.id, 'bob'),
      note: 'the ministry confirmed receipt',
    });
    expect(marked.done).toEqual([victim.id]);
    const again = await markLettersSent(d, campaign.id, {
      recipientIds: [victim.id],
      ...acting(d, campaign.id, 'bob'),
    });
    expect(again.done).toEqual([]);
    expect(await d.store.counters(campaign.id)).toMatchObject({ sent: 4, unknown: 0 });
    expect((await d.store.getRecipient(campaign.id, victim.id))!).toMatchObject({
      state: 'sent',
      markedSentBy: 'bob',
    });
    expect(
      perRecipient(await mailsTo(runtime(), [victim.email])).get(victim.email),
    ).toBeUndefined();
    const log = (await d.governance.auditLog(campaign.id)).items;
    expect(log.filter((e) => e.action === 'marked-sent')).toHaveLength(1);
  });
});
