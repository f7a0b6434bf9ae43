/**
 * Hand-backs: what the queue does with a job whose letter certainly did not
 * leave — throttled past its in-process retries, the send line too long, the
 * campaign paused or not yet sending, SES refusing for a reason of the
 * account. Such a job goes back to the queue as a new message after a short
 * jittered delay, or is dropped when `resume` will queue its letter anew.
 * Failing the record instead would make it wait out the queue's visibility
 * timeout and count toward its dead-letter limit, so a slow or paused
 * campaign would end in the DLQ. Pure: the sender handler applies it.
 */
import { MailThrottledError, RetryLaterError } from './errors.js';

export type HandBack =
  { drop: true; reason: string } | { drop: false; delayMs: number; reason: string };

/** SQS's largest DelaySeconds: no hand-back waits longer in one go. */
export const MAX_HAND_BACK_MS = 900_000;

/** The first throttled hand-back waits about this long; each one after it twice as long. */
const THROTTLE_BASE_MS = 2_000;
/** What a hand-back without a better estimate waits. */
const DEFAULT_MS = 5_000;

/**
 * The hand-back for a job's error, or undefined when the error is a real
 * failure (storage down, outcome unknown) that the queue's redelivery and
 * dead-letter limit are for. `handBacks` counts the job's earlier hand-backs.
 */
export function handBackFor(
  error: unknown,
  handBacks: number,
  random: () => number = Math.random,
): HandBack | undefined {
  const reason = (error as Error)?.message ?? String(error);
  if (error instanceof RetryLaterError) {
    if (error.hint.drop) return { drop: true, reason };
    return { drop: false, reason, delayMs: spread(error.hint.afterMs ?? DEFAULT_MS, random) };
  }
  if (error instanceof MailThrottledError) {
    const cap = Math.min(MAX_HAND_BACK_MS, THROTTLE_BASE_MS * 2 ** Math.min(handBacks, 20));
    return { drop: false, reason, delayMs: Math.round(cap / 2 + random() * (cap / 2)) };
  }
  // The rate limiter's "send line too long" says how far ahead the next free slot is.
  const ahead = (error as { aheadMs?: unknown })?.aheadMs;
  if (typeof ahead === 'number' && Number.isFinite(ahead))
    return { drop: false, reason, delayMs: spread(ahead, random) };
  return undefined;
}

/** At least a second and at most MAX_HAND_BACK_MS: `ms` plus up to half again, so jobs come back spread out. */
function spread(ms: number, random: () => number): number {
  const base = Math.max(1_000, ms);
  return Math.min(MAX_HAND_BACK_MS, Math.round(base + random() * (base / 2)));
}
