/**
 * What a recipient's letter says to them: salutation and address lines,
 * derived from their row. Rules by group and the title's rank live in
 * salutations.ts, per language; a row's own salutation always wins.
 */
import { deriveSalutation, type DerivedSalutation } from './salutations.js';
import type { MergeValues } from './letter.js';
import type { Recipient } from './recipients.js';

/** The values merged into one recipient's letter (escaped later, at the merge). */
export function mergeValues(r: Recipient, language: string): MergeValues {
  return {
    salutation: salutationFor(r, language),
    name: r.name,
    title: r.title ?? '',
    organisation: r.organisation ?? '',
  };
}

/**
 * The salutation line: the row's own when it has one (a comma added when it
 * ends without punctuation), else the language's rule for the group and title.
 */
export function salutationFor(r: Recipient, language: string): string {
  return deriveSalutation(r, language).text;
}

/** The salutation and the rule that produced it, for a preview to show. */
export function salutationRule(r: Recipient, language: string): DerivedSalutation {
  return deriveSalutation(r, language);
}
