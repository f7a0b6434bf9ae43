/**
 * The deadline passing mid-send, and scheduled launches: the runtime's timer
 * (the local EventBridge Scheduler) launches a scheduled campaign at its time
 * and expires a campaign at its deadline. Counted at the SES endpoint: one
 * letter for each recipient reached in time, none after the deadline, none
 * before the launch time, every other letter `expired`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDeps } from '../../functions/adapters/deps.js';
import { DynamoRateLimiter } from '../../functions/adapters/dynamo-rate-limiter.js';
import { dynamoClient } from '../../functions/adapters/dynamo-store.js';
import { SesMailer, sesClient } from '../../functions/adapters/ses-mailer.js';
import { systemClock } from '../../functions/adapters/clock.js';
import type { CampaignStatus } from '../../functions/core/campaign.js';
import { launchCampaign } from '../../functions/core/launch.js';
import { scheduleCampaign } from '../../functions/core/lifecycle.js';
import { approveVersion, recordVersion } from '../../functions/core/governance/govern.js';
import { draftCampaign } from '../support/campaigns.js';
import { mailsTo, perRecipient, useRuntime } from '../support/runtime.js';
import { startSesProxy, type SesProxy } from '../support/ses-proxy.js';

const runtime = useRuntime({ queue: { visibilityTimeoutMs: 300 }, schedulerTickMs: 200 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let proxy: SesProxy;
beforeAll(async () => {
  proxy = await startSesProxy(runtime().sesEndpoint);
  setDeps({
    mailer: new SesMailer(sesClient({ region: 'eu-west-1', endpoint: proxy.url })),
    // 4 letters a second: a send-out (30 s) far longer than the time left before the deadline.
    rateLimiter: new DynamoRateLimiter(
      dynamoClient({ region: 'eu-west-1', endpoint: runtime().dynamoEndpoint }),
      runtime().table,
      async () => 4,
    ),
  });
});
afterAll(async () => {
  await proxy.stop();
});

async function waitForStatus(
  campaignId: string,
  wanted: CampaignStatus[],
): Promise<CampaignStatus> {
  for (;;) {
    const c = await runtime().deps().store.getCampaign(campaignId);
    if (c && wanted.includes(c.status)) return c.status;
    await sleep(100);
  }
}

describe('the deadline passing mid-send', { timeout: 300_000 }, () => {
  it('sends nothing after the deadline; the letters still queued expire, none lost', async () => {
    const { campaign, recipients } = await draftCampaign(
      runtime(),
      120,
      'deadline',
      new Date(Date.now() + 600_000).toISOString(),
    );
    // However long creating the campaign took on this machine, the senders'
    // clock (and the scheduler's) now stands 10 s before the deadline.
    const deadline = Date.parse(campaign.statement.deadline);
    const offset = deadline - 10_000 - Date.now();
    setDeps({ clock: { now: () => new Date(Date.now() + offset) } });
    const d = runtime().deps();
    await launchCampaign(d, campaign.id);
    // The runtime's timer expires the campaign at its deadline.
    try {
      expect(await waitForStatus(campaign.id, ['expired', 'completed'])).toBe('expired');
      await runtime().queue.drained();
    } finally {
      setDeps({ clock: systemClock });
    }

    const sends = proxy.sends.filter((s) => s.tags.campaign === campaign.id);
    expect(sends.length).toBeGreaterThan(0);
    expect(sends.length).toBeLessThan(120);
    // Arrival at SES, on the senders' clock: before the deadline, every one.
    const last = Math.max(...sends.map((s) => s.at)) + offset;
    expect(last).toBeLessThan(deadline);

    const counts = perRecipient(
      await mailsTo(
        runtime(),
        recipients.map((r) => r.email),
      ),
    );
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    for (const r of recipients) {
      const stored = (await d.store.getRecipient(campaign.id, r.id))!;
      if (counts.has(r.email)) expect(stored.state).toBe('sent');
      else {
        expect(stored.state).toBe('expired');
        expect(stored.failure).toMatch(/deadline passed|campaign expired/);
      }
    }
    const counters = await d.store.counters(campaign.id);
    expect(counters.sent).toBe(counts.size);
    expect(counters.sent + counters.expired).toBe(120);
    expect(counters.unknown).toBe(0);
  });
});

describe('a scheduled launch', { timeout: 300_000 }, () => {
  it('starts at its time (not before) through the runtime timer, and sends each letter once', async () => {
    const { campaign, recipients } = await draftCampaign(runtime(), 12, 'scheduled');
    const d = runtime().deps();
    // The scheduler launches an approved version only (it approves nothing itself).
    await recordVersion(d, campaign.id, 'alice', 'created');
    await approveVersion(d, campaign.id, 'bob');
    const at = new Date(Date.now() + 1_500);
    const scheduled = await scheduleCampaign(d, campaign.id, at);
    expect(scheduled).toMatchObject({ status: 'scheduled', scheduledAt: at.toISOString() });

    expect(await waitForStatus(campaign.id, ['completed'])).toBe('completed');
    const sends = proxy.sends.filter((s) => s.tags.campaign === campaign.id);
    expect(sends).toHaveLength(12);
    expect(Math.min(...sends.map((s) => s.at))).toBeGreaterThanOrEqual(at.getTime());
    const counts = perRecipient(
      await mailsTo(
        runtime(),
        recipients.map((r) => r.email),
      ),
    );
    expect([...counts.values()]).toEqual(Array(12).fill(1));
    expect((await d.store.getCampaign(campaign.id))!.launchedAt! >= at.toISOString()).toBe(true);
  });
});
