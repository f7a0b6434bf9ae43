/**
 * Letters held for their recipient's office hours, and how they
 * get back on the queue.
 *
 * The sender holds a claimed letter (claimed → held, with `holdUntil`, the
 * opening of the recipient's office) instead of sending it outside office
 * hours. A held letter is claimable again once `holdUntil` has passed, so the
 * scheduler's tick only has to put a job for each due letter on the queue;
 * the claim keeps it exactly once whatever number of jobs arrive. Before
 * queueing, the tick moves the letter's place in the index of held letters a
 * few minutes on (a lease): the next tick does not queue it again while its
 * job is on the way, yet a job lost on the way is queued again after the
 * lease.
 */
import type { Clock, Queue } from './ports.js';

/** Where held letters are kept: a campaign's held letters by the time they wait for. */
export interface HeldLetters {
  /** claimed (under `claimId`) → held until `until` (ISO); false when the claim is gone. */
  hold(
    campaignId: string,
    recipientId: string,
    claimId: string,
    until: string,
    at: string,
  ): Promise<boolean>;
  /** Held letters whose time in the index has come (at most `limit`), oldest first. */
  due(campaignId: string, now: string, limit: number): Promise<{ recipientId: string }[]>;
  /** Moves a held letter's place in the index to `next` (ISO); false when it is no longer held. */
  lease(campaignId: string, recipientId: string, next: string): Promise<boolean>;
  /** How many letters of the campaign are held now. */
  count(campaignId: string): Promise<number>;
}

/** How long a released letter's job has to arrive before the tick queues it again. */
export const HOLD_LEASE_MS = 10 * 60_000;

/** Letters released per campaign and tick; the rest wait for the next tick (a minute later). */
export const RELEASE_PAGE = 1_000;

/**
 * Puts a job on the queue for each held letter of a campaign whose office has
 * opened. Returns how many were queued. Safe to run twice at once: a letter
 * leased by one run is not due for the other, and a doubled job finds the
 * letter claimed.
 */
export async function releaseDueHeld(
  deps: { held: HeldLetters; queue: Queue; clock: Clock },
  campaignId: string,
): Promise<number> {
  const now = deps.clock.now();
  const due = await deps.held.due(campaignId, now.toISOString(), RELEASE_PAGE);
  const next = new Date(now.getTime() + HOLD_LEASE_MS).toISOString();
  const jobs: { campaignId: string; recipientId: string }[] = [];
  for (const { recipientId } of due) {
    if (await deps.held.lease(campaignId, recipientId, next))
      jobs.push({ campaignId, recipientId });
  }
  if (jobs.length) await deps.queue.enqueue(jobs);
  return jobs.length;
}
