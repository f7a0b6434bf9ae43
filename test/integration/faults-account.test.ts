/**
 * SES refusing to send for a reason of the account or its configuration
 * (sending paused, access denied), through the fault proxy in front of the
 * local SES endpoint: the campaign pauses with the reason, no letter fails,
 * nothing reaches the dead-letter queue, and after `resume` every letter is
 * sent exactly once. A paused campaign whose jobs keep arriving for two
 * hours of the clock sends nothing and loses no job.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../functions/adapters/clock.js';
import { setDeps } from '../../functions/adapters/deps.js';
import { formatStatus, statusView } from '../../functions/cli/output.js';
import { launchCampaign } from '../../functions/core/launch.js';
import { pauseCampaign, resumeCampaign } from '../../functions/core/lifecycle.js';
import { METRIC } from '../../functions/core/metrics.js';
import { handler as scheduler } from '../../functions/scheduler/handler.js';
import { draftCampaign } from '../support/campaigns.js';
import { mailsTo, perRecipient, useRuntime } from '../support/runtime.js';
import { useSesProxy } from '../support/ses-proxy.js';

// Few receives before the DLQ: a hand-back counted as a receive failure would show at once.
const runtime = useRuntime({
  queue: { visibilityTimeoutMs: 200, maxReceiveCount: 2 },
  schedulerTickMs: 0,
});

const throughProxy = useSesProxy(runtime);
afterEach(() => setDeps({ clock: systemClock }));

const cases = [
  {
    what: 'an SES account pause',
    error: {
      name: 'SendingPausedException',
      status: 400,
      message:
        'Sending is paused for this account. For more information, please check the AWS console.',
    },
    fix: 'put-account-sending-attributes',
  },
  {
    what: 'an access-denied error (the IAM role lost ses:SendEmail)',
    error: {
      name: 'AccessDeniedException',
      status: 403,
      message:
        'User: arn:aws:sts::123456789012:assumed-role/demarche-sender/fn is not authorized to perform: ses:SendEmail',
    },
    fix: 'IAM role',
  },
];

describe('SES refusing for the account', { timeout: 300_000 }, () => {
  for (const c of cases) {
    it(`${c.what} mid-send pauses the campaign with the reason, fails no letter, and resume sends each letter once`, async () => {
      const p = await throughProxy({ latencyMs: [5, 20], accountError: { after: 6, ...c.error } });
      const { campaign, recipients } = await draftCampaign(runtime(), 40, `acct-${c.error.name}`);
      const d = runtime().deps();
      const pausesBefore = runtime().metrics.total(METRIC.accountPauses);
      await launchCampaign(d, campaign.id);
      await runtime().queue.drained();

      const paused = (await d.store.getCampaign(campaign.id))!;
      expect(paused.status).toBe('paused');
      expect(paused.pausedReason).toContain(c.error.name);
      expect(paused.pausedReason).toContain(c.fix);
      expect(p.refused).toBeGreaterThan(0);
      const before = await d.store.counters(campaign.id);
      expect(before.failed).toBe(0);
      expect(before.unknown).toBe(0);
      expect(before.sent).toBe(p.sends.filter((s) => s.tags.campaign === campaign.id).length);
      expect(before.sent).toBeLessThan(40);
      // Every letter not sent is pending again: none left claimed, none failed.
      const states = new Map<string, number>();
      for (const r of (await d.store.recipientsPage(campaign.id, undefined, 100)).items)
        states.set(r.state, (states.get(r.state) ?? 0) + 1);
      expect(Object.fromEntries(states)).toEqual({ sent: before.sent, pending: 40 - before.sent });
      expect(runtime().queue.dlq).toHaveLength(0);
      // Shown where staff look, audited once, and the alarm's metric raised once.
      expect(
        formatStatus(
          statusView(
            { ...paused, title: paused.statement.title, deadline: paused.statement.deadline },
            before,
          ),
        ),
      ).toContain(c.error.name);
      const log = (await d.governance.auditLog(campaign.id)).items;
      expect(log.filter((e) => e.action === 'paused')).toHaveLength(1);
      expect(log.find((e) => e.action === 'paused')!.actor).toBe('demarche (sender)');
      expect(runtime().metrics.total(METRIC.accountPauses)).toBe(pausesBefore + 1);

      // The fault is fixed; a person resumes.
      p.faults.accountError = undefined;
      await resumeCampaign(d, campaign.id);
      await runtime().queue.drained();
      const counts = perRecipient(
        await mailsTo(
          runtime(),
          recipients.map((r) => r.email),
        ),
      );
      expect(counts.size).toBe(40);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      expect(await d.store.counters(campaign.id)).toMatchObject({ sent: 40, failed: 0 });
      expect((await d.store.getCampaign(campaign.id))!.status).toBe('completed');
      expect(runtime().queue.dlq).toHaveLength(0);
    });
  }

  it('a campaign paused for two hours of the clock, its jobs arriving all along, sends nothing and sends no job to the DLQ', async () => {
    const p = await throughProxy({ latencyMs: [20, 40] });
    // A deadline well past the two hours, so the clock never expires the campaign.
    const deadline = new Date(Date.now() + 6 * 3600_000).toISOString();
    const { campaign, recipients } = await draftCampaign(runtime(), 30, 'long-pause', deadline);
    const d = runtime().deps();
    await launchCampaign(d, campaign.id);
    await pauseCampaign(d, campaign.id, 'paused by staff: waiting for the council agenda');
    await runtime().queue.drained();
    const sentAtPause = p.sends.filter((s) => s.tags.campaign === campaign.id).length;

    // Two hours in ten-minute steps: the scheduler ticks (its sweep of stale claims
    // included) and every letter's job arrives again, as a redrive or a re-launch would.
    const start = Date.now();
    for (let minutes = 10; minutes <= 120; minutes += 10) {
      const now = start + minutes * 60_000;
      setDeps({ clock: { now: () => new Date(now) } });
      await scheduler({ action: 'tick' });
      await runtime().queue.enqueue(
        recipients.map((r) => ({ campaignId: campaign.id, recipientId: r.id })),
      );
      await runtime().queue.drained();
      expect(runtime().queue.dlq).toHaveLength(0);
    }
    expect(p.sends.filter((s) => s.tags.campaign === campaign.id)).toHaveLength(sentAtPause);
    const during = await runtime().deps().store.counters(campaign.id);
    expect(during).toMatchObject({ sent: sentAtPause, failed: 0, unknown: 0, expired: 0 });

    await resumeCampaign(runtime().deps(), campaign.id);
    await runtime().queue.drained();
    const counts = perRecipient(
      await mailsTo(
        runtime(),
        recipients.map((r) => r.email),
      ),
    );
    expect([...counts.values()]).toEqual(Array(30).fill(1));
    expect(runtime().queue.dlq).toHaveLength(0);
    expect((await runtime().deps().store.counters(campaign.id)).sent).toBe(30);
  });

  it('jobs handed back by a slow send line come back after a delay, not as receive failures', async () => {
    // Every call answered 429 for a while: more hand-backs than the DLQ's two receives allow.
    const p = await throughProxy({ throttleFirst: 60 });
    const { campaign, recipients } = await draftCampaign(runtime(), 4, 'handback');
    const delayedBefore = runtime().queue.delayedSends;
    await launchCampaign(runtime().deps(), campaign.id);
    await runtime().queue.drained();
    expect(p.throttled).toBe(60);
    expect(runtime().queue.delayedSends).toBeGreaterThan(delayedBefore);
    expect(runtime().queue.dlq).toHaveLength(0);
    const counts = perRecipient(
      await mailsTo(
        runtime(),
        recipients.map((r) => r.email),
      ),
    );
    expect([...counts.values()]).toEqual(Array(4).fill(1));
  });
});
