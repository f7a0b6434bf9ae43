/**
 * Settling letters whose sender died between the SES call and the record.
 *
 * Such a letter stays `claimed`: no redelivered job may claim it again, so it
 * is never sent twice blindly. SES's own events (Send, Delivery …) carry the
 * campaign and recipient tags and the message id; the events handler passes
 * them to `reconcileFromEvent`, which records the letter as sent exactly once.
 * Claims that no event settles within a grace period are swept to `unknown`,
 * for a person to decide on (core/stuck.ts: resend it, accepting a possible
 * duplicate, or mark it as sent; left alone it stays counted as settled).
 */
import type { CampaignStore, Clock } from './ports.js';

export interface SesSendEvidence {
  campaignId: string;
  recipientId: string;
  messageId: string;
}

/**
 * Records the letter an SES Send/Delivery event is about as sent, if its
 * sender did not: claimed/unknown → sent, once, however often the event comes.
 * 'already' means the letter was already recorded (or was never claimed).
 */
export async function reconcileFromEvent(
  deps: { store: CampaignStore; clock: Clock },
  evidence: SesSendEvidence,
): Promise<'reconciled' | 'already'> {
  const out = await deps.store.reconcileSent(
    evidence.campaignId,
    evidence.recipientId,
    evidence.messageId,
    deps.clock.now().toISOString(),
  );
  return out === 'reconciled' ? 'reconciled' : 'already';
}

/** How long a claim may stay open before it is held as `unknown` (SES events normally come in seconds). */
export const DEFAULT_CLAIM_GRACE_MS = 15 * 60_000;

/**
 * Marks letters claimed more than `graceMs` ago, and still claimed, as
 * `unknown`: the sender died and no SES event has told us whether the letter
 * left. A later event still moves them to sent (reconcileFromEvent).
 */
export async function sweepStaleClaims(
  deps: { store: CampaignStore; clock: Clock },
  campaignId: string,
  graceMs = DEFAULT_CLAIM_GRACE_MS,
): Promise<number> {
  const before = new Date(deps.clock.now().getTime() - graceMs).toISOString();
  let marked = 0;
  for (;;) {
    const stale = await deps.store.staleClaims(campaignId, before, 100);
    let movedThisRound = 0;
    for (const r of stale) {
      if (!r.claimedAt || r.claimedAt >= before) continue;
      const moved = await deps.store.settle(
        campaignId,
        r.id,
        ['claimed'],
        'unknown',
        deps.clock.now().toISOString(),
        `claimed at ${r.claimedAt} and never recorded: the sender stopped between the SES call and the record, and no SES event has settled it`,
      );
      if (moved) movedThisRound++;
    }
    marked += movedThisRound;
    if (stale.length < 100 || movedThisRound === 0) return marked;
  }
}
