/**
 * Fallback contacts. A recipient may carry fallback addresses (a
 * ministry's general office …). When the address a letter went to
 * hard-bounces before the deadline, the letter moves to the next fallback:
 * the recipient item is switched, in one conditional write keyed on the
 * attempt number and the bounced message id, from `sent` back to `pending`
 * with the new address, and its job goes on the send queue. The ordinary
 * sender then claims and sends it, with every rule it keeps (claim, deadline,
 * suppression). A bounce delivered twice, or twice at once, moves the letter
 * once; a fallback that bounces too moves it to the next, until none is left.
 *
 * Counting: a recipient's letter counts once in `sent`, whichever address it
 * finally went to (the move takes one from `sent`; the fallback's send puts
 * it back), and `fallbacks` counts the moves. `bouncedHard` keeps counting
 * every hard bounce, the primaries' too: they happened, and the reputation
 * guard must see them.
 */
import type { Campaign, CampaignRecipient } from '../campaign.js';
import type { CampaignStore, Clock, Queue } from '../ports.js';
import { sendCutoff } from '../send.js';
import type { AuditEntry } from './model.js';

/** One move of a letter to a fallback address, kept on the recipient for staff. */
export interface FallbackMove {
  /** The attempt that bounced (0: the primary), its address, message id and send time. */
  attempt: number;
  email: string;
  messageId: string;
  sentAt?: string;
  /** When the move was made, and why (the bounce's reason). */
  at: string;
  reason: string;
  /** The address the letter moved to and its attempt number, and the fallbacks passed over (suppressed). */
  to: string;
  toAttempt: number;
  skipped?: string[];
}

export interface FallbackStore {
  /**
   * Moves the letter: sent → pending with `move.to` as its address and
   * attempt + 1, the move appended to its history, one taken from `sent` and
   * one added to `fallbacks`, all at once; only while the recipient is still
   * `sent`, at `move.attempt`, with `move.messageId` (else 'stale').
   */
  moveToFallback(
    campaignId: string,
    recipientId: string,
    move: FallbackMove,
  ): Promise<'moved' | 'stale'>;
  /** completed → sending, so that the sender sends a letter a fallback re-opened; false if not completed. */
  reopenCampaign(campaignId: string, at: string): Promise<boolean>;
}

export interface FallbackDeps {
  store: Pick<CampaignStore, 'getRecipient' | 'getCampaign' | 'suppressedAmong'>;
  fallbacks: FallbackStore;
  queue: Queue;
  clock: Clock;
  audit?: (entry: AuditEntry) => Promise<void>;
}

export type FallbackOutcome =
  /** The letter moved to a fallback and its job is queued. */
  | { outcome: 'moved'; to: string; attempt: number }
  /** This bounce had already moved the letter (a redelivered event); its job is queued again, harmlessly. */
  | { outcome: 'already-moved' }
  /** Nothing to do, and why (no fallback left, past the deadline, not the current letter …). */
  | { outcome: 'none'; why: string };

/** The campaign statuses a fallback letter may still go out in (paused: once resumed). */
const OPEN: ReadonlySet<Campaign['status']> = new Set(['sending', 'paused', 'completed']);

/** The fallback addresses still to try after `attempt`, in order. */
export function remainingFallbacks(
  r: Pick<CampaignRecipient, 'fallbackEmails' | 'attempt' | 'email' | 'fallbackHistory'>,
): string[] {
  const tried = new Set([r.email, ...(r.fallbackHistory ?? []).map((m) => m.email)]);
  return (r.fallbackEmails ?? []).slice(r.attempt ?? 0).filter((e) => !tried.has(e));
}

/**
 * Acts on a hard bounce of one recipient's letter: moves the letter to the
 * next fallback address that is not suppressed and queues it, when the
 * bounced message is the recipient's current letter and the campaign can
 * still send before its deadline. Safe to call again with the same bounce.
 */
