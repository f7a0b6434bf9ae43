/**
 * Sending one letter: the exactly-once protocol.
 *
 * A letter is claimed (pending → claimed, conditional) before the mail call
 * and recorded (claimed → sent, with the message id, counted in the same
 * transaction) after it. A job delivered twice, or twice at once, finds the
 * letter no longer pending and sends nothing. A letter is never sent at or
 * after the campaign deadline. Every SES call waits for a slot from the shared
 * rate limiter; throttles are retried with jittered backoff, then handed back
 * to the queue. An SES refusal of the account or its configuration (sending
 * paused, access denied …) fails no letter: it hands the letter back and
 * pauses the campaign with the reason, for `resume` once a person fixed it.
 * A sender that dies after the SES call leaves the letter claimed, never
 * re-sent: reconcile.ts settles it from SES's events.
 */
import { randomUUID } from 'node:crypto';
import { backOff } from 'exponential-backoff';
import type { Campaign, CampaignRecipient } from './campaign.js';
import type { KeyRing } from './key-ring.js';
import {
  MailAccountError,
  MailRejectedError,
  MailThrottledError,
  RetryLaterError,
} from './errors.js';
import type { AuditEntry } from './governance/model.js';
import { pauseForFault } from './lifecycle.js';
import { METRIC, type Metrics } from './metrics.js';
import { languageFor, letterFor } from './compose.js';
import type { RateLimiter } from './pacing.js';
import type { HeldLetters } from './held.js';
import { holdUntil } from './office-hours.js';
import type {
  CampaignStore,
  ClaimResult,
  Clock,
  Mailer,
  OutgoingLetter,
  SendJob,
} from './ports.js';

export interface SendDeps {
  store: CampaignStore;
  mailer: Mailer;
  /** Used instead of `mailer` for dry-run campaigns: renders, records, sends nothing. */
  dryRunMailer: Mailer;
  clock: Clock;
  campaigns: CampaignCache;
  /** The key ring whose current key signs the letter's links and reply address. */
  keys: () => Promise<KeyRing>;
  config: { publicUrl: string; privacyUrl?: string };
  /** Send slots shared by every sender (SES MaxSendRate × margin). */
  rateLimiter: RateLimiter;
  /** Letters set aside until their recipient's office opens. */
  held: HeldLetters;
  /** Where a pause for an SES account error is logged, as a person's pause is. */
  governance: { appendAudit(entry: AuditEntry): Promise<void> };
  metrics: Metrics;
}

export type SendOutcome =
  'sent' | 'duplicate' | 'expired' | 'failed' | 'suppressed' | 'cancelled' | 'held';

import { CampaignCache } from './campaign-cache.js';

export { CampaignCache };

/** What became of one job of a batch: an outcome, or the error that sends the job back to the queue. */
export type JobResult = { outcome: SendOutcome } | { error: unknown };

/**
 * Processes one send job. Resolves with what happened; throws only when the
 * job must be retried (throttling, a paused campaign, a storage error before
 * the claim), in which case nothing was sent.
 */
export async function sendLetter(deps: SendDeps, job: SendJob): Promise<SendOutcome> {
  const [result] = await sendBatch(deps, [job]);
  if ('error' in result!) throw result.error;
  return result!.outcome;
}

/**
 * Processes a batch of send jobs (an SQS batch): per campaign, the letters are
 * claimed in one transaction, checked against the suppression list in one
 * read, sent one by one (each through the rate limiter) and recorded in one
 * transaction with their count. Whenever a batch operation is refused (a
 * letter changed meanwhile) the letters fall back to the one-by-one protocol,
 * so the exactly-once guarantee is the same; the batch only saves calls.
 * Results come back in the order of `jobs`.
 */
export async function sendBatch(deps: SendDeps, jobs: SendJob[]): Promise<JobResult[]> {
  const results: JobResult[] = new Array<JobResult>(jobs.length);
  const byCampaign = new Map<string, number[]>();
  jobs.forEach((job, i) =>
    byCampaign.set(job.campaignId, [...(byCampaign.get(job.campaignId) ?? []), i]),
  );
  await Promise.all(
    [...byCampaign].map(async ([campaignId, indexes]) => {
      const ids = indexes.map((i) => jobs[i]!.recipientId);
      const out = await sendCampaignJobs(deps, campaignId, ids);
      out.forEach((r, k) => (results[indexes[k]!] = r));
    }),
  );
  return results;
}

