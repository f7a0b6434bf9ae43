/**
 * Erasing a person: their personal data leaves every campaign — recipient
 * record, send record, timeline, replies and the replies' raw messages —
 * while the campaign's counters (anonymous counts) stay exactly as they
 * were. The recipient record is replaced by an anonymous stub (group,
 * country, state) so the campaign's shape is still known; nothing in it
 * points back to the person. The job that finds the person and calls these
 * is forget-job.ts.
 */
import type { CampaignStore } from '../ports.js';
import { CampaignStateError } from '../errors.js';

export interface ErasedInCampaign {
  campaignId: string;
  recipient: boolean;
  timeline: number;
  replies: number;
  /** Raw messages of those replies deleted from the raw store (S3; a folder locally). */
  rawMessages: number;
  /** Other recipients' records that named the address as a fallback, and now do not. */
  fallbackOf: number;
  /** Co-signing organisations (sign-on) whose contact was this person, now without it. */
  signatories?: number;
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
  /**
   * Removes the address from one recipient's fallbacks and move history (and as the
   * letter's address, when it had moved to it); false when the record changed meanwhile.
   */
  eraseFallback(campaignId: string, recipientId: string, email: string): Promise<boolean>;
  /**
   * Removes the contact person (name, address) from one co-signing
   * organisation's record; the organisation stays. False when it is gone.
   */
  eraseSignatoryContact(campaignId: string, signatoryId: string, at: string): Promise<boolean>;
  /** Deletes one reply (matched to a campaign or not) and its raw message first; 0 when gone. */
  eraseReply(
    campaignId: string | undefined,
    replyId: string,
    eraseRaw: RawEraser,
  ): Promise<{ replies: number; rawMessages: number }>;
  /**
   * Keeps the address on the suppression list under `hashedKey` only: writes that entry
   * (with the plain entry's reason when there was one, else `reason`) and removes the
   * plain entry, together.
   */
  suppressHashed(email: string, hashedKey: string, reason: string, at: string): Promise<void>;
  /**
   * Deletes what is still kept under the address itself (its follow-ups stops, a lifted
   * unsubscribe, a plain suppression entry): after suppressHashed, nothing names it.
   */
  dropAddressEntries(email: string): Promise<number>;
}

/**
 * The address as someone else's fallback (a minister's office forwarding to a
 * person): it leaves that record too. A letter that had moved to it and is
 * still to be sent is settled as suppressed, as the person's own would be.
 * Returns 1 when the record named the address, 0 when it no longer did.
 */
export async function eraseFallbackOf(
  deps: { store: CampaignStore; privacy: PrivacyStore },
  campaignId: string,
  holderId: string,
  email: string,
  at: string,
): Promise<number> {
  const h = await deps.store.getRecipient(campaignId, holderId);
  if (!h?.fallbackEmails?.includes(email) && h?.email !== email) return 0;
  const current = h.email === email;
  if (current && h.state === 'claimed')
    throw new CampaignStateError(
      campaignId,
      'a letter to this address is being sent right now; the erasure goes on in a minute',
    );
  if (current && (h.state === 'pending' || h.state === 'held'))
    await deps.store.settle(
      campaignId,
      holderId,
      ['pending', 'held'],
      'suppressed',
      at,
      'erased on request',
    );
  // A record changed meanwhile (an event applied) is read again and tried once more.
  if (
    (await deps.privacy.eraseFallback(campaignId, holderId, email)) ||
    (await deps.privacy.eraseFallback(campaignId, holderId, email))
  )
    return 1;
  throw new CampaignStateError(campaignId, 'a record kept changing; the erasure goes on later');
}
