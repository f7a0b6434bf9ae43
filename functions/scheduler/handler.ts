/**
 * Scheduler: starts scheduled launches at their time and expires campaigns at
 * their deadline. EventBridge Scheduler invokes it in AWS — one-shot schedules
 * with `{ action: 'launch' | 'expire', campaignId }`, and a recurring
 * `{ action: 'tick' }` that catches anything due (and sweeps stale claims);
 * the local runtime calls the tick on a timer.
 */
import { z } from 'zod';
import { deps } from '../adapters/deps.js';
import { logger } from '../adapters/logger.js';
import { launchFollowUp } from '../core/followups/followup.js';
import { dueActions, expireCampaign } from '../core/lifecycle.js';
import { sweepStaleClaims } from '../core/reconcile.js';
import { releaseDueHeld } from '../core/held.js';
import { applyRetention } from '../core/governance/retention.js';
import { approvedFollowUp, audit, beginLaunch } from '../core/governance/govern.js';
import type { CampaignHead } from '../core/campaign.js';
import { retentionDaysFromEnv, retentionStoreFor } from '../adapters/dynamo-privacy.js';
import { watchCampaigns } from '../core/watch.js';
import { forgetDeps } from '../adapters/dynamo-forget.js';
import { readTemplate } from '../adapters/templates.js';
import { listUrl, openLetterUrl } from '../core/signon/links.js';
import { signonTick } from '../core/signon/tick.js';
import { afterSendTick } from '../core/signon/after-send-run.js';
import { collectReport } from '../core/report/collect.js';
import { privacyPageUrl } from '../core/links.js';

const log = logger('scheduler');

const eventSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('launch'), campaignId: z.string().min(1).max(64) }),
  z.object({ action: z.literal('expire'), campaignId: z.string().min(1).max(64) }),
  z.object({
    action: z.literal('tick'),
    claimGraceMs: z.number().int().positive().optional(),
    /** A launch or import whose progress has not moved for this long is started again. */
    stalledMs: z.number().int().nonnegative().optional(),
  }),
]);

export type SchedulerEvent = z.infer<typeof eventSchema>;

export interface SchedulerResult {
  launched: string[];
  expired: string[];
  unknown: number;
  /** Letters held for office hours and queued again now. */
  released: number;
  /** Launches, imports and erasure jobs found stalled and started again (campaign or job ids). */
  resumed: string[];
  /** Campaigns whose sign-on reached its closing time and was closed (its list locked). */
  signonClosed: string[];
  /** Mails to co-signing organisations after the send-out: copies of the letter, delivery summaries. */
  signatoryMails: { copies: number; summaries: number; failed: number };
}

/** How long a job's progress may stand still before the tick starts it again. */
export const STALLED_MS = 2 * 60_000;

/** A launch still queueing, or an import still importing, whose last step is older than `ms`. */
export function stalledJob(
  c: CampaignHead,
  now: Date,
  ms: number,
): 'launch' | 'import' | undefined {
  const old = (at: string) => now.getTime() - Date.parse(at) >= ms;
  if (c.launch?.state === 'queueing' && (c.status === 'sending' || c.status === 'paused'))
    return old(c.launch.updatedAt) ? 'launch' : undefined;
  if (c.import?.state === 'importing' && c.status === 'draft')
    return old(c.import.updatedAt) ? 'import' : undefined;
  return undefined;
}