async function sendCampaignJobs(
  deps: SendDeps,
  campaignId: string,
  recipientIds: string[],
): Promise<JobResult[]> {
  const { store, clock } = deps;
  const now = clock.now();
  let campaign: Campaign | undefined;
  try {
    campaign = await deps.campaigns.campaign(campaignId, now.getTime());
    // A cached "not sending" may be stale (just resumed or launched): the store has the last word.
    if (campaign && campaign.status !== 'sending')
      campaign = await deps.campaigns.fresh(campaignId, now.getTime());
  } catch (err) {
    return recipientIds.map(() => ({ error: err }));
  }
  if (!campaign) return recipientIds.map(() => ({ outcome: 'cancelled' }));
  const c = campaign;
  if (c.status === 'paused' || c.status === 'draft' || c.status === 'scheduled') {
    // A paused campaign's jobs are not kept: `resume` queues every pending letter anew.
    const hint = c.status === 'paused' ? { drop: true } : { afterMs: 60_000 };
    return recipientIds.map(() => ({
      error: new RetryLaterError(`campaign ${c.id} is ${c.status}`, hint),
    }));
  }
  const expireReason =
    c.status === 'cancelled' || c.status === 'expired'
      ? `campaign ${c.status}`
      : now.getTime() >= sendCutoff(c)
        ? 'deadline passed'
        : undefined;
  if (expireReason) {
    return Promise.all(
      recipientIds.map((rid) =>
        settleResult(
          () => store.settle(c.id, rid, ['pending'], 'expired', now.toISOString(), expireReason),
          'expired',
        ),
      ),
    );
  }

  // Claims. The same recipient twice in one batch is one letter: later copies are duplicates.
  const first = new Map<string, number>();
  recipientIds.forEach((rid, i) => {
    if (!first.has(rid)) first.set(rid, i);
  });
  const claimIds = recipientIds.map(() => randomUUID());
  const claims: (ClaimResult | { error: unknown } | undefined)[] = new Array(recipientIds.length);
  const unique = [...first.values()];
  const many =
    unique.length > 1
      ? await store
          .claimMany(
            c.id,
            unique.map((i) => ({ recipientId: recipientIds[i]!, claimId: claimIds[i]! })),
            now.toISOString(),
          )
          .catch(() => undefined)
      : undefined;
  if (many) unique.forEach((i, k) => (claims[i] = many[k]));
  else {
    await Promise.all(
      unique.map(async (i) => {
        claims[i] = await store
          .claim(c.id, recipientIds[i]!, claimIds[i]!, now.toISOString())
          .catch((error: unknown) => ({ error }));
      }),
    );
  }

  const results: JobResult[] = recipientIds.map(() => ({ outcome: 'duplicate' }));
  let claimed: { index: number; recipient: CampaignRecipient; claimId: string }[] = [];
  claims.forEach((claim, i) => {
    if (!claim) return; // a repeat within the batch
    if ('error' in claim) results[i] = { error: claim.error };
    else if (claim.outcome === 'claimed')
      claimed.push({ index: i, recipient: claim.recipient, claimId: claimIds[i]! });
  });
  if (c.delivery) claimed = await holdOutsideOfficeHours(deps, c, claimed, now, results);
  if (claimed.length === 0) return results;

  let suppressed: Set<string>;
  try {
    // A follow-up also skips those who stopped only this campaign's follow-ups.
    suppressed = await store.suppressedAmong(
      claimed.map((x) => x.recipient.email),
      c.followUpOf,
    );
  } catch (err) {
    // Nothing has left: every claim is handed back before the jobs are retried.
    await Promise.all(
      claimed.map((x) =>
        backOff(() => store.release(c.id, x.recipient.id, x.claimId), STORAGE_RETRY),
      ),
    );
    for (const x of claimed) results[x.index] = { error: err };
    return results;
  }

  const delivered = await Promise.all(
    claimed.map(async (x) => {
      try {
        return await deliverClaimed(
          deps,
          c,
          x.recipient,
          x.claimId,
          now,
          suppressed.has(x.recipient.email),
        );
      } catch (error) {
        return { error };
      }
    }),
  );
  const sent: {
    index: number;
    recipientId: string;
    claimId: string;
    messageId: string;
    at: string;
  }[] = [];
  delivered.forEach((d, k) => {
    const x = claimed[k]!;
    if ('messageId' in d)
      sent.push({
        index: x.index,
        recipientId: x.recipient.id,
        claimId: x.claimId,
        messageId: d.messageId,
        at: d.handedAt,
      });
    else results[x.index] = d;
  });
  if (sent.length === 0) return results;

  const recordedTogether =
    sent.length > 1 && (await store.recordSentMany(c.id, sent).catch(() => false));
  await Promise.all(
    sent.map(async (x) => {
      try {
        if (!recordedTogether)
          await recordWithRetries(deps, c.id, x.recipientId, x.claimId, x.messageId, x.at);
        results[x.index] = { outcome: 'sent' };
      } catch (error) {
        // The letter has left and its record failed for minutes: the claim stays, and the
        // SES event (or the sweep) settles it. The job is not retried blindly: it finds no pending letter.
        results[x.index] = { error };
      }
    }),
  );
  return results;
}

