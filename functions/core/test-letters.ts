/**
 * Test letters are sent outside any campaign, so no campaign record holds
 * what their "view in browser" link should show. The letter's web version is
 * kept on its own for a few days instead, under a campaign id no campaign
 * can have (`test-…`): the web route shows it to whoever holds the letter's
 * signed link, as it does a campaign letter.
 */
import { randomUUID } from 'node:crypto';

/** The campaign id a test letter's links carry: campaigns' own ids never begin so. */
export const TEST_LETTER_PREFIX = 'test-';

/** How long a test letter's web version stays readable. */
export const TEST_LETTER_DAYS = 7;

export interface TestLetter {
  id: string;
  /** The recipient id its signed links name (the tester's address). */
  recipientId: string;
  language: string;
  subject: string;
  /** The letter as its web version shows it: without the pixel and its own web link. */
  html: string;
  /** The token subject of the staff member who sent it. */
  sentBy: string;
  sentAt: string;
}

export interface TestLetterStore {
  put(letter: TestLetter, expiresAt: Date): Promise<void>;
  get(id: string): Promise<TestLetter | undefined>;
}

/** A fresh test letter's campaign id for its links. */
export function newTestLetterCampaignId(): string {
  return `${TEST_LETTER_PREFIX}${randomUUID()}`;
}

/** The test letter's id if `campaignId` is one, else undefined. */
export function testLetterId(campaignId: string): string | undefined {
  if (!campaignId.startsWith(TEST_LETTER_PREFIX)) return undefined;
  const id = campaignId.slice(TEST_LETTER_PREFIX.length);
  return /^[0-9a-f-]{36}$/.test(id) ? id : undefined;
}
