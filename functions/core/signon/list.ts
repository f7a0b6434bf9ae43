/**
 * The signatory list as staff and the letter see it: possible duplicates
 * flagged (the same website, the same email domain, near-identical names)
 * and the order of the list (initiators first, then any place staff set,
 * then alphabetically). Pure functions over signatory records.
 */
import { distance } from 'fastest-levenshtein';
import type { Signatory } from './model.js';

/** Mail providers anyone can have an address at: sharing one says nothing about being the same organisation. */
const SHARED_MAIL_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'yahoo.fr',
  'hotmail.com',
  'hotmail.fr',
  'outlook.com',
  'live.com',
  'icloud.com',
  'mail.ru',
  'yandex.ru',
  'ukr.net',
  'gmx.de',
  'gmx.net',
  'web.de',
  'proton.me',
  'protonmail.com',
  'orange.fr',
  'free.fr',
  'laposte.net',
  'tut.by',
  'abv.bg',
  'seznam.cz',
  'wp.pl',
  'o2.pl',
  'onet.pl',
  'inbox.lv',
]);

/** Why two signatories may be the same organisation. */
export type DuplicateReason = 'website' | 'email-domain' | 'name';

export interface DuplicateFlag {
  /** The other signatory's id. */
  other: string;
  reason: DuplicateReason;
}

/** A website's host without `www.`, lower case. */
export function siteHost(website: string | undefined): string | undefined {
  if (!website) return undefined;
  try {
    return new URL(website).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return undefined;
  }
}

/** The domain of an address, unless it is a shared mail provider's. */
export function orgMailDomain(email: string): string | undefined {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return domain && !SHARED_MAIL_DOMAINS.has(domain) ? domain : undefined;
}

/** A name folded for comparison: no accents, case, punctuation or spacing differences. */
export function foldName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Near-identical: equal once folded, or a few edits apart relative to their length. */
export function similarNames(a: string, b: string): boolean {
  const x = foldName(a);
  const y = foldName(b);
  if (!x || !y) return false;
  if (x === y) return true;
  const longest = Math.max(x.length, y.length);
  if (longest < 6) return false;
  return distance(x, y) <= Math.max(1, Math.floor(longest * 0.12));
}

function namesOf(s: Signatory): string[] {
  return [s.name, s.latin, s.displayName].filter((n): n is string => !!n);
}

/**
 * Each signatory's possible duplicates among the others not rejected, with the
 * reason. Websites and mail domains are grouped (linear); names are compared
 * pairwise, which is fine for the hundreds a coalition collects.
 */
export function duplicateFlags(list: Signatory[]): Map<string, DuplicateFlag[]> {
  const live = list.filter((s) => s.state !== 'rejected');
  const flags = new Map<string, DuplicateFlag[]>();
  const add = (a: Signatory, b: Signatory, reason: DuplicateReason) => {
    const of = (x: Signatory, y: Signatory) => {
      const l = flags.get(x.id) ?? [];
      if (!l.some((f) => f.other === y.id)) l.push({ other: y.id, reason });
      flags.set(x.id, l);
    };
    of(a, b);
    of(b, a);
  };
  for (const [key, reason] of [
    [(s: Signatory) => siteHost(s.website), 'website'],
    [(s: Signatory) => orgMailDomain(s.contactEmail), 'email-domain'],
  ] as const) {
    const groups = new Map<string, Signatory[]>();
    for (const s of live) {
      const k = key(s);
      if (k) groups.set(k, [...(groups.get(k) ?? []), s]);
    }
    for (const group of groups.values())
      for (let i = 0; i < group.length; i++)
        for (let j = i + 1; j < group.length; j++) add(group[i]!, group[j]!, reason);
  }
  for (let i = 0; i < live.length; i++)
    for (let j = i + 1; j < live.length; j++) {
      const a = live[i]!;
      const b = live[j]!;
      if (namesOf(a).some((x) => namesOf(b).some((y) => similarNames(x, y)))) add(a, b, 'name');
    }
  return flags;
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** The key a name sorts by: its Latin transliteration when given, so scripts interleave by sound. */
const sortKey = (s: Pick<Signatory, 'displayName' | 'latin'>) => s.latin ?? s.displayName;

/**
 * The list's order: initiators first, then the places staff set (lower
 * first), then alphabetically by Latin name (else the name as given); ties
 * by id, so the order is the same every time.
 */
export function ordered<
  T extends Pick<Signatory, 'id' | 'displayName' | 'latin' | 'initiator' | 'order'>,
>(list: readonly T[]): T[] {
  return [...list].sort(
    (a, b) =>
      Number(!!b.initiator) - Number(!!a.initiator) ||
      (a.order ?? Infinity) - (b.order ?? Infinity) ||
      collator.compare(sortKey(a), sortKey(b)) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}
