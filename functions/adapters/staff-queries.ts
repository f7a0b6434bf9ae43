/**
 * The staff API's own reads and writes on the one table, beside the
 * CampaignStore: recipients filtered server-side, and recipients added to a
 * draft with an exact count. Filters run as a DynamoDB FilterExpression over
 * the campaign's recipient items page by page (each request reads at most a
 * bounded number of items); a GSI per filter would make sparse filters on very
 * large campaigns cheaper and can come later without changing the API.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type CampaignRecipient,
  COUNTERS,
  type Counters,
  emptyCounters,
} from '../core/campaign.js';
import { matchesSearch, queryWords } from '../core/recipients/search-words.js';
import { CampaignStateError } from '../core/errors.js';
import type { Recipient } from '../core/recipients.js';
import { strip as stripItem } from './dynamo-items.js';
import { recipientIndexItems } from './person-index.js';
import {
  pageLetter,
  readPages,
  recipientsByIds,
  searchIndex,
  storedWords,
} from './recipient-search.js';
import { filterExpression, matchesFilter, type RecipientFilter } from './staff-filter.js';
import { campaignExpiry } from './retention-env.js';
import { keys, TABLE } from './table-definition.js';

export type { RecipientFilter } from './staff-filter.js';

export interface FilteredPage {
  items: CampaignRecipient[];
  cursor?: string;
  /** Items read to fill this page (filters can read more than they return). */
  scanned: number;
}

const strip = (item: Record<string, unknown>): CampaignRecipient =>
  stripItem<CampaignRecipient>(item)!;

