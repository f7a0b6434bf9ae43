/**
 * What a recipient's letter says to them: salutation and address lines,
 * derived from their row. Rules by group and title live here; a row's own
 * salutation always wins.
 */
import { wordsFor } from './i18n.js';
import type { MergeValues } from './letter.js';
import type { Recipient } from './recipients.js';

export function mergeValues(r: Recipient, language: string): MergeValues {
  return {
    salutation: salutationFor(r, language),
    name: r.name,
    title: r.title ?? '',
    organisation: r.organisation ?? '',
  };
}

export function salutationFor(r: Recipient, language: string): string {
  if (r.salutation) return /[,:!]$/.test(r.salutation) ? r.salutation : `${r.salutation},`;
  const words = wordsFor(language);
  if (r.group === 'ngo' && r.organisation && language.startsWith('en')) {
    return `Dear colleagues at ${r.organisation},`;
  }
  if (r.title && language.startsWith('en')) return `Dear ${r.title} ${lastName(r.name)},`;
  if (language.startsWith('en')) return `Dear ${r.name},`;
  return words.defaultSalutation;
}

function lastName(name: string): string {
  const parts = name.trim().split(/\s+/);
  return parts[parts.length - 1] ?? name;
}
