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
import { recipientIndexItems } from './person-index.js';
import {
  findAttribute,
  findIds,
  FIND_PREFIX,
  recipientsByIds,
  searchIndexItems,
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

const strip = (item: Record<string, unknown>): CampaignRecipient => {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, type: _t, find: _f, ...rest } = item;
  return rest as unknown as CampaignRecipient;
};

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
    budget = 2000,
  ): Promise<FilteredPage> {
    const words = filter.q ? queryWords(filter.q) : [];
    if (words.length) return this.search(campaignId, filter, words, cursor, limit, budget);
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
   * A search page: the index entries of the longest word searched, in key
   * order, then their recipients by id, kept when every word and the filter
   * match. A recipient is taken at its first word that starts with the
   * searched one, so two such words ("jonas", "jonathan") list it once, on
   * one page. At most `budget` index entries are read per call.
   */
  private async search(
    campaignId: string,
    filter: RecipientFilter,
    words: string[],
    cursor: string | undefined,
    limit: number,
    budget: number,
  ): Promise<FilteredPage> {
    const first = words[0]!;
    const items: CampaignRecipient[] = [];
    let after = decodeCursor(cursor)?.sk;
    let scanned = 0;
    for (;;) {
      const batch = await findIds(
        this.db,
        this.table,
        campaignId,
        first,
        after,
        Math.min(100, budget - scanned),
      );
      scanned += batch.ids.length;
      const found = await recipientsByIds(
        this.db,
        this.table,
        campaignId,
        batch.ids.map((i) => i.rid),
      );
      const byId = new Map(found.map((f) => [String(f.id), f]));
      for (const entry of batch.ids) {
        after = entry.sk;
        const item = byId.get(entry.rid);
        if (!item) continue;
        const mine = storedWords(item);
        const firstWord = mine.filter((w) => w.startsWith(first)).sort()[0];
        if (entry.sk !== `${FIND_PREFIX}${firstWord}#${entry.rid}`) continue;
        if (!matchesSearch(mine, words) || !matchesFilter(item, filter)) continue;
        items.push(strip(item));
        if (items.length === limit) break;
      }
      const more = batch.more || batch.ids.at(-1)?.sk !== after;
      if (!more) return { items, scanned };
      if (items.length === limit || scanned >= budget)
        return {
          items,
          scanned,
          cursor: encodeCursor({ pk: keys.campaign(campaignId).pk, sk: after! }),
        };
    }
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
    for (const r of recipients) {
      // The erasure-index entries first (rewriting one is harmless): a failure in between
      // leaves an entry that points at nothing, never a recipient erasure cannot find.
      for (const Item of [
        ...(secret ? recipientIndexItems(secret, campaignId, r, expiresAt) : []),
        ...searchIndexItems(campaignId, r, expiresAt),
      ])
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
              find: findAttribute(r),
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