export async function fallbackAfterBounce(
  deps: FallbackDeps,
  bounce: { campaignId: string; recipientId: string; messageId?: string; reason?: string },
): Promise<FallbackOutcome> {
  const { campaignId, recipientId, messageId } = bounce;
  if (!messageId) return { outcome: 'none', why: 'the bounce names no message' };
  const r = await deps.store.getRecipient(campaignId, recipientId);
  if (!r) return { outcome: 'none', why: 'no such recipient' };
  const requeue = () => deps.queue.enqueue([{ campaignId, recipientId }]);

  if (r.messageId !== messageId) {
    // This bounce moved the letter before (the event came again, or at once): make sure its
    // job is on the queue (the first delivery may have stopped after the move); the claim
    // keeps a repeated job to one letter.
    if (r.fallbackHistory?.some((m) => m.messageId === messageId)) {
      if (r.state === 'pending') await requeue();
      return { outcome: 'already-moved' };
    }
    return { outcome: 'none', why: 'the bounced message is not the letter on record' };
  }
  if (r.state !== 'sent') return { outcome: 'none', why: `the letter is ${r.state}` };

  const campaign = await deps.store.getCampaign(campaignId);
  if (!campaign || !OPEN.has(campaign.status))
    return { outcome: 'none', why: `the campaign is ${campaign?.status ?? 'gone'}` };
  const now = deps.clock.now();
  if (now.getTime() >= sendCutoff(campaign))
    return { outcome: 'none', why: 'the deadline has passed' };

  const candidates = remainingFallbacks(r);
  if (candidates.length === 0) return { outcome: 'none', why: 'no fallback address left' };
  const suppressed = await deps.store.suppressedAmong(candidates);
  const to = candidates.find((e) => !suppressed.has(e));
  if (!to) return { outcome: 'none', why: 'every fallback address left is suppressed' };
  const skipped = candidates.slice(0, candidates.indexOf(to));
  const attempt = r.attempt ?? 0;
  const toAttempt = (r.fallbackEmails ?? []).indexOf(to) + 1;
  const move: FallbackMove = {
    attempt,
    email: r.email,
    messageId,
    ...(r.sentAt ? { sentAt: r.sentAt } : {}),
    at: now.toISOString(),
    reason: `hard bounce${bounce.reason ? `: ${bounce.reason}` : ''}`.slice(0, 500),
    to,
    toAttempt,
    ...(skipped.length ? { skipped } : {}),
  };
  const moved = await deps.fallbacks.moveToFallback(campaignId, recipientId, move);
  if (moved === 'stale') {
    // Someone else moved it meanwhile (the same bounce delivered twice at once).
    const again = await deps.store.getRecipient(campaignId, recipientId);
    if (again?.fallbackHistory?.some((m) => m.messageId === messageId)) {
      if (again.state === 'pending') await requeue();
      return { outcome: 'already-moved' };
    }
    return { outcome: 'none', why: 'the letter changed meanwhile' };
  }
  // A finished campaign opens again for this one letter; the sender completes it once more.
  // Tried whatever status was read: the sender may have completed it a moment ago (and
  // should it complete it a moment later, its own re-count sees this letter: progress.ts).
  await deps.fallbacks.reopenCampaign(campaignId, move.at);
  await requeue();
  // No address in the log: audit entries are never erased, addresses must be (forget).
  await deps.audit?.({
    campaignId,
    at: move.at,
    actor: 'demarche',
    action: 'fallback',
    detail: `a ${r.group} recipient's ${attempt === 0 ? 'primary address' : `fallback address ${attempt}`} hard-bounced: the letter goes to fallback address ${toAttempt} of ${(r.fallbackEmails ?? []).length}`,
  });
  return { outcome: 'moved', to, attempt: toAttempt };
}

const LAST_VERB: Partial<Record<CampaignRecipient['state'], string>> = {
  sent: 'sent to',
  pending: 'queued for',
  claimed: 'being sent to',
  expired: 'not sent (deadline passed) to',
  suppressed: 'not sent (suppressed) to',
  failed: 'refused by SES for',
  unknown: 'perhaps sent to',
};

/** The lines staff see for a recipient's moves: "primary a@… bounced (…) → sent to fallback b@…". */
export function fallbackSummary(r: Pick<CampaignRecipient, 'fallbackHistory' | 'state'>): string[] {
  const moves = r.fallbackHistory ?? [];
  return moves.map((m, i) => {
    const from = m.attempt === 0 ? 'primary' : `fallback ${m.attempt}`;
    const verb = i === moves.length - 1 ? (LAST_VERB[r.state] ?? r.state) : 'sent to';
    const skipped = m.skipped?.length ? ` (passed over, suppressed: ${m.skipped.join(', ')})` : '';
    return `${from} ${m.email} bounced (${m.reason}) → ${verb} fallback ${m.toAttempt} ${m.to}${skipped}`;
  });
}
