/**
 * Pacing: how fast letters may leave, shared by every sender at once.
 *
 * The limiter hands out send slots spaced evenly in time (a token bucket of
 * depth one, also known as GCRA): slot n+1 is never earlier than slot n plus
 * one interval, whichever sender asks. With no burst allowance, no one-second
 * window can hold more slots than the rate. The interval carries a little
 * headroom so that network jitter between the slot and SES's receipt of the
 * request cannot squeeze an extra request into a window.
 */

/** A source of send slots shared by every concurrent sender. */
export interface RateLimiter {
  /** Resolves when the caller may make one send call; never early. */
  acquire(): Promise<void>;
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
