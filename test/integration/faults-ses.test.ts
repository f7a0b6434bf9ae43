/**
 * Sending through an SES that throttles, lags and refuses: the real SES
 * mailer talks to a fault-injecting proxy in front of the local SES endpoint.
 * Every letter that should go out arrives exactly once; none is lost.
 */
import { describe, expect, it } from 'vitest';
import { launchCampaign } from '../../functions/core/launch.js';
import { draftCampaign } from '../support/campaigns.js';
import { mailsTo, perRecipient, useRuntime } from '../support/runtime.js';
import { useSesProxy } from '../support/ses-proxy.js';

const runtime = useRuntime({ queue: { visibilityTimeoutMs: 300, maxReceiveCount: 20 } });

const throughProxy = useSesProxy(runtime);

describe('an SES that throttles and lags', { timeout: 300_000 }, () => {
  it('throttled sends are retried with backoff and every letter arrives exactly once', async () => {
    const p = await throughProxy({ throttleRate: 0.3, latencyMs: [5, 40] });
    const { campaign, recipients } = await draftCampaign(runtime(), 40, 'throttle');
    await launchCampaign(runtime().deps(), campaign.id);
    await runtime().queue.drained();

    const counts = perRecipient(
      await mailsTo(
        runtime(),
        recipients.map((r) => r.email),
      ),
    );
    expect(p.throttled).toBeGreaterThan(0);
    expect(counts.size).toBe(40);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(runtime().queue.dlq).toHaveLength(0);
    const d = runtime().deps();
    expect(await d.store.counters(campaign.id)).toMatchObject({ sent: 40, failed: 0, unknown: 0 });
    expect((await d.store.getCampaign(campaign.id))!.status).toBe('completed');
  });

  it('a letter throttled past its in-process retries goes back to the queue, not lost', async () => {
    // 80 answers of 429 in a row: more than one job's retries can absorb.
    const p = await throughProxy({ throttleFirst: 80 });
    const { campaign, recipients } = await draftCampaign(runtime(), 8, 'storm');
    await launchCampaign(runtime().deps(), campaign.id);
    await runtime().queue.drained();

    expect(p.throttled).toBe(80);
    const counts = perRecipient(
      await mailsTo(
        runtime(),
        recipients.map((r) => r.email),
      ),
    );
    expect([...counts.values()]).toEqual(Array(8).fill(1));
    expect(runtime().queue.received).toBeGreaterThan(8); // some jobs came back from the queue
    expect((await runtime().deps().store.counters(campaign.id)).sent).toBe(8);
  });

  it('a permanent refusal marks that recipient failed with SES reason, and sends the rest', async () => {
    const { campaign, recipients } = await draftCampaign(runtime(), 6, 'refused');
    const refused = recipients[2]!;
    await throughProxy({ rejectTo: new Set([refused.email]) });
    await launchCampaign(runtime().deps(), campaign.id);
    await runtime().queue.drained();

    const d = runtime().deps();
    const stored = (await d.store.getRecipient(campaign.id, refused.id))!;
    expect(stored.state).toBe('failed');
    expect(stored.failure).toContain('MessageRejected');
    expect(stored.failure).toContain(refused.email);
    const counts = perRecipient(
      await mailsTo(
        runtime(),
        recipients.map((r) => r.email),
      ),
    );
    expect(counts.has(refused.email)).toBe(false);
    expect(counts.size).toBe(5);
    expect(await d.store.counters(campaign.id)).toMatchObject({ sent: 5, failed: 1 });
  });

  it('a job delivered twice at the same moment, with SES lagging, sends one letter', async () => {
    const p = await throughProxy({ latencyMs: [30, 80] });
    const { campaign, recipients } = await draftCampaign(runtime(), 30, 'twice');
    const d = runtime().deps();
    await d.store.transition(campaign.id, ['draft'], 'sending', new Date().toISOString());
    for (const r of recipients) {
      const body = JSON.stringify({ campaignId: campaign.id, recipientId: r.id });
      runtime().queue.sendRaw(body);
      runtime().queue.sendRaw(body);
      runtime().queue.sendRaw(body);
    }
    await runtime().queue.drained();

    const counts = perRecipient(
      await mailsTo(
        runtime(),
        recipients.map((r) => r.email),
      ),
    );
    expect([...counts.values()]).toEqual(Array(30).fill(1));
    expect(p.sends.filter((s) => s.tags.campaign === campaign.id)).toHaveLength(30);
    expect((await d.store.counters(campaign.id)).sent).toBe(30);
  });
});