export async function handler(event: unknown): Promise<SchedulerResult> {
  const parsed = eventSchema.safeParse(event);
  if (!parsed.success) {
    throw new Error(
      `scheduler event is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; ')}`,
    );
  }
  const e = parsed.data;
  const d = deps();
  const result: SchedulerResult = {
    launched: [],
    expired: [],
    unknown: 0,
    released: 0,
    resumed: [],
    signonClosed: [],
    signatoryMails: { copies: 0, summaries: 0, failed: 0 },
  };
  if (e.action === 'launch') {
    await launchIfDue(e.campaignId, result);
  } else if (e.action === 'expire') {
    await expireCampaign(d, e.campaignId);
    result.expired.push(e.campaignId);
  } else {
    const campaigns = await d.store.listCampaigns();
    for (const a of dueActions(campaigns, d.clock.now())) {
      try {
        if (a.action === 'launch') await launchIfDue(a.campaignId, result);
        else {
          await expireCampaign(d, a.campaignId);
          result.expired.push(a.campaignId);
        }
      } catch (err) {
        // One campaign's failure must not hold up the others; the next tick tries again.
        log.error('scheduled action failed', { ...a, error: (err as Error).message });
      }
    }
    for (const c of campaigns) {
      // A launch function that died (or was never reached) leaves its progress standing still.
      const stalled = stalledJob(c, d.clock.now(), e.stalledMs ?? STALLED_MS);
      if (stalled) {
        try {
          await d.jobs.start({ action: stalled, campaignId: c.id });
          result.resumed.push(c.id);
        } catch (err) {
          log.error('resuming a stalled job failed', {
            campaignId: c.id,
            error: (err as Error).message,
          });
        }
      }
      if (c.status !== 'sending' && c.status !== 'paused' && c.status !== 'expired') continue;
      result.unknown += await sweepStaleClaims(d, c.id, e.claimGraceMs);
      // Letters held for office hours that have opened go back on the queue.
      if (c.status === 'sending' && c.delivery) {
        try {
          result.released += await releaseDueHeld(d, c.id);
        } catch (err) {
          log.error('releasing held letters failed', {
            campaignId: c.id,
            error: (err as Error).message,
          });
        }
      }
    }
    // Sign-on closes itself at its closing time, locking the approved list as a manual close does.
    const signon = await signonTick(
      {
        ...d,
        letterParts: async (id) => ({
          mjml: readTemplate(),
          listUrl: listUrl(d.config.publicUrl, await d.secret(), id),
        }),
      },
      campaigns,
      (campaignId, err) => log.error('sign-on step failed', { campaignId, error: err.message }),
    );
    result.signonClosed = signon.closed;
    // After the send-out each signatory gets its copy of the letter, then the delivery summary.
    result.signatoryMails = await afterSendTick(
      {
        ...d,
        report: (id) => collectReport({ store: d.store, clock: d.clock }, id),
        links: async (id, settings) => ({
          privacyUrl: privacyPageUrl(d.config),
          ...(settings.openLetter?.on
            ? { openLetterUrl: openLetterUrl(d.config.publicUrl, await d.secret(), id) }
            : {}),
        }),
      },
      campaigns,
      (campaignId, err) =>
        log.error('mails to signatories failed', { campaignId, error: err.message }),
    );
    // An erasure job that died, or waited for a letter being sent, is started again.
    try {
      for (const job of await forgetDeps(d).forgetJobs.running()) {
        if (d.clock.now().getTime() - Date.parse(job.updatedAt) < (e.stalledMs ?? STALLED_MS))
          continue;
        await d.jobs.start({ action: 'forget', jobId: job.id });
        result.resumed.push(job.id);
      }
    } catch (err) {
      log.error('resuming erasure jobs failed', { error: (err as Error).message });
    }
    // The alarms' view: unknown letters waiting for a person, and the nearest deadline.
    try {
      await watchCampaigns(d, campaigns);
    } catch (err) {
      log.error('reading the campaigns for the alarms failed', { error: (err as Error).message });
    }
    // Personal data of finished campaigns gets its expiry; a failure waits for the next tick.

    try {
      await applyRetention(
        { ...d, retention: retentionStoreFor(d.config) },
        retentionDaysFromEnv(),
      );
    } catch (err) {
      log.error('retention failed', { error: (err as Error).message });
    }
  }
  return result;
}

/** Launches a scheduled campaign whose time has come; a cancelled or rescheduled one is left alone. */
async function launchIfDue(campaignId: string, result: SchedulerResult): Promise<void> {
  const d = deps();
  const campaign = await d.store.getCampaign(campaignId);
  if (!campaign || campaign.status !== 'scheduled') return;
  if (!campaign.scheduledAt || Date.parse(campaign.scheduledAt) > d.clock.now().getTime()) return;
  // A follow-up chooses its recipients now, from the original's.
  if (campaign.followUpOf) {
    // Only an approved follow-up goes out (or its author's, in single-person mode).
    const { version, approval } = await approvedFollowUp(d, campaignId);
    await audit(d, campaignId, 'scheduler', 'launched', {
      versionHash: version.hash,
      detail: `follow-up due; version ${version.number}, approved by ${approval.approver}`,
    });
    await launchFollowUp({ ...d, audience: d.staffQueries }, campaignId, {
      region: d.config.region,
    });
  } else {
    // The approval was checked when it was scheduled; it is checked again now, and by the
    // launch function against the stored content. The scheduler approves nothing itself.
    await beginLaunch(d, campaignId, 'scheduler', { approveIfSingle: false });
    await d.jobs.start({ action: 'launch', campaignId });
  }
  result.launched.push(campaignId);
}