export class StaffQueries {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    /** Keys the erasure index entries of recipients added (person-index.ts). */
    private readonly secret?: () => Promise<string>,
  ) {}

  /**
   * One page of recipients matching `filter`, exactly `limit` or fewer. Each
   * query reads at most the number of items still wanted, so a page never
   * overshoots and the cursor always points just after the last item returned;
   * at most `budget` items are read per call (the cursor then continues).
   */
  async recipients(
    campaignId: string,
    filter: RecipientFilter,
    cursor: string | undefined,
    limit: number,
    budget?: number,
  ): Promise<FilteredPage> {
    const words = filter.q ? queryWords(filter.q) : [];
    if (words.length)
      return this.search(campaignId, filter, words, cursor, limit, budget ?? SEARCH_BUDGET);
    budget ??= 2000;
    const { conditions: conds, names, values } = filterExpression(filter);
    values[':p'] = keys.campaign(campaignId).pk;
    values[':r'] = 'RCPT#';
    const items: CampaignRecipient[] = [];
    let scanned = 0;
    let start = decodeCursor(cursor);
    do {
      const want = limit - items.length;
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :p AND begins_with(sk, :r)',
          ...(conds.length ? { FilterExpression: conds.join(' AND ') } : {}),
          ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: values,
          ExclusiveStartKey: start,
          Limit: Math.min(want, budget - scanned),
        }),
      );
      scanned += out.ScannedCount ?? 0;
      items.push(...(out.Items ?? []).map(strip));
      start = out.LastEvaluatedKey as Record<string, string> | undefined;
    } while (start && items.length < limit && scanned < budget);
    return { items, scanned, ...(start ? { cursor: encodeCursor(start) } : {}) };
  }

  /**
   * A search page: the campaign's search pages of the longest word's first
   * letter in order (recipient-search.ts), entries with a word starting with
   * that word, then the matching recipients read by id and kept when all
   * their own words (the entry may be stale) and the filter match. An entry
   * counts only in the group its recipient's item names, so a recipient
   * written twice is listed once. The cursor is the page and the last
   * recipient id taken in it. At most `budget` entries are read per call
   * (the cursor then continues).
   */
  private async search(
    campaignId: string,
    filter: RecipientFilter,
    words: string[],
    cursor: string | undefined,
    limit: number,
    budget: number,
  ): Promise<FilteredPage> {
    const pk = keys.campaign(campaignId).pk;
    const first = words[0]!;
    const at = searchCursor(decodeCursor(cursor)?.sk);
    const items: CampaignRecipient[] = [];
    let fromPage = at?.page;
    let scanned = 0;
    const cursorAt = (page: string, rid: string) => encodeCursor({ pk, sk: `${page}#${rid}` });
    for (;;) {
      const read = await readPages(
        this.db,
        this.table,
        campaignId,
        pageLetter(first),
        fromPage,
        50,
      );
      const entries = read.entries.filter((e) => !at || e.page !== at.page || e.rid > at.rid);
      scanned += entries.length;
      const hits = entries.filter((e) => e.words.some((w) => w.startsWith(first)));
      // Read the hits in slices, so a page never reads many more recipients than it shows.
      for (let i = 0; i < hits.length; i += limit) {
        const slice = hits.slice(i, i + limit);
        const found = await recipientsByIds(
          this.db,
          this.table,
          campaignId,
          slice.map((h) => h.rid),
        );
        const byId = new Map(found.map((f) => [String(f.id), f]));
        for (const hit of slice) {
          const item = byId.get(hit.rid);
          if (!item || (item.findPage !== undefined && item.findPage !== hit.group)) continue;
          if (!matchesSearch(storedWords(item), words) || !matchesFilter(item, filter)) continue;
          items.push(strip(item));
          if (items.length === limit)
            return { items, scanned, cursor: cursorAt(hit.page, hit.rid) };
        }
      }
      if (!read.more || !read.lastPage) return { items, scanned };
      // The next read starts after the last page read (its key and the lowest character).
      fromPage = `${read.lastPage}\u0000`;
      if (scanned >= budget) return { items, scanned, cursor: cursorAt(read.lastPage, '\uffff') };
    }
  }

  /**
   * One page of the recipients matching `filter`, sorted by `sort`: the
   * whole matching list is read and sorted, so this answers only lists of
   * at most SORT_LIMIT (undefined when there are more: filter first). Names
   * compare as people read them (accents and case aside, numbers by value);
   * empty values go last, ties by id, so pages never overlap. The cursor is
   * the offset of the next page.
   */
  async sortedRecipients(
    campaignId: string,
    filter: RecipientFilter,
    sort: SortKey,
    order: 'asc' | 'desc',
    cursor: string | undefined,
    limit: number,
  ): Promise<FilteredPage | undefined> {
    const offset = sortOffset(cursor);
    const all: CampaignRecipient[] = [];
    let scanned = 0;
    let next: string | undefined;
    do {
      const page = await this.recipients(campaignId, filter, next, 1000);
      for (const r of page.items) all.push(r);
      scanned += page.scanned;
      next = page.cursor;
      if (all.length > SORT_LIMIT) return undefined;
    } while (next);
    const value = SORT_VALUE[sort];
    const sign = order === 'desc' ? -1 : 1;
    all.sort((a, b) => {
      const x = value(a);
      const y = value(b);
      if (!x !== !y) return x ? -1 : 1;
      return sign * COLLATOR.compare(x, y) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
    const items = all.slice(offset, offset + limit);
    const more = offset + limit < all.length;
    return {
      items,
      scanned,
      ...(more
        ? {
            cursor: encodeCursor({
              pk: keys.campaign(campaignId).pk,
              sk: `SORT#${offset + limit}`,
            }),
          }
        : {}),
    };
  }

  /** Recipients by id (the replies inbox's people), those that exist. */
  async recipientsById(campaignId: string, rids: string[]): Promise<CampaignRecipient[]> {
    return (await recipientsByIds(this.db, this.table, campaignId, rids)).map(strip);
  }

  /**
   * How many recipients match: a COUNT read over the campaign's recipient
   * items with the filter (and search words), at most `budget` items read.
   * `complete` is false when the budget ran out first: the count is then a
   * lower bound.
   */
  async countRecipients(
    campaignId: string,
    filter: RecipientFilter,
    budget = 50_000,
  ): Promise<{ count: number; complete: boolean }> {
    const words = filter.q ? queryWords(filter.q) : [];
    const { conditions, names, values } = filterExpression(filter, words);
    values[':p'] = keys.campaign(campaignId).pk;
    values[':r'] = 'RCPT#';
    let count = 0;
    let scanned = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :p AND begins_with(sk, :r)',
          ...(conditions.length ? { FilterExpression: conditions.join(' AND ') } : {}),
          ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: values,
          Select: 'COUNT',
          ExclusiveStartKey: start,
          Limit: Math.min(5_000, budget - scanned),
        }),
      );
      count += out.Count ?? 0;
      scanned += out.ScannedCount ?? 0;
      start = out.LastEvaluatedKey;
    } while (start && scanned < budget);
    return { count, complete: start === undefined };
  }

  /**
   * The campaign's counters by reading its shards by key (one BatchGetItem of
   * TABLE.counterShards keys): the cost is the same whatever else the
   * campaign's partition holds, 100 recipients or 100,000.
   */
  async counters(campaignId: string): Promise<Counters> {
    const total = emptyCounters();
    let wanted: Record<string, unknown>[] = Array.from({ length: TABLE.counterShards }, (_, s) =>
      keys.counter(campaignId, s),
    );
    for (let attempt = 0; wanted.length; attempt++) {
      const out = await this.db.send(
        new BatchGetCommand({
          RequestItems: { [this.table]: { Keys: wanted, ConsistentRead: true } },
        }),
      );
      for (const item of out.Responses?.[this.table] ?? [])
        for (const c of COUNTERS) total[c] += Number(item[c] ?? 0);
      wanted = out.UnprocessedKeys?.[this.table]?.Keys ?? [];
      if (wanted.length && attempt > 8) throw new Error('DynamoDB kept counter shards unprocessed');
    }
    return total;
  }

  /**
   * Adds recipients to a draft campaign: a recipient already on it is left as
   * it is (reported as existing), and the campaign's recipient count grows by
   * exactly the number added.
   */
  async addRecipients(
    campaignId: string,
    recipients: Recipient[],
  ): Promise<{ added: number; existing: number }> {
    let added = 0;
    const secret = this.secret ? await this.secret() : undefined;
    const expiresAt = await campaignExpiry(this.db, this.table, campaignId);
    const ttl = expiresAt ? { [TABLE.ttlAttribute]: expiresAt } : {};
    const search = searchIndex(campaignId, recipients, expiresAt);
    // The search pages and erasure-index entries first (rewriting one is harmless): a failure
    // in between leaves an entry that points at nothing, never a recipient erasure cannot find.
    for (const Item of search.pages)
      await this.db.send(new PutCommand({ TableName: this.table, Item }));
    for (const r of recipients) {
      for (const Item of secret ? recipientIndexItems(secret, campaignId, r, expiresAt) : [])
        await this.db.send(new PutCommand({ TableName: this.table, Item }));
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.table,
            Item: {
              ...keys.recipient(campaignId, r.id),
              type: 'recipient',
              campaignId,
              ...r,
              ...search.fields(r.id),
              state: 'pending',
              ...ttl,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        added++;
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      }
    }
    if (added) {
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key: keys.campaign(campaignId),
            UpdateExpression: 'ADD recipientCount :n',
            ConditionExpression: '#s = :draft',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':n': added, ':draft': 'draft' },
          }),
        );
      } catch (err) {
        if (err instanceof ConditionalCheckFailedException)
          throw new CampaignStateError(campaignId, 'recipients can only be added to a draft');
        throw err;
      }
    }
    return { added, existing: recipients.length - added };
  }
}

