/**
 * Sign-on's part of the scheduler's tick: an open sign-on whose closing time
 * has passed is closed and its approved list locked into the statement,
 * exactly as when a campaigner closes it, audited under the system actor.
 * Pure but for the ports it is given.
 */
import type { CampaignHead } from '../campaign.js';
import { closeSignon, closingDue, type LockDeps } from './lock.js';

/** Who the audit log names for what the scheduler does by itself. */
export const SYSTEM_ACTOR = 'scheduler';

export interface SignonTickDeps extends LockDeps {
  /** The letter's MJML and the signed full-list link of a campaign (adapters: the template file, the secret). */
  letterParts(campaignId: string): Promise<{ mjml: string; listUrl: string }>;
}

export interface SignonTickResult {
  /** Campaigns whose sign-on this tick closed. */
  closed: string[];
}

/**
 * Closes every draft's sign-on whose closing time has come. Idempotent: the
 * close is conditional on sign-on being open, so a second tick (or a
 * campaigner closing it at the same moment) closes and audits it once, and
 * the lock writes no second version for the same list. One campaign's
 * failure is reported through `onError` and does not hold up the others.
 */
export async function signonTick(
  deps: SignonTickDeps,
  campaigns: CampaignHead[],
  onError: (campaignId: string, err: Error) => void,
): Promise<SignonTickResult> {
  const result: SignonTickResult = { closed: [] };
  const now = deps.clock.now();
  for (const c of campaigns) {
    if (c.status !== 'draft') continue;
    try {
      const settings = await deps.signon.settings(c.id);
      if (!closingDue(settings, now)) continue;
      const out = await closeSignon(
        deps,
        c.id,
        SYSTEM_ACTOR,
        `closing time ${settings!.closesAt} passed: the approved signatories locked into the statement`,
        await deps.letterParts(c.id),
      );
      if (out.closed) result.closed.push(c.id);
    } catch (err) {
      onError(c.id, err as Error);
    }
  }
  return result;
}
