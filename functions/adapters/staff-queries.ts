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
import { ENGAGEMENT_ATTRIBUTES } from '../core/engagement.js';
import { CampaignStateError } from '../core/errors.js';
import type { Recipient } from '../core/recipients.js';
import { recipientIndexItems } from './person-index.js';
import { campaignExpiry } from './retention-env.js';
import { keys, TABLE } from './table-definition.js';

export interface RecipientFilter {
  group?: string;
  country?: string;
  state?: string;
  /** The delivery state the events handler keeps (delivered, bouncedHard, complained …). */
  delivery?: string;
  opened?: boolean;
  replied?: boolean;
}

export interface FilteredPage {
  items: CampaignRecipient[];
  cursor?: string;
  /** Items read to fill this page (filters can read more than they return). */
  scanned: number;
}

const strip = (item: Record<string, unknown>): CampaignRecipient => {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, type: _t, ...rest } = item;
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
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {
      ':p': keys.campaign(campaignId).pk,
      ':r': 'RCPT#',
    };
    const conds: string[] = [];
    const attribute = {
      group: 'group',
      country: 'country',
      state: 'state',
      delivery: 'deliveryState',
    };
    for (const f of ['group', 'country', 'state', 'delivery'] as const) {
      if (filter[f] === undefined) continue;
      names[`#${f}`] = attribute[f];
      values[`:${f}`] = filter[f];
      conds.push(`#${f} = :${f}`);
    }
    for (const f of ['opened', 'replied'] as const) {
      if (filter[f] === undefined) continue;
      const attrs = ENGAGEMENT_ATTRIBUTES[f];
      attrs.forEach((a, i) => (names[`#${f}${i}`] = a));
      const any = attrs.map((_, i) => `attribute_exists(#${f}${i})`).join(' OR ');
      conds.push(filter[f] ? `(${any})` : `NOT (${any})`);
    }
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