/**
 * Sets aside the claimed letters whose recipient's office is closed now
 * (claimed → held until it opens; the scheduler queues them again then) and
 * returns the letters that may go. A hold that fails hands the letter back
 * for its job to be retried: nothing has left.
 */
async function holdOutsideOfficeHours(
  deps: SendDeps,
  campaign: Campaign,
  claimed: { index: number; recipient: CampaignRecipient; claimId: string }[],
  now: Date,
  results: JobResult[],
): Promise<{ index: number; recipient: CampaignRecipient; claimId: string }[]> {
  const go: typeof claimed = [];
  await Promise.all(
    claimed.map(async (x) => {
      const until = holdUntil(campaign, x.recipient, now.getTime(), sendCutoff(campaign));
      if (until === undefined) return go.push(x);
      try {
        const held = await deps.held.hold(
          campaign.id,
          x.recipient.id,
          x.claimId,
          new Date(until).toISOString(),
          now.toISOString(),
        );
        results[x.index] = { outcome: held ? 'held' : 'duplicate' };
      } catch (error) {
        // Should the hand-back fail too, the claim stays and the sweep holds the letter as unknown.
        await backOff(
          () => deps.store.release(campaign.id, x.recipient.id, x.claimId),
          STORAGE_RETRY,
        ).catch(() => undefined);
        results[x.index] = { error };
      }
    }),
  );
  return go.sort((a, b) => a.index - b.index);
}

async function settleResult(
  settle: () => Promise<boolean>,
  outcome: SendOutcome,
): Promise<JobResult> {
  try {
    return { outcome: (await settle()) ? outcome : 'duplicate' };
  } catch (error) {
    return { error };
  }
}

/**
 * Sends one claimed letter: suppression, rendering and the deadline are
 * checked first (the letter is settled when it must not go); then the send
 * call, through the rate limiter, with throttles retried. Returns the SES
 * message id for the caller to record, or how the letter was settled; throws
 * when the job must come back (nothing was sent, or the outcome is unknown
 * and the claim stays).
 */
