/**
 * Where sign-on lives: one partition per campaign (SIGNON#<id>), apart from
 * the campaign's, so that the public web function can be granted writes to
 * it and to nothing a letter is sent from (infra/access.ts).
 */
import type { Signatory, SignatoryState, SignonSettings } from './model.js';

export interface SignonStore {
  settings(campaignId: string): Promise<SignonSettings | undefined>;
  /** Staff only: opens, closes, reopens. */
  putSettings(settings: SignonSettings): Promise<void>;
  /**
   * Adds a pending signatory and the marker of its contact address at once
   * (one transaction); false, writing nothing, when that address signed this
   * campaign's statement already.
   */
  addPending(signatory: Signatory, emailKey: string, expiresAt: number): Promise<boolean>;
  get(campaignId: string, id: string): Promise<Signatory | undefined>;
  /** Every signatory of the campaign, any state (hundreds: one paged query). */
  list(campaignId: string): Promise<Signatory[]>;
  /**
   * Sets `fields` on a signatory that is in one of `from` (all states when
   * absent); false when it is not (someone else moved it first, or it does not exist).
   */
  update(
    campaignId: string,
    id: string,
    fields: Partial<Omit<Signatory, 'campaignId' | 'id'>>,
    from?: SignatoryState[],
  ): Promise<boolean>;
  /** Takes the right to send the confirmation mail: true once per signatory, ever. */
  claimMail(campaignId: string, id: string, at: string): Promise<boolean>;
  /**
   * Counts one request against `key` in the window ending `windowEnd`
   * (epoch seconds; the counter expires then) and returns the count so far.
   */
  hit(campaignId: string, key: string, windowEnd: number): Promise<number>;
}
