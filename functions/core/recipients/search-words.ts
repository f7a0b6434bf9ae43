/**
 * The words a staff search finds a recipient by: each word of the name,
 * title-less organisation and address, folded (lower case, accents off,
 * "ß" as "ss"), so "muller", "Müll" and "MÜLLER" all find "Jonas Müller".
 * A search matches a recipient when every word searched is the start of one
 * of the recipient's words. Pure: the store writes these words once with the
 * recipient (an index entry per word, and the same words on the recipient's
 * item), so a search reads only the entries of its first word.
 */
import type { Recipient } from '../recipients.js';

/** At most this many words per recipient, each at most WORD_LENGTH characters. */
export const MAX_WORDS = 16;
export const WORD_LENGTH = 32;

/** Lower case, accents removed, "ß" → "ss", "ø" → "o": the form words are compared in. */
export function fold(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[øœæłđ]/g, (c) => ({ ø: 'o', œ: 'oe', æ: 'ae', ł: 'l', đ: 'd' })[c] ?? c);
}

/** The folded words of a text: letters and digits, split at everything else. */
export function words(s: string): string[] {
  return fold(s)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((w) => w.slice(0, WORD_LENGTH));
}

/** A recipient's search words (name, organisation, address), distinct, in that order. */
export function searchWords(r: Pick<Recipient, 'name' | 'organisation' | 'email'>): string[] {
  const all = [...words(r.name), ...words(r.organisation ?? ''), ...words(r.email)];
  return [...new Set(all)].slice(0, MAX_WORDS);
}

/** The words of a search as typed, longest first (the longest narrows the index read most). */
export function queryWords(q: string): string[] {
  return [...new Set(words(q))].sort((a, b) => b.length - a.length).slice(0, 6);
}

/** True when every searched word starts one of the recipient's words. */
export function matchesSearch(
  recipientWords: readonly string[],
  query: readonly string[],
): boolean {
  return query.every((q) => recipientWords.some((w) => w.startsWith(q)));
}
