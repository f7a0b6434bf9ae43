/**
 * Erasing a person (issue 11): their personal data leaves every campaign —
 * recipient record, send record, timeline, replies — while the campaign's
 * counters (anonymous counts) stay exactly as they were. The recipient
 * record is replaced by an anonymous stub (group, country, state) so the
 * campaign's shape is still known; nothing in it points back to the person.
 */
import type { CampaignStore, Clock } from '../ports.js';
import { normaliseEmail, recipientId } from '../recipients.js';
import { CampaignStateError, DemarcheError } from '../errors.js';
import type { GovernanceStore } from './ports.js';

export interface ErasedInCampaign {
  campaignId: string;
  recipient: boolean;
  timeline: number;
  replies: number;
}

export interface PrivacyStore {
  /** Replaces the recipient by an anonymous stub and deletes their timeline and replies in one campaign. */
  eraseRecipient(
    campaignId: string,
    recipientId: string,
    email: string,
    at: string,
  ): Promise<Omit<ErasedInCampaign, 'campaignId'>>;
  /** Deletes replies from this address that matched no campaign. */
  eraseUnmatchedReplies(email: string): Promise<number>;
}

export interface ForgetResult {
  /** Which campaigns held the person, and what was erased in each (no address in it). */
  campaigns: ErasedInCampaign[];
  unmatchedReplies: number;
  /** The address is (now) on the suppression list: kept as the one record of it, so it is never mailed again. */
  suppressed: boolean;
}

/**
 * Erases one person's personal data everywhere. With `suppress`, the address
 * goes on the suppression list (the sender refuses it in every campaign);
 * that item then is the only place the address remains, by request.
 */
export async function forgetPerson(
  deps: { store: CampaignStore; clock: Clock; privacy: PrivacyStore; governance: GovernanceStore },
  rawEmail: string,
  options: { actor: string; suppress?: boolean },
): Promise<ForgetResult> {
  const email = normaliseEmail(rawEmail);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 320) {
    throw new DemarcheError(
      'REQUEST_INVALID',
      `forget: ${JSON.stringify(rawEmail)} is not an email address`,
      {
        field: 'email',
      },
    );
  }
  const rid = recipientId(email);
  const at = deps.clock.now().toISOString();
  const campaigns: ErasedInCampaign[] = [];
  for (const c of await deps.store.listCampaigns(10_000)) {
    // A letter not yet sent is settled as not to be sent (counted as suppressed, so the
    // campaign still completes); one being sent this moment is left to finish first.
    const r = await deps.store.getRecipient(c.id, rid);
    if (r?.state === 'claimed')
      throw new CampaignStateError(
        c.id,
        'a letter to this person is being sent right now; run forget again in a minute',
      );
    if (r?.state === 'pending')
      await deps.store.settle(c.id, rid, ['pending'], 'suppressed', at, 'erased on request');
    const erased = await deps.privacy.eraseRecipient(c.id, rid, email, at);
    if (!erased.recipient && !erased.timeline && !erased.replies) continue;
    campaigns.push({ campaignId: c.id, ...erased });
    await deps.governance.appendAudit({
      campaignId: c.id,
      at,
      actor: options.actor,
      action: 'erased',
      detail: `one person's personal data erased on request (${erased.timeline} timeline entries, ${erased.replies} replies); counts kept`,
    });
  }
  const unmatchedReplies = await deps.privacy.eraseUnmatchedReplies(email);
  if (options.suppress) await deps.store.suppress(email, 'erasure request: never mail again', at);
  const suppressed = options.suppress ? true : await deps.store.isSuppressed(email);
  return { campaigns, unmatchedReplies, suppressed };
}