/** The columns a recipients list sorts by. */
export const SORT_KEYS = [
  'name',
  'organisation',
  'group',
  'country',
  'delivery',
  'sentAt',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/**
 * Sorting reads the whole matching list each page (DynamoDB keeps a
 * campaign's recipients in id order only): up to this many, ~10 MB of reads.
 */
export const SORT_LIMIT = 10_000;

const SORT_VALUE: Record<SortKey, (r: CampaignRecipient) => string> = {
  name: (r) => r.name,
  organisation: (r) => r.organisation ?? '',
  group: (r) => r.group,
  country: (r) => r.country ?? '',
  // The events handler's delivery state sits beside the send state on the item.
  delivery: (r) => String((r as { deliveryState?: string }).deliveryState ?? r.state),
  sentAt: (r) => r.sentAt ?? '',
};

const COLLATOR = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** The offset a sorted list's cursor names (`SORT#<n>`); 0 without one. */
function sortOffset(cursor: string | undefined): number {
  const sk = decodeCursor(cursor)?.sk;
  const n = sk?.startsWith('SORT#') ? Number(sk.slice('SORT#'.length)) : 0;
  return Number.isInteger(n) && n >= 0 && n <= SORT_LIMIT ? n : 0;
}

/**
 * Search page entries read per call at most: an entry is a recipient id and a
 * few words, matched in memory, so a call can read a 100,000-recipient
 * campaign's pages of one letter (about 15,000 entries) and still answer fast.
 */
const SEARCH_BUDGET = 50_000;

/** The page and recipient id a search cursor's key names (`FINDPAGE#…#rid`). */
function searchCursor(sk: string | undefined): { page: string; rid: string } | undefined {
  if (!sk) return undefined;
  const cut = sk.lastIndexOf('#');
  return { page: sk.slice(0, cut), rid: sk.slice(cut + 1) };
}

/** Cursors are opaque to callers; a forged or foreign one is refused, never passed on blindly. */
export function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Record<string, string> | undefined {
  if (!cursor) return undefined;
  const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<
    string,
    string
  >;
  return key;
}
