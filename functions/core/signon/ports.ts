/**
 * Where sign-on lives: one partition per campaign (SIGNON#<id>), apart from
 * the campaign's, so that the public web function can be granted writes to
 * it and to nothing a letter is sent from (infra/access.ts).
 */
import type { AfterSendMail, Signatory, SignatoryState, SignonSettings } from './model.js';

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
  /**
   * Closes an open sign-on (conditionally on it being open) and returns the
   * closed settings; undefined when it was not open (closed already, by
   * someone else first, or never opened).
   */
  closeIfOpen(
    campaignId: string,
    closedAt: string,
    closedBy: string,
  ): Promise<SignonSettings | undefined>;
  /** Sets fields of the settings item that sign-on's open and close never touch (after-send marks, the open letter). */
  updateSettings(
    campaignId: string,
    fields: Partial<Pick<SignonSettings, 'openLetter' | 'copiesDoneAt' | 'summaryDoneAt'>>,
  ): Promise<boolean>;
  /**
   * Takes the right to send one after-send mail (the copy of the letter, the
   * delivery summary) to an approved signatory: true once per signatory and
   * mail, ever (a conditional write before the send, as the sender claims a
   * letter), so a retried tick never sends it twice.
   */
  claimAfterSend(campaignId: string, id: string, mail: AfterSendMail, at: string): Promise<boolean>;
  /** Takes the right to send the confirmation mail: true once per signatory, ever. */
  claimMail(campaignId: string, id: string, at: string): Promise<boolean>;
  /**
   * Counts one request against `key` in the window ending `windowEnd`
   * (epoch seconds; the counter expires then) and returns the count so far.
   */
  hit(campaignId: string, key: string, windowEnd: number): Promise<number>;
}
