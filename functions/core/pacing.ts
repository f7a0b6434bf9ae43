/**
 * Pacing: how fast letters may leave, shared by every sender at once.
 *
 * The limiter hands out send slots spaced evenly in time (a token bucket of
 * depth one, also known as GCRA): slot n+1 is never earlier than slot n plus
 * one interval, whichever sender asks. With no burst allowance, no one-second
 * window can hold more slots than the rate. The interval carries a little
 * headroom so that jitter between the slot and SES's receipt of the request
 * (waking late, the event loop, the network) cannot squeeze an extra request
 * into a window: JITTER_BUDGET_MS says how much it absorbs. A sender too late
 * for its slot leaves it unused, since a late send is a displaced one.
 */

/** A source of send slots shared by every concurrent sender. */
export interface RateLimiter {
  /**
   * Resolves when the caller may make one send call; never early, and never
   * later than its slot allows. `beforeSend` is the work that must come
   * between the wait and the send call (checks that the letter may still go):
   * it runs after the wait, and its time counts against the slot, so a check
   * that took too long (a storage read on a cache refresh) makes the caller
   * take a later slot rather than send late, bunched with the senders after
   * it. Whatever `beforeSend` throws is thrown as is, the slot left unused.
   */
  acquire(beforeSend?: () => Promise<void>): Promise<void>;
}

/** The part of a second's slots kept free for jitter (see the file comment). */
export const JITTER_HEADROOM = 0.03;

/** Default share of the SES account's MaxSendRate demarche uses (the rest is for other mail). */
export const DEFAULT_RATE_MARGIN = 0.8;

/**
 * The rate senders are paced to: the account's SES MaxSendRate times a
 * safety margin, never below one message a second (SES's own floor).
 */
export function configuredRate(maxSendRate: number, margin = DEFAULT_RATE_MARGIN): number {
  if (!Number.isFinite(maxSendRate) || maxSendRate <= 0) {
    throw new RangeError(`SES MaxSendRate must be a positive number, got ${maxSendRate}`);
  }
  if (!(margin > 0 && margin <= 1)) {
    throw new RangeError(`the rate margin must be in (0, 1], got ${margin}`);
  }
  return Math.max(1, maxSendRate * margin);
}

/** Milliseconds between two slots for a configured rate (messages per second). */
export function slotInterval(rate: number): number {
  return 1000 / (rate * (1 - JITTER_HEADROOM));
}

/**
 * The slot a request made at `now` gets when the next free slot is `next`
 * (both epoch ms): the later of the two; the bucket then moves on one interval.
 */
export function nextSlot(
  next: number | undefined,
  now: number,
  interval: number,
): { slot: number; next: number } {
  const slot = next === undefined || next < now ? now : next;
  return { slot, next: slot + interval };
}

/**
 * How many of `wanted` slots, one interval apart from `first` (epoch ms), a
 * caller at `now` may take without any of them being more than `maxWaitMs`
 * away: the slots a container reserves at once for its waiting senders.
 */
export function slotsWithin(
  first: number,
  now: number,
  interval: number,
  maxWaitMs: number,
  wanted: number,
): number {
  const limit = now + maxWaitMs;
  if (first > limit) return 0;
  let n = Math.min(wanted, Math.floor((limit - first) / interval) + 1);
  // The division may round by a hair either way: count exactly the slots that land by the limit.
  while (n > 0 && first + (n - 1) * interval > limit) n--;
  while (n < wanted && first + n * interval <= limit) n++;
  return n;
}

/** The most consecutive slots one sender holds (after many slots missed in a row). */
export const MAX_SPAN = 32;

/**
 * How many consecutive slots a sender takes after missing `missed` slots in a
 * row: one, then two, four … (up to MAX_SPAN). It sends once within them, so
 * every window still holds no more sends than slots, yet a machine slow for a
 * while has a wider moment to send in, and still makes progress.
 */
export function slotsFor(missed: number): number {
  return Math.min(MAX_SPAN, 2 ** missed);
}

/**
 * The displacement (ms) the headroom absorbs: with slots one interval apart,
 * a one-second window holds at most rate × (1 − headroom) of them on time, so
 * sends may arrive up to this much after their slots (1000·h / (1 − h), about
 * 31 ms at 3%, whatever the rate) and no window holds more than the rate.
 */
export const JITTER_BUDGET_MS = 1000 / (1 - JITTER_HEADROOM) - 1000;

/**
 * How late (ms) a sender may wake for a slot and still send: a third of the
 * jitter budget (the rest is for the way from the sender to SES: the event
 * loop, the network).
 */
export const LATE_ALLOWANCE_MS = JITTER_BUDGET_MS / 3;

/**
 * How late (ms) after the first of its `span` slots a sender may still send:
 * up to LATE_ALLOWANCE_MS past its last slot. Later, its request could bunch
 * with the next senders' slots.
 */
export function lateAllowance(interval: number, span = 1): number {
  return (span - 1) * interval + LATE_ALLOWANCE_MS;
}

/** The least lead a reservation asks for, and where the estimate starts (ms). */
export const MIN_LEAD_MS = 5;
export const INITIAL_LEAD_MS = 50;

/**
 * How far ahead of now (ms) a reservation asks for its first slot, from the
 * previous lead and the round trip the last reservation took: twice the round
 * trip, rising at once when a round trip is slow and easing down slowly, so a
 * slot is still ahead when the reservation's answer comes back. (A slot that
 * has passed by then is lost: the caller must not send late.)
 */
export function nextLead(previous: number, roundTripMs: number, maxLead = 1_000): number {
  const target = 2 * roundTripMs;
  const lead = target >= previous ? target : previous + (target - previous) / 16;
  return Math.min(maxLead, Math.max(MIN_LEAD_MS, lead));
}

/**
 * The largest number of `times` (epoch ms) inside any window of `windowMs`
 * (half-open, sliding): how the bench and tests check the pacing promise.
 */
export function busiestWindow(times: number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
