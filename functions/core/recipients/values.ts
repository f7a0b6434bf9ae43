/**
 * The values of a recipients row as people write them: groups in any case,
 * separator and number ("EU-Institution", "eu_institutions", "NGO member"),
 * countries by name ("Germany", "Deutschland") where a code is expected.
 */
import { closest } from '../suggest.js';

export const GROUPS = ['minister', 'eu-institution', 'ngo', 'other'] as const;
export type Group = (typeof GROUPS)[number];

/**
 * Every accepted spelling, after normalising (lower case, words split on any
 * separator, plurals made singular): the key is the words joined by a space.
 */
const GROUP_WORDS: Record<string, Group> = {
  minister: 'minister',
  ministry: 'minister',
  government: 'minister',
  official: 'minister',
  'foreign minister': 'minister',
  'foreign ministry': 'minister',
  eu: 'eu-institution',
  'eu institution': 'eu-institution',
  'eu body': 'eu-institution',
  'european institution': 'eu-institution',
  institution: 'eu-institution',
  ngo: 'ngo',
  'ngo member': 'ngo',
  member: 'ngo',
  'member organisation': 'ngo',
  'member organization': 'ngo',
  cso: 'ngo',
  'civil society': 'ngo',
  other: 'other',
};

/** The spellings the docs list: each normalises to its group (tested, and used by the bench's list). */
export const GROUP_SPELLINGS: readonly string[] = [
  'minister',
  'Ministers',
  'ministry',
  'government',
  'eu-institution',
  'eu_institution',
  'EU institution',
  'EU-Institution',
  'eu institutions',
  'EU',
  'ngo',
  'NGOs',
  'NGO member',
  'members',
  'other',
];

function singular(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 2 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** Lower case, words split on spaces, `_`, `-`, `/`, `.`, each made singular. */
export function groupKey(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map(singular)
    .join(' ');
}

/** The group a spelling names, or undefined. */
export function parseGroup(s: string): Group | undefined {
  return GROUP_WORDS[groupKey(s)];
}

/** The accepted group closest to an unknown spelling, when it is close enough to be a slip. */
export function closestGroup(s: string): Group | undefined {
  return closest(groupKey(s), Object.keys(GROUP_WORDS), (k) => GROUP_WORDS[k]!);
}

const plain = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, ' ')
    .trim();

/** Names the ISO list does not give but people write (and the EU's own codes for two countries). */
const COUNTRY_ALIASES: Record<string, string> = {
  uk: 'GB',
  'great britain': 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  britain: 'GB',
  el: 'GR',
  holland: 'NL',
  'czech republic': 'CZ',
  usa: 'US',
  'united states of america': 'US',
  'republic of moldova': 'MD',
  'russian federation': 'RU',
  'republic of korea': 'KR',
  'the netherlands': 'NL',
  'slovak republic': 'SK',
};

let countryNames: Map<string, string> | undefined;

/** Country names in the languages of the EU's capitals, to ISO 3166 alpha-2, built once from Intl. */
function names(): Map<string, string> {
  if (countryNames) return countryNames;
  const map = new Map<string, string>(Object.entries(COUNTRY_ALIASES));
  const languages = ['en', 'fr', 'de', 'es', 'it', 'nl', 'pl', 'pt', 'sv', 'ro', 'cs', 'el'];
  const A = 'A'.charCodeAt(0);
  for (const language of languages) {
    let display: Intl.DisplayNames;
    try {
      display = new Intl.DisplayNames([language], { type: 'region', fallback: 'none' });
    } catch {
      continue;
    }
    for (let i = 0; i < 26; i++) {
      for (let j = 0; j < 26; j++) {
        const code = String.fromCharCode(A + i, A + j);
        // Withdrawn codes (DD, YU, SU …) canonicalise to their successors; names go to the current code.
        if (Intl.getCanonicalLocales(`und-${code}`)[0] !== `und-${code}`) continue;
        const name = display.of(code);
        if (!name || name === code) continue;
        const key = plain(name);
        if (key && !map.has(key)) map.set(key, code);
      }
    }
  }
  countryNames = map;
  return map;
}

/** The ISO 3166 alpha-2 code a country name most likely means ("Germany" → DE), if any. */
export function likelyCountryCode(value: string): string | undefined {
  const key = plain(value);
  if (!key) return undefined;
  const map = names();
  return (
    map.get(key) ?? (key.length > 4 ? closest(key, [...map.keys()], (k) => map.get(k)!) : undefined)
  );
}