async function deliverClaimed(
  deps: SendDeps,
  campaign: Campaign,
  recipient: CampaignRecipient,
  claimId: string,
  now: Date,
  suppressed: boolean,
): Promise<{ messageId: string; handedAt: string } | { outcome: SendOutcome }> {
  const { store, clock } = deps;
  // Between the claim and the mail call nothing has left yet: any failure
  // hands the letter back before the job is retried.
  let prepared: SendOutcome | OutgoingLetter;
  try {
    prepared = await prepare(deps, campaign, recipient, now, suppressed);
  } catch (err) {
    await backOff(() => store.release(campaign.id, recipient.id, claimId), STORAGE_RETRY);
    throw err;
  }
  if (typeof prepared === 'string') return { outcome: prepared };
  const letter = prepared;
  const mailer = campaign.dryRun ? deps.dryRunMailer : deps.mailer;
  const cutoff = sendCutoff(campaign);
  let handedAt = clock.now().toISOString();
  try {
    const messageId = await backOff(
      async () => {
        // The deadline is checked once more after the wait for a slot. So is the campaign: a
        // pause or cancel during the wait stops this letter before it leaves. A storage error
        // here comes before the SES call: certainly not sent, so the claim is handed back (as
        // for no send slot), never left to be held as unknown.
        const stillMayGo = async () => {
          if (clock.now().getTime() >= cutoff) throw new DeadlineReached();
          let current: Campaign | undefined;
          try {
            current = await deps.campaigns.campaign(campaign.id, clock.now().getTime());
          } catch (err) {
            throw new NoSendSlot(err);
          }
          if (current && current.status !== 'sending') throw new NoLongerSending(current.status);
        };
        if (campaign.dryRun) {
          // A dry run calls no mail service, so it takes no send slot.
          await stillMayGo();
        } else {
          try {
            // The checks run inside the slot: one that took long (a storage read) costs this
            // sender its slot, instead of sending late, bunched with the next slots' senders.
            await deps.rateLimiter.acquire(stillMayGo);
          } catch (err) {
            if (err instanceof DeadlineReached || err instanceof NoLongerSending) throw err;
            throw err instanceof NoSendSlot ? err : new NoSendSlot(err);
          }
        }
        // The letter's sentAt is when it was handed to SES: never later than SES's own
        // delivery time, which a record written after SES answered could be.
        handedAt = clock.now().toISOString();
        return (await mailer.send(letter)).messageId;
      },
      { ...THROTTLE_RETRY, retry: (err: unknown) => err instanceof MailThrottledError },
    );
    return { messageId, handedAt };
  } catch (err) {
    if (err instanceof DeadlineReached) {
      await store.settle(
        campaign.id,
        recipient.id,
        ['claimed'],
        'expired',
        clock.now().toISOString(),
        'deadline passed',
      );
      return { outcome: 'expired' };
    }
    if (err instanceof MailRejectedError) {
      await store.settle(
        campaign.id,
        recipient.id,
        ['claimed'],
        'failed',
        clock.now().toISOString(),
        err.message,
      );
      return { outcome: 'failed' };
    }
    if (err instanceof NoLongerSending) {
      await backOff(() => store.release(campaign.id, recipient.id, claimId), STORAGE_RETRY);
      throw new RetryLaterError(
        `campaign ${campaign.id} is ${err.status}`,
        err.status === 'paused' ? { drop: true } : { afterMs: 1_000 },
      );
    }
    if (err instanceof MailAccountError) {
      // SES refused before anything left: the letter goes back, and the campaign pauses.
      await backOff(() => store.release(campaign.id, recipient.id, claimId), STORAGE_RETRY);
      await pauseForAccountError(deps, campaign.id, err);
      throw new RetryLaterError(`campaign ${campaign.id} paused: ${err.message}`, { drop: true });
    }
    if (err instanceof MailThrottledError || err instanceof NoSendSlot) {
      // Still throttled after the retries, or no send slot to be had (storage
      // down): certainly not sent, so the letter is handed back for the
      // redelivered job to claim. Should even that fail, the claim stays and
      // the sweep holds the letter as unknown: late, never doubled.
      await backOff(() => store.release(campaign.id, recipient.id, claimId), STORAGE_RETRY);
      throw err instanceof NoSendSlot ? err.cause : err;
    }
    // Any other error leaves the claim in place: the letter may have gone out,
    // and sending again blindly could make it a double. The SES event settles
    // it (reconcileFromEvent), or the sweep holds it as unknown.
    throw err;
  }
}

/**
 * Checks a claimed letter against the suppression list and the deadline and
 * renders it; settles it (and says how) when it must not be sent.
 */
async function prepare(
  deps: SendDeps,
  campaign: Campaign,
  recipient: CampaignRecipient,
  now: Date,
  suppressed: boolean,
): Promise<SendOutcome | OutgoingLetter> {
  const { store, clock } = deps;
  if (suppressed) {
    await store.settle(
      campaign.id,
      recipient.id,
      ['claimed'],
      'suppressed',
      now.toISOString(),
      campaign.followUpOf
        ? 'address is on the suppression list, or stopped this campaign’s follow-ups'
        : 'address is on the suppression list',
    );
    return 'suppressed';
  }

  const template = await deps.campaigns.template(campaign.id, languageFor(campaign, recipient));
  if (!template) {
    await store.settle(
      campaign.id,
      recipient.id,
      ['claimed'],
      'failed',
      now.toISOString(),
      'no compiled letter for this language',
    );
    return 'failed';
  }
  const letter = letterFor(campaign, template, recipient, {
    publicUrl: deps.config.publicUrl,
    privacyUrl: deps.config.privacyUrl,
    keys: await deps.keys(),
  });

  // The deadline is checked again at the last moment: rendering and storage calls take time.
  if (clock.now().getTime() >= sendCutoff(campaign)) {
    await store.settle(
      campaign.id,
      recipient.id,
      ['claimed'],
      'expired',
      clock.now().toISOString(),
      'deadline passed',
    );
    return 'expired';
  }
  return letter;
}

