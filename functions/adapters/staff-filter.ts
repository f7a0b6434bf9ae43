/**
 * The recipients table's filters, said twice on purpose and kept side by
 * side: as a DynamoDB FilterExpression (a page or a count read over the
 * campaign's recipient items) and as a test of one item in memory (a search
 * reads recipients by id through its index, where DynamoDB applies no
 * filter). test/integration/staff-search.test.ts holds both to the same
 * answers.
 */
import { ENGAGEMENT_ATTRIBUTES } from '../core/engagement.js';

export interface RecipientFilter {
  group?: string;
  country?: string;
  state?: string;
  /** The delivery state the events handler keeps (delivered, bouncedHard, complained …). */
  delivery?: string;
  opened?: boolean;
  replied?: boolean;
  /** The recipient's own latest choice: stopped every letter, or this campaign's follow-ups. */
  unsubscribed?: 'all' | 'followups';
  /** The letter moved on to a fallback address. */
  fallback?: boolean;
  /** Words a name, organisation or address starts with (core/recipients/search-words.ts). */
  q?: string;
}

type Item = Record<string, unknown>;

const ATTRIBUTE = { group: 'group', country: 'country', state: 'state', delivery: 'deliveryState' };
const EQUALS = ['group', 'country', 'state', 'delivery'] as const;

export interface Expression {
  conditions: string[];
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/** The filter (and the search words, when given) as FilterExpression parts. */
export function filterExpression(filter: RecipientFilter, searchWords: string[] = []): Expression {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const conditions: string[] = [];
  for (const f of EQUALS) {
    if (filter[f] === undefined) continue;
    names[`#${f}`] = ATTRIBUTE[f];
    values[`:${f}`] = filter[f];
    conditions.push(`#${f} = :${f}`);
  }
  for (const f of ['opened', 'replied'] as const) {
    if (filter[f] === undefined) continue;
    const attrs = ENGAGEMENT_ATTRIBUTES[f];
    attrs.forEach((a, i) => (names[`#${f}${i}`] = a));
    const any = attrs.map((_, i) => `attribute_exists(#${f}${i})`).join(' OR ');
    conditions.push(filter[f] ? `(${any})` : `NOT (${any})`);
  }
  if (filter.unsubscribed) {
    names['#choice'] = 'choice';
    names['#scope'] = 'scope';
    values[':scope'] = filter.unsubscribed;
    if (filter.unsubscribed === 'all') {
      // Records from before choices were kept say only when the recipient unsubscribed.
      names['#unsubAt'] = 'unsubscribedAt';
      conditions.push(
        '(#choice.#scope = :scope OR (attribute_not_exists(#choice) AND attribute_exists(#unsubAt)))',
      );
    } else conditions.push('#choice.#scope = :scope');
  }
  if (filter.fallback !== undefined) {
    names['#attempt'] = 'attempt';
    values[':zero'] = 0;
    conditions.push(
      filter.fallback ? '#attempt > :zero' : '(attribute_not_exists(#attempt) OR #attempt = :zero)',
    );
  }
  if (searchWords.length) {
    names['#find'] = 'find';
    searchWords.forEach((w, i) => {
      values[`:w${i}`] = ` ${w}`;
      conditions.push(`contains(#find, :w${i})`);
    });
  }
  return { conditions, names, values };
}

/** The same filter, tested on one stored recipient item. */
export function matchesFilter(item: Item, filter: RecipientFilter): boolean {
  for (const f of EQUALS)
    if (filter[f] !== undefined && item[ATTRIBUTE[f]] !== filter[f]) return false;
  for (const f of ['opened', 'replied'] as const) {
    if (filter[f] === undefined) continue;
    const has = ENGAGEMENT_ATTRIBUTES[f].some((a) => item[a] !== undefined);
    if (has !== filter[f]) return false;
  }
  if (filter.unsubscribed) {
    const choice = item.choice as { scope?: string } | undefined;
    const scope = choice ? choice.scope : item.unsubscribedAt !== undefined ? 'all' : undefined;
    if (scope !== filter.unsubscribed) return false;
  }
  if (filter.fallback !== undefined) {
    const moved = typeof item.attempt === 'number' && item.attempt > 0;
    if (moved !== filter.fallback) return false;
  }
  return true;
}
