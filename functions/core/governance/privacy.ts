/**
 * Erasing a person (issue 11): their personal data leaves every campaign —
 * recipient record, send record, timeline, replies and the replies' raw
 * messages — while the campaign's
 * counters (anonymous counts) stay exactly as they were. The recipient
 * record is replaced by an anonymous stub (group, country, state) so the
 * campaign's shape is still known; nothing in it points back to the person.
 */
import type { Actor } from './model.js';
import type { CampaignStore, Clock } from '../ports.js';
import { normaliseEmail, recipientId } from '../recipients.js';
import { CampaignStateError, DemarcheError } from '../errors.js';
import type { RawMessageStore } from '../replies/ports.js';
import type { GovernanceStore } from './ports.js';
import { hashedSuppression } from './suppression.js';

export interface ErasedInCampaign {
  campaignId: string;
  recipient: boolean;
  timeline: number;
  replies: number;
  /** Raw messages of those replies deleted from the raw store (S3; a folder locally). */
  rawMessages: number;
  /** Other recipients' records that named the address as a fallback, and now do not. */
  fallbackOf: number;
}

/** Deletes the raw messages of replies about to be deleted (called before the reply items go). */
export type RawEraser = (keys: string[]) => Promise<void>;

export interface PrivacyStore {
  /**
   * Replaces the recipient by an anonymous stub and deletes their timeline and replies in
   * one campaign; hands the replies' raw message keys to `eraseRaw` before deleting them.
   */
  eraseRecipient(
    campaignId: string,
    recipientId: string,
    email: string,
    at: string,
    eraseRaw: RawEraser,
  ): Promise<Omit<ErasedInCampaign, 'campaignId' | 'fallbackOf'>>;
  /** Recipients of a campaign whose fallback addresses include this one, and whether their letter now goes to it. */
  fallbackHolders(
    campaignId: string,
    email: string,
  ): Promise<{ id: string; state: string; current: boolean }[]>;
  /**
   * Removes the address from one recipient's fallbacks and move history (and as the
   * letter's address, when it had moved to it); false when the record changed meanwhile.
   */
  eraseFallback(campaignId: string, recipientId: string, email: string): Promise<boolean>;
  /** Deletes replies from this address that matched no campaign (their raw messages first). */
  eraseUnmatchedReplies(
    email: string,
    eraseRaw: RawEraser,
  ): Promise<{ replies: number; rawMessages: number }>;
  /**
   * Keeps the address on the suppression list under `hashedKey` only: writes that entry
   * (with the plain entry's reason when there was one, else `reason`) and removes the
   * plain entry, together.
   */
  suppressHashed(email: string, hashedKey: string, reason: string, at: string): Promise<void>;
}

export interface ForgetResult {
  /** Which campaigns held the person, and what was erased in each (no address in it). */
  campaigns: ErasedInCampaign[];
  unmatchedReplies: number;
  /** Raw messages of unmatched replies deleted. */
  unmatchedRawMessages: number;
  /**
   * The address is (now) on the suppression list, so it is never mailed again: kept as a
   * keyed hash (HMAC with the deployment's secret), never as the address.
   */
  suppressed: boolean;
}

/**
 * The address as someone else's fallback (a minister's office forwarding to a
 * person): it leaves those records too. A letter that had moved to it and is
 * still to be sent is settled as suppressed, as the person's own would be.
 */
async function eraseAsFallback(
  deps: { store: CampaignStore; privacy: PrivacyStore },
  campaignId: string,
  email: string,
  at: string,
): Promise<number> {
  let erased = 0;
  for (const h of await deps.privacy.fallbackHolders(campaignId, email)) {
    if (h.current && h.state === 'claimed')
      throw new CampaignStateError(
        campaignId,
        'a letter to this address is being sent right now; run forget again in a minute',
      );
    if (h.current && h.state === 'pending')
      await deps.store.settle(campaignId, h.id, ['pending'], 'suppressed', at, 'erased on request');
    // A record changed meanwhile (an event applied) is read again and tried once more.
    if (
      (await deps.privacy.eraseFallback(campaignId, h.id, email)) ||
      (await deps.privacy.eraseFallback(campaignId, h.id, email))
    )
      erased++;
    else throw new CampaignStateError(campaignId, 'a record kept changing; run forget again');
  }
  return erased;
}

/**
 * Erases one person's personal data everywhere. With `suppress`, the address
 * goes on the suppression list (the sender refuses it in every campaign); an
 * address already there (unsubscribed, bounced) stays there. Either way the
 * entry holds a keyed hash of the address, not the address.
 */
export async function forgetPerson(
  deps: {
    store: CampaignStore;
    clock: Clock;
    privacy: PrivacyStore;
    governance: GovernanceStore;
    secret: () => Promise<string>;
    rawStore: Pick<RawMessageStore, 'delete'>;
  },
  rawEmail: string,
  options: { actor: string | Actor; suppress?: boolean },
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
  const eraseRaw: RawEraser = async (keys) => {
    for (const key of keys) await deps.rawStore.delete(key);
  };
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
    const erased = {
      ...(await deps.privacy.eraseRecipient(c.id, rid, email, at, eraseRaw)),
      fallbackOf: await eraseAsFallback(deps, c.id, email, at),
    };
    if (!erased.recipient && !erased.timeline && !erased.replies && !erased.fallbackOf) continue;
    campaigns.push({ campaignId: c.id, ...erased });
    await deps.governance.appendAudit({
      campaignId: c.id,
      at,
      ...(typeof options.actor === 'string'
        ? { actor: options.actor }
        : {
            actor: options.actor.sub,
            ...(options.actor.email ? { actorEmail: options.actor.email } : {}),
          }),
      action: 'erased',
      detail: `one person's personal data erased on request (${erased.timeline} timeline entries, ${erased.replies} replies, ${erased.rawMessages} raw messages); counts kept`,
    });
  }
  const unmatched = await deps.privacy.eraseUnmatchedReplies(email, eraseRaw);
  const suppressed = options.suppress || (await deps.store.isSuppressed(email));
  if (suppressed) {
    const key = hashedSuppression(await deps.secret(), email);
    await deps.privacy.suppressHashed(email, key, 'erasure request: never mail again', at);
  }
  return {
    campaigns,
    unmatchedReplies: unmatched.replies,
    unmatchedRawMessages: unmatched.rawMessages,
    suppressed,
  };
}