/**
 * Pauses the campaign for an SES refusal of the account or its configuration:
 * the reason and its fix on the campaign (dashboard, `demarche status`), one
 * audit entry and one alarm metric from whichever sender paused it first.
 */
async function pauseForAccountError(
  deps: SendDeps,
  campaignId: string,
  err: MailAccountError,
): Promise<void> {
  const reason = `paused by demarche: SES refused to send (${err.reason}). To fix: ${err.fix}; then resume the campaign`;
  const paused = await backOff(() => pauseForFault(deps, campaignId, reason), STORAGE_RETRY);
  // This container's letters still waiting for a send slot see the pause at once.
  await deps.campaigns.fresh(campaignId, deps.clock.now().getTime()).catch(() => undefined);
  if (!paused) return;
  deps.metrics.count(METRIC.accountPauses);
  await backOff(
    () =>
      deps.governance.appendAudit({
        campaignId,
        at: deps.clock.now().toISOString(),
        actor: 'demarche (sender)',
        action: 'paused',
        detail: reason,
      }),
    STORAGE_RETRY,
  );
}

/**
 * No SES call starts later than this long before the deadline, so that no

 * letter reaches SES after it even when the network or a busy machine holds
 * the last calls up for seconds. Five seconds are nothing to a campaign.
 */
export const SEND_CUTOFF_MS = 5_000;

/** The last moment (epoch ms) a send may start for this campaign. */
export function sendCutoff(campaign: Campaign): number {
  return Date.parse(campaign.statement.deadline) - SEND_CUTOFF_MS;
}

/** Throttle retries within one job: jittered, growing waits, each after a fresh send slot. */
const THROTTLE_RETRY = {
  numOfAttempts: 6,
  startingDelay: 200,
  maxDelay: 5_000,
  jitter: 'full' as const,
};

/** How long a sender keeps trying to record a letter that has left (storage down). */
export const RECORD_PATIENCE_MS = 120_000;

/**
 * The letter has left: its record is worth waiting for. Storage errors are
 * retried with jittered backoff for up to RECORD_PATIENCE_MS; if the record
 * still fails, the claim stays and the SES event reconciles it. A claim
 * swept to unknown meanwhile is reconciled here with the message id we hold.
 */
async function recordWithRetries(
  deps: SendDeps,
  campaignId: string,
  recipientId: string,
  claimId: string,
  messageId: string,
  handedAt: string,
): Promise<void> {
  const started = deps.clock.now().getTime();
  const recorded = await backOff(
    () => deps.store.recordSent(campaignId, recipientId, claimId, messageId, handedAt),
    {
      ...STORAGE_RETRY,
      numOfAttempts: 1_000,
      retry: () => deps.clock.now().getTime() - started < RECORD_PATIENCE_MS,
    },
  );
  if (!recorded) {
    await deps.store.reconcileSent(campaignId, recipientId, messageId, handedAt);
  }
}

/** Storage retries once a letter is claimed: about a minute of jittered, growing waits. */
const STORAGE_RETRY = {
  numOfAttempts: 10,
  startingDelay: 200,
  maxDelay: 10_000,
  jitter: 'full' as const,
};

/** The deadline came while the letter waited for a send slot or a throttle retry. */
class DeadlineReached extends Error {}

/** The campaign was paused or cancelled while the letter waited for a send slot. */
class NoLongerSending extends Error {
  constructor(readonly status: string) {
    super(`campaign is ${status}`);
  }
}

/** The rate limiter could not hand out a slot (its storage failed); nothing was sent. */
class NoSendSlot extends Error {
  constructor(override readonly cause: unknown) {
    super(`no send slot: ${(cause as Error)?.message ?? String(cause)}`);
  }
}
