/**
 * One letter outside any campaign, for `preview` and `test-send`: the same
 * compile and compose the sender uses, for one recipient, under a throwaway
 * campaign id that no campaign ever has (so no campaign counts it; a test
 * letter's web version is kept apart, core/test-letters.ts).
 */
import type { Campaign, CampaignRecipient } from './campaign.js';
import { letterFor } from './compose.js';
import { DemarcheError } from './errors.js';
import type { KeyRing } from './key-ring.js';
import { compileLetter, type LetterTemplate } from './letter.js';
import type { OutgoingLetter } from './ports.js';
import { GROUPS, importRecipients, recipientId, type Group, type Recipient } from './recipients.js';
import { statementLanguages, type Statement } from './statement.js';

/** The recipient a preview shows when none is named: a minister, the letter's main reader. */
export function sampleRecipient(email = 'minister.office@mfa.example.org'): Recipient {
  return {
    id: recipientId(email),
    email,
    name: 'Anna Lindqvist',
    title: 'Minister',
    organisation: 'Ministry for Foreign Affairs',
    group: 'minister',
  };
}

/** Picks a row of a recipients CSV by address or by 1-based data row number. */
export function pickRecipient(
  csv: string | Uint8Array,
  file: string,
  by: { email?: string; row?: number },
): Recipient {
  const { recipients } = importRecipients(csv, file);
  const found =
    by.email !== undefined
      ? recipients.find((r) => r.email === by.email!.trim().toLowerCase())
      : recipients[(by.row ?? 1) - 1];
  if (!found) {
    const what = by.email !== undefined ? `no row for ${by.email}` : `no usable row ${by.row}`;
    throw new DemarcheError('RECIPIENT_NOT_FOUND', `${file}: ${what}`, { file, ...by });
  }
  return found;
}

/** Checks a --group option. */
export function parseGroup(value: string | undefined): Group | undefined {
  if (value === undefined) return undefined;
  if ((GROUPS as readonly string[]).includes(value)) return value as Group;
  throw new DemarcheError('OPTION_INVALID', `--group must be one of ${GROUPS.join(', ')}`, {
    value,
  });
}

/** Compiles the statement in `language` and composes the letter for `recipient`. */
export async function singleLetter(input: {
  statement: Statement;
  recipient: Recipient;
  language: string;
  mjml: string;
  publicUrl: string;
  keys: KeyRing;
  test?: boolean;
  /** The campaign id the letter's links carry (a test letter's own); else `test` or `preview`. */
  campaignId?: string;
  now?: Date;
}): Promise<{
  template: LetterTemplate;
  letter: OutgoingLetter;
  campaign: Campaign;
  recipient: CampaignRecipient;
}> {
  const languages = statementLanguages(input.statement);
  if (!languages.includes(input.language)) {
    throw new DemarcheError(
      'LANGUAGE_UNAVAILABLE',
      `the statement has no ${input.language} version (it has ${languages.join(', ')}); add a translation file such as statement.${input.language}.md`,
      { language: input.language },
    );
  }
  const template = await compileLetter(input.statement, input.mjml, input.language);
  const campaign: Campaign = {
    id: input.campaignId ?? (input.test ? 'test' : 'preview'),
    status: 'draft',
    statement: input.statement,
    languages,
    recipientCount: 1,
    dryRun: true,
    createdAt: (input.now ?? new Date()).toISOString(),
  };
  const recipient: CampaignRecipient = {
    ...input.recipient,
    language: input.language,
    campaignId: campaign.id,
    state: 'pending',
  };
  const letter = letterFor(
    campaign,
    template,
    recipient,
    { publicUrl: input.publicUrl, keys: input.keys },
    { test: input.test, now: input.now },
  );
  return { template, letter, campaign, recipient };
}

/** The statement with "[TEST]" before the subject in every language. */
export function markedAsTest(s: Statement): Statement {
  const mark = (subject: string) => (subject.startsWith('[TEST]') ? subject : `[TEST] ${subject}`);
  return {
    ...s,
    subject: mark(s.subject),
    ...(s.translations
      ? { translations: s.translations.map((t) => ({ ...t, subject: mark(t.subject) })) }
      : {}),
  };
}
