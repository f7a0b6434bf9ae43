/**
 * The campaign lifecycle on the real local services: legal moves only, with
 * clear errors; pause and resume without a double; cancel; the reputation
 * guard pausing a campaign whose real SES bounce events pass 5%; suppressed
 * addresses never mailed again, by any campaign.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { setDeps } from '../../functions/adapters/deps.js';
import { DynamoRateLimiter } from '../../functions/adapters/dynamo-rate-limiter.js';
import { dynamoClient } from '../../functions/adapters/dynamo-store.js';
import type { CampaignStatus } from '../../functions/core/campaign.js';
import { CampaignStateError } from '../../functions/core/errors.js';
import { launchCampaign } from '../../functions/core/launch.js';
import {
  cancelCampaign,
  pauseCampaign,
  resumeCampaign,
  scheduleCampaign,
} from '../../functions/core/lifecycle.js';
import { sesStore } from '../../functions/local/ses.js';
import { draftCampaign } from '../support/campaigns.js';
import { mailsTo, perRecipient, useRuntime } from '../support/runtime.js';
import { asEventBridge, examples } from './events/ses-examples.js';

const runtime = useRuntime({ queue: { visibilityTimeoutMs: 200 }, schedulerTickMs: 200 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(() => {
  // 10 letters a second, so that a send-out lasts long enough to pause it.
  setDeps({
    rateLimiter: new DynamoRateLimiter(
      dynamoClient({ region: 'eu-west-1', endpoint: runtime().dynamoEndpoint }),
      runtime().table,
      async () => 10,
    ),
  });
});

async function waitFor(test: () => Promise<boolean>): Promise<void> {
  while (!(await test())) await sleep(100);
}
const status = async (id: string): Promise<CampaignStatus> =>
  (await runtime().deps().store.getCampaign(id))!.status;

describe('campaign lifecycle', { timeout: 180_000 }, () => {
  it('refuses illegal moves with an error naming the state', async () => {
    const { campaign } = await draftCampaign(runtime(), 2, 'illegal');
    const d = runtime().deps();
    await expect(pauseCampaign(d, campaign.id)).rejects.toThrow(
      `Campaign ${campaign.id}: cannot pause a campaign that is draft`,
    );
    await expect(resumeCampaign(d, campaign.id)).rejects.toBeInstanceOf(CampaignStateError);
    await expect(resumeCampaign(d, campaign.id)).rejects.toThrow(
      /cannot resume a campaign that is draft/,
    );
    await expect(scheduleCampaign(d, campaign.id, new Date(Date.now() - 1000))).rejects.toThrow(
      /is in the past/,
    );
    await expect(
      scheduleCampaign(d, campaign.id, new Date(Date.parse(campaign.statement.deadline) + 1)),
    ).rejects.toThrow(/is not before the deadline/);
    await expect(scheduleCampaign(d, campaign.id, new Date('nonsense'))).rejects.toThrow(
      /not a valid date/,
    );
    await expect(pauseCampaign(d, 'c-missing')).rejects.toThrow('campaign c-missing not found');
    const { campaign: cancelled } = await cancelCampaign(d, campaign.id);
    expect(cancelled.status).toBe('cancelled');
    await expect(cancelCampaign(d, campaign.id)).rejects.toThrow(
      /cannot cancel a campaign that is cancelled/,
    );
    expect(await status(campaign.id)).toBe('cancelled');
  });

  it('a cancelled scheduled campaign never launches; its letters are settled, none sent', async () => {
    const { campaign, recipients } = await draftCampaign(runtime(), 5, 'cancel-scheduled');
    const d = runtime().deps();
    await scheduleCampaign(d, campaign.id, new Date(Date.now() + 600));
    const { expired } = await cancelCampaign(d, campaign.id);
    expect(expired).toBe(5);
    await sleep(1_200); // past the launch time, with the timer ticking every 200 ms
    expect(await status(campaign.id)).toBe('cancelled');
    expect(
      await mailsTo(
        runtime(),
        recipients.map((r) => r.email),
      ),
    ).toHaveLength(0);
    expect((await d.store.counters(campaign.id)).expired).toBe(5);
  });

  it('pause stops the sending, resume finishes it, and nobody gets two letters', async () => {
    const { campaign, recipients } = await draftCampaign(runtime(), 60, 'pause');
    const d = runtime().deps();
    const addresses = recipients.map((r) => r.email);
    await launchCampaign(d, campaign.id);
    await waitFor(async () => (await mailsTo(runtime(), addresses)).length >= 5);
    const paused = await pauseCampaign(d, campaign.id, 'waiting for the ministry to confirm');
    expect(paused).toMatchObject({
      status: 'paused',
      pausedReason: 'waiting for the ministry to confirm',
    });
    await runtime().queue.drained();
    const atPause = (await mailsTo(runtime(), addresses)).length;
    expect(atPause).toBeLessThan(60);
    expect(await status(campaign.id)).toBe('paused');

    const { queued } = await resumeCampaign(d, campaign.id);
    expect(queued).toBe(60 - atPause);
    await runtime().queue.drained();
    const counts = perRecipient(await mailsTo(runtime(), addresses));
    expect(counts.size).toBe(60);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(await status(campaign.id)).toBe('completed');
  });

  it('pauses itself, saying why, when real bounce events pass 5%; bounced addresses stay suppressed', async () => {
    const { campaign, recipients } = await draftCampaign(runtime(), 160, 'bouncy');
    const d = runtime().deps();
    const addresses = recipients.map((r) => r.email);
    await launchCampaign(d, campaign.id);
    await waitFor(async () => (await d.store.counters(campaign.id)).sent >= 100);

    // SES reports 12 hard bounces among the first letters (EventBridge events, through the events handler).
    const sent = (await sesStore(runtime().sesEndpoint))
      .filter((m) => addresses.includes(m.destination.to[0]!))
      .slice(0, 12);
    for (const m of sent) {
      const r = recipients.find((x) => x.email === m.destination.to[0])!;
      runtime().eventsQueue.sendRaw(
        asEventBridge(
          examples.bounce({
            messageId: m.messageId,
            to: r.email,
            campaignId: campaign.id,
            recipientId: r.id,
          }),
        ),
      );
    }
    await runtime().eventsQueue.drained();
    await waitFor(async () => (await status(campaign.id)) !== 'sending');
    await runtime().queue.drained();

    const c = (await d.store.getCampaign(campaign.id))!;
    expect(c.status).toBe('paused');
    expect(c.pausedReason).toMatch(
      /^paused by the reputation guard: bounce rate \d+\.\d\d% \(12 hard bounces of \d+ sent\) is above 5\.00%$/,
    );
    const counts = perRecipient(await mailsTo(runtime(), addresses));
    expect(counts.size).toBeLessThan(160);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);

    // A later campaign to the same people: the bounced addresses are never mailed again.
    const bounced = new Set(sent.map((m) => m.destination.to[0]!));
    const { campaign: again, recipients: same } = await draftCampaign(runtime(), 160, 'bouncy');
    await launchCampaign(d, again.id);
    await runtime().queue.drained();
    const second = (await sesStore(runtime().sesEndpoint)).filter((m) =>
      bounced.has(m.destination.to[0]!),
    );
    expect(second).toHaveLength(12); // the first campaign's letters, nothing more
    for (const r of same.filter((x) => bounced.has(x.email))) {
      expect((await d.store.getRecipient(again.id, r.id))!.state).toBe('suppressed');
    }
    expect((await d.store.counters(again.id)).suppressed).toBe(12);
  });
});
