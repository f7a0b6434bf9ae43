/**
 * What a recipient chose on the unsubscribe page, and what the page may
 * offer them next. Two stops exist: every letter of the coalition (the
 * suppression list, which every campaign's sender reads), or only the
 * follow-ups of one campaign. Either can be undone by the recipient for
 * UNDO_DAYS after they made it; a stop they did not make themselves (a hard
 * bounce, a complaint) is never theirs to undo. Pure: the store behind
 * ChoiceStore is an adapter.
 */
import type { Campaign } from '../campaign.js';

/** How long a recipient may undo their own unsubscribe from its confirmation page. */
export const UNDO_DAYS = 30;
const DAY_MS = 86_400_000;

export type StopScope = 'all' | 'followups';

/** The suppression reason our unsubscribe writes; only an entry with it may be undone. */
export const UNSUBSCRIBED = 'unsubscribed';

/** One stored stop: the coalition-wide suppression entry, or a campaign's follow-ups entry. */
export interface StopEntry {
  reason: string;
  at: string;
  /** Set when the recipient undid it: the entry then stops nothing. */
  liftedAt?: string;
}

export interface RecipientChoices {
  all?: StopEntry;
  followUps?: StopEntry;
}

/** The stops of one address, as the public unsubscribe route reads and writes them. */
export interface ChoiceStore {
  /** The coalition-wide entry and the follow-ups entry of `campaignKey` (followUpKey). */
  choices(email: string, campaignKey: string): Promise<RecipientChoices>;
  /** Stops letters at once; a stop for another reason (bounce, complaint) is left as it is. */
  stop(
    email: string,
    scope: StopScope,
    campaignKey: string,
    at: string,
    expiresAt?: number,
  ): Promise<void>;
  /**
   * Lifts the recipient's own stop of `scope`, made at `entry.at`, as read:
   * false when it changed meanwhile (a bounce since, another undo) and nothing was lifted.
   */
  lift(
    email: string,
    scope: StopScope,
    campaignKey: string,
    entry: StopEntry,
    at: string,
  ): Promise<boolean>;
}

export type ChoiceState =
  /** Nothing stops this address: the page offers both stops. */
  | { kind: 'open' }
  /** The recipient's own stop; `undoUntil` while it may still be undone. */
  | { kind: 'stopped'; scope: StopScope; at: string; undoUntil?: string }
  /** Stopped for a reason that is not the recipient's to undo (bounce, complaint). */
  | { kind: 'blocked'; reason: string };

const active = (e: StopEntry | undefined): e is StopEntry => !!e && !e.liftedAt;

/** Where the recipient's choices stand at `now`. The coalition-wide stop outranks a follow-ups one. */
export function choiceState(c: RecipientChoices, now: Date): ChoiceState {
  const stopped = (scope: StopScope, e: StopEntry): ChoiceState => {
    const until = undoDeadline(e);
    return until && Date.parse(until) > now.getTime()
      ? { kind: 'stopped', scope, at: e.at, undoUntil: until }
      : { kind: 'stopped', scope, at: e.at };
  };
  if (active(c.all)) {
    return c.all.reason === UNSUBSCRIBED
      ? stopped('all', c.all)
      : { kind: 'blocked', reason: c.all.reason };
  }
  if (active(c.followUps)) return stopped('followups', c.followUps);
  return { kind: 'open' };
}

/** The last moment a stop may be undone, or undefined when its time is not readable. */
export function undoDeadline(e: Pick<StopEntry, 'at'>): string | undefined {
  const at = Date.parse(e.at);
  return Number.isNaN(at) ? undefined : new Date(at + UNDO_DAYS * DAY_MS).toISOString();
}

/** Which entry `undo` lifts at `now`: the recipient's own active stop, within its undo window. */
export function undoable(c: RecipientChoices, now: Date): StopScope | undefined {
  const state = choiceState(c, now);
  return state.kind === 'stopped' && state.undoUntil ? state.scope : undefined;
}

/** The campaign whose follow-ups a stop concerns: the original, whichever of its letters the link was in. */
export function followUpKey(campaign: Pick<Campaign, 'id' | 'followUpOf'>): string {
  return campaign.followUpOf ?? campaign.id;
}

/**
 * When a follow-ups stop may go (DynamoDB TTL, epoch seconds): no follow-up
 * is sent after the original's deadline, and the undo must work its 30 days.
 */
export function followUpsStopExpiry(deadline: string, at: string): number {
  const end = Math.max(Date.parse(deadline) || 0, Date.parse(at) + UNDO_DAYS * DAY_MS);
  return Math.ceil((end + DAY_MS) / 1000);
}

/** A lifted entry stops nothing; it is kept a day (it cannot be deleted by the public route) and then expires. */
export function liftedExpiry(at: string): number {
  return Math.ceil((Date.parse(at) + DAY_MS) / 1000);
}
