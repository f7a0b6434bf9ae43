/**
 * CampaignStore on DynamoDB (the one table of table-definition.ts).
 * Every state change of a letter is a conditional write; every change that
 * counts is a transaction with its counter shard, so counters never drift
 * from the states they summarise.
 */
import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type Campaign,
  CAMPAIGN_HEAD_STATEMENT,
  type CampaignHead,
  type CampaignRecipient,
  type CampaignStatus,
  COUNTERS,
  type CounterName,
  type Counters,
  emptyCounters,
} from '../core/campaign.js';
import type { LetterTemplate } from '../core/letter.js';
import type { CampaignStore, ClaimResult, Page } from '../core/ports.js';
import type { Recipient } from '../core/recipients.js';
import { hashedSuppression } from '../core/governance/suppression.js';
import { UNSUBSCRIBED } from '../core/recipient-pages/choice.js';
import { readCampaign, readRecipient, readTemplate } from './dynamo-campaign-reader.js';
import { isConditionFailure, strip } from './dynamo-items.js';
import { recipientIndexItems } from './person-index.js';
import { searchIndex } from './recipient-search.js';
import { campaignExpiry } from './retention-env.js';
import { CAMPAIGN_HEAD_FIELDS, GSI1_PARTITION, keys, TABLE } from './table-definition.js';

export { dynamoClient, isConditionFailure, strip } from './dynamo-items.js';

export const encodeCursor = (key: Record<string, unknown> | undefined) =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
export const decodeCursor = (cursor: string | undefined) =>
  cursor
    ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>)
    : undefined;

/**
 * A letter may be claimed when it is pending, or held for office hours that
 * have opened by the claim's time (`:at`); a held letter's job that comes
 * early finds it not claimable and sends nothing.
 */
const CLAIMABLE = '#s = :pending OR (#s = :held AND holdUntil <= :at)';
const claimable = (item: Record<string, unknown>, at: string) =>
  item.state === 'pending' ||
  (item.state === 'held' && typeof item.holdUntil === 'string' && item.holdUntil <= at);

/** GSI1 keys of a letter settled failed or unknown (listed for staff to act on); none for other states. */
const stuckIndex = (campaignId: string, to: string, at: string, recipientId: string) =>
  to === 'failed' || to === 'unknown' ? keys.stuck(campaignId, to, at, recipientId) : undefined;

/** GSI1 partition of a campaign's claimed letters. */
const claimedKey = (campaignId: string) => `CLAIMED#${campaignId}`;

/** The projection of a campaign list: the head fields and the statement's small ones. */
const HEAD_PROJECTION = {
  ProjectionExpression: [
    ...CAMPAIGN_HEAD_FIELDS.map((_, i) => `#h${i}`),
    ...CAMPAIGN_HEAD_STATEMENT.map((_, i) => `#st.#s${i}`),
  ].join(', '),
  ExpressionAttributeNames: {
    ...Object.fromEntries(CAMPAIGN_HEAD_FIELDS.map((f, i) => [`#h${i}`, f])),
    '#st': 'statement',
    ...Object.fromEntries(CAMPAIGN_HEAD_STATEMENT.map((f, i) => [`#s${i}`, f])),
  },
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class DynamoCampaignStore implements CampaignStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    /** The deployment secret: an erased person's suppression entry is kept under a keyed hash of the address. */
    private readonly secret?: () => Promise<string>,
  ) {}

  private shard(): number {
    return Math.floor(Math.random() * TABLE.counterShards);
  }

  async createCampaign(campaign: Campaign, templates: LetterTemplate[]): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.table,
              Item: {
                ...keys.campaign(campaign.id),
                type: 'campaign',
                gsi1pk: GSI1_PARTITION.campaigns,
                gsi1sk: `${campaign.createdAt}#${campaign.id}`,
                ...campaign,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          ...templates.map((t) => ({
            Put: {
              TableName: this.table,
              Item: { ...keys.template(campaign.id, t.language), type: 'template', ...t },
            },
          })),
        ],
      }),
    );
  }

  async putRecipients(campaignId: string, recipients: Recipient[]): Promise<void> {
    // Each recipient with its erasure-index entries (person-index.ts), when the store has
    // the secret that keys them; batches of 25 items (DynamoDB's limit), four in flight.
    const secret = this.secret ? await this.secret() : undefined;
    // Personal data carries its expiry from the moment it is written (retention-env.ts).
    const expiresAt = await campaignExpiry(this.db, this.table, campaignId);
    const search = searchIndex(campaignId, recipients, expiresAt);
    const items = recipients.flatMap((r) => [
      {
        ...keys.recipient(campaignId, r.id),
        type: 'recipient',
        campaignId,
        ...r,
        ...search.fields(r.id),
        state: 'pending',
        ...(expiresAt ? { [TABLE.ttlAttribute]: expiresAt } : {}),
      },
      ...(secret ? recipientIndexItems(secret, campaignId, r, expiresAt) : []),
    ]);
    // The search pages first (recipient-search.ts): a failure in between leaves words that
    // name no item (the search skips them), never a recipient erasure would miss.
    for (let i = 0; i < search.pages.length; i += 25)
      await this.writeItems(search.pages.slice(i, i + 25));
    const chunks: Record<string, unknown>[][] = [];
    for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
    let next = 0;
    const worker = async () => {
      while (next < chunks.length) await this.writeItems(chunks[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(4, chunks.length) }, worker));
  }

  private async writeItems(chunk: Record<string, unknown>[]): Promise<void> {
    let requests = chunk.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      const out = await this.db.send(
        new BatchWriteCommand({ RequestItems: { [this.table]: requests } }),
      );
      requests = (out.UnprocessedItems?.[this.table] ?? []) as typeof requests;
      if (requests.length && attempt > 8)
        throw new Error(`DynamoDB kept ${requests.length} recipients unprocessed`);
      if (requests.length) await sleep(50 * 2 ** attempt);
    }
  }

  getCampaign(campaignId: string): Promise<Campaign | undefined> {
    return readCampaign(this.db, this.table, campaignId);
  }

  getTemplate(campaignId: string, language: string): Promise<LetterTemplate | undefined> {
    return readTemplate(this.db, this.table, campaignId, language);
  }

  /**
   * Campaigns newest first, every one of them unless `limit` says fewer: the
   * query pages to the end (DynamoDB stops each page at 1 MB of items read,
   * a handful of campaigns with long statements).
   */
  async listCampaigns(limit = Infinity): Promise<CampaignHead[]> {
    const out: CampaignHead[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.campaignsPage(cursor, Math.min(limit - out.length, 100));
      out.push(...page.items);
      cursor = page.cursor;
    } while (cursor && out.length < limit);
    return out;
  }

  /**
   * One page of campaigns, newest first, without their statements' bodies (CampaignHead).
   * A page may hold fewer than `limit` (DynamoDB's 1 MB per query counts the
   * whole items read); the cursor says whether more follow.
   */
  async campaignsPage(cursor?: string, limit = 100): Promise<Page<CampaignHead>> {
    const items: CampaignHead[] = [];
    let start = decodeCursor(cursor);
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: TABLE.gsi1.indexName,
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': GSI1_PARTITION.campaigns },
          ...HEAD_PROJECTION,
          ScanIndexForward: false,
          ExclusiveStartKey: start,
          Limit: limit - items.length,
        }),
      );
      items.push(...(out.Items ?? []).map((i) => strip<CampaignHead>(i)!));
      start = out.LastEvaluatedKey;
    } while (start && items.length < limit);
    const page: Page<CampaignHead> = { items };
    const next = encodeCursor(start);
    if (next) page.cursor = next;
    return page;
  }

  async recipientsPage(
    campaignId: string,
    cursor?: string,
    limit = 500,
  ): Promise<Page<CampaignRecipient>> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :r)',
        ExpressionAttributeValues: { ':p': keys.campaign(campaignId).pk, ':r': 'RCPT#' },
        ExclusiveStartKey: decodeCursor(cursor),
        Limit: limit,
      }),
    );
    const page: Page<CampaignRecipient> = {
      items: (out.Items ?? []).map((i) => strip<CampaignRecipient>(i)!),
    };
    const next = encodeCursor(out.LastEvaluatedKey);
    if (next) page.cursor = next;
    return page;
  }

  getRecipient(campaignId: string, recipientId: string): Promise<CampaignRecipient | undefined> {
    return readRecipient(this.db, this.table, campaignId, recipientId);
  }

  async transition(
    campaignId: string,
    from: CampaignStatus[],
    to: CampaignStatus,
    at: string,
    extra: Record<string, unknown> = {},
  ): Promise<boolean> {
    const names: Record<string, string> = { '#s': 'status', '#u': 'updatedAt' };
    const values: Record<string, unknown> = { ':to': to, ':at': at };
    const sets = ['#s = :to', '#u = :at'];
    Object.entries(extra).forEach(([k, v], i) => {
      names[`#e${i}`] = k;
      values[`:e${i}`] = v;
      sets.push(`#e${i} = :e${i}`);
    });
    from.forEach((f, i) => (values[`:f${i}`] = f));
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.campaign(campaignId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: `attribute_exists(pk) AND #s IN (${from.map((_, i) => `:f${i}`).join(', ')})`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  /**
   * The conditional update that claims one letter (pending, or held and due →
   * claimed), for claim and claimMany alike. The claim is indexed (GSI1
   * CLAIMED#campaign, by time) so the sweep finds stale ones cheaply.
   */
  private claimUpdate(campaignId: string, recipientId: string, claimId: string, at: string) {
    return {
      TableName: this.table,
      Key: keys.recipient(campaignId, recipientId),
      UpdateExpression:
        'SET #s = :claimed, claimId = :c, claimedAt = :at, gsi1pk = :g, gsi1sk = :at REMOVE holdUntil',
      ConditionExpression: CLAIMABLE,
      ExpressionAttributeNames: { '#s': 'state' },
      ExpressionAttributeValues: {
        ':claimed': 'claimed',
        ':pending': 'pending',
        ':held': 'held',
        ':c': claimId,
        ':at': at,
        ':g': claimedKey(campaignId),
      },
    };
  }

  async claim(
    campaignId: string,
    recipientId: string,
    claimId: string,
    at: string,
  ): Promise<ClaimResult> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          ...this.claimUpdate(campaignId, recipientId, claimId, at),
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { outcome: 'claimed', recipient: strip<CampaignRecipient>(out.Attributes)! };
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        const old = strip<CampaignRecipient>(err.Item as Record<string, unknown> | undefined);
        return old ? { outcome: 'not-pending', recipient: old } : { outcome: 'missing' };
      }
      throw err;
    }
  }

  async release(campaignId: string, recipientId: string, claimId: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.recipient(campaignId, recipientId),
          UpdateExpression: 'SET #s = :pending REMOVE claimId, claimedAt, gsi1pk, gsi1sk',
          ConditionExpression: '#s = :claimed AND claimId = :c',
          ExpressionAttributeNames: { '#s': 'state' },
          ExpressionAttributeValues: {
            ':claimed': 'claimed',
            ':pending': 'pending',
            ':c': claimId,
          },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  async recordSent(
    campaignId: string,
    recipientId: string,
    claimId: string,
    messageId: string,
    at: string,
  ): Promise<boolean> {
    try {
      await this.writeSent(campaignId, recipientId, claimId, messageId, at);
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  private async writeSent(
    campaignId: string,
    recipientId: string,
    claimId: string,
    messageId: string,
    at: string,
  ): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: this.table,
              Key: keys.recipient(campaignId, recipientId),
              UpdateExpression:
                'SET #s = :sent, messageId = :m, sentAt = :at, gsi1pk = :g, gsi1sk = :gs',
              ConditionExpression: '#s = :claimed AND claimId = :c',
              ExpressionAttributeNames: { '#s': 'state' },
              ExpressionAttributeValues: {
                ':sent': 'sent',
                ':claimed': 'claimed',
                ':c': claimId,
                ':m': messageId,
                ':at': at,
                ':g': `MSG#${messageId}`,
                ':gs': 'MSG',
              },
            },
          },
          this.counterUpdate(campaignId, 'sent', 1),
        ],
      }),
    );
  }

  async settle(
    campaignId: string,
    recipientId: string,
    from: CampaignRecipient['state'][],
    to: 'failed' | 'expired' | 'suppressed' | 'unknown',
    at: string,
    reason?: string,
  ): Promise<boolean> {
    const values: Record<string, unknown> = { ':to': to, ':at': at };
    from.forEach((f, i) => (values[`:f${i}`] = f));
    if (reason) values[':r'] = reason;
    // Failed and unknown letters are indexed for the staff to list and act on (core/stuck.ts).
    const index = stuckIndex(campaignId, to, at, recipientId);
    if (index) Object.assign(values, { ':g': index.gsi1pk, ':gs': index.gsi1sk });
    return this.moveLetter(
      campaignId,
      recipientId,
      `SET #s = :to, settledAt = :at${reason ? ', failure = :r' : ''}${index ? ', gsi1pk = :g, gsi1sk = :gs' : ' REMOVE gsi1pk, gsi1sk'}`,
      `#s IN (${from.map((_, i) => `:f${i}`).join(', ')})`,
      values,
      { [to]: 1 },
    );
  }

  /**
   * One conditional change of a letter (its state in `#s`) in one transaction
   * with its counter moves; false when the condition did not hold (someone
   * else moved the letter first).
   */
  async moveLetter(
    campaignId: string,
    recipientId: string,
    update: string,
    condition: string,
    values: Record<string, unknown>,
    counters: Partial<Record<CounterName, number>>,
  ): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: keys.recipient(campaignId, recipientId),
                UpdateExpression: update,
                ConditionExpression: condition,
                ExpressionAttributeNames: { '#s': 'state' },
                ExpressionAttributeValues: values,
              },
            },
            this.countersUpdate(campaignId, counters),
          ],
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  /**
   * Records a letter found sent by an SES event (Send/Delivery) although its
   * sender never recorded it: claimed → sent, or unknown → sent (moving the
   * count from unknown to sent). Conditional, so it happens once whatever
   * number of events arrive.
   */
  async reconcileSent(
    campaignId: string,
    recipientId: string,
    messageId: string,
    at: string,
  ): Promise<'reconciled' | 'not-open'> {
    for (const from of ['claimed', 'unknown'] as const) {
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.table,
                  Key: keys.recipient(campaignId, recipientId),
                  UpdateExpression:
                    'SET #s = :sent, messageId = :m, sentAt = :at, reconciledAt = :at, gsi1pk = :g, gsi1sk = :gs',
                  ConditionExpression: '#s = :from',
                  ExpressionAttributeNames: { '#s': 'state' },
                  ExpressionAttributeValues: {
                    ':sent': 'sent',
                    ':from': from,
                    ':m': messageId,
                    ':at': at,
                    ':g': `MSG#${messageId}`,
                    ':gs': 'MSG',
                  },
                },
              },
              this.countersUpdate(
                campaignId,
                from === 'unknown' ? { sent: 1, unknown: -1 } : { sent: 1 },
              ),
            ],
          }),
        );
        return 'reconciled';
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
      }
    }
    return 'not-open';
  }

  /** Letters claimed before `before` and still claimed (GSI1, eventually consistent). */
  async staleClaims(campaignId: string, before: string, limit = 100): Promise<CampaignRecipient[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: TABLE.gsi1.indexName,
        KeyConditionExpression: 'gsi1pk = :p AND gsi1sk < :b',
        ExpressionAttributeValues: { ':p': claimedKey(campaignId), ':b': before },
        Limit: limit,
      }),
    );
    const claimed = (out.Items ?? []).filter((i) => i.state === 'claimed');
    // GSI1 carries a letter's keys and state only (table-definition.ts): the letters themselves.
    return (await this.recipientItems(claimed))
      .map((i) => strip<CampaignRecipient>(i)!)
      .filter((r) => r.state === 'claimed');
  }

  /**
   * The table's items of these index entries (their pk and sk), strongly
   * consistent, in the entries' order; an item gone meanwhile is left out.
   */
  async recipientItems(entries: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
    if (entries.length === 0) return [];
    const key = (i: Record<string, unknown>) => `${String(i.pk)}\n${String(i.sk)}`;
    const found = await this.batchGet(
      entries.map((i) => ({ pk: String(i.pk), sk: String(i.sk) })),
      true,
    );
    const byKey = new Map(found.map((i) => [key(i), i]));
    return entries.flatMap((i) => {
      const item = byKey.get(key(i));
      return item ? [item] : [];
    });
  }

  private counterUpdate(campaignId: string, counter: CounterName, n: number) {
    return this.countersUpdate(campaignId, { [counter]: n });
  }

  /** Several counters moved on one shard in one update (a transaction may touch an item once). */
  private countersUpdate(campaignId: string, deltas: Partial<Record<CounterName, number>>) {
    const entries = Object.entries(deltas);
    return {
      Update: {
        TableName: this.table,
        Key: keys.counter(campaignId, this.shard()),
        UpdateExpression: `ADD ${entries.map((_, i) => `#c${i} :n${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([c], i) => [`#c${i}`, c])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([, n], i) => [`:n${i}`, n])),
      },
    };
  }

  async addToCounter(campaignId: string, counter: CounterName, n: number): Promise<void> {
    await this.db.send(new UpdateCommand(this.counterUpdate(campaignId, counter, n).Update));
  }

  async counters(campaignId: string): Promise<Counters> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :c)',
        ExpressionAttributeValues: { ':p': keys.campaign(campaignId).pk, ':c': 'COUNTER#' },
        ConsistentRead: true,
      }),
    );
    const total = emptyCounters();
    for (const item of out.Items ?? []) {
      for (const c of COUNTERS) total[c] += Number(item[c] ?? 0);
    }
    return total;
  }

  /**
   * Claims several pending letters of one campaign in one transaction (the
   * sender's fast path for an SQS batch). All or nothing: when any letter is
   * no longer pending the transaction is refused and undefined is returned, so
   * the caller claims one by one and learns which. Recipients are read first
   * (a transaction returns no items); only pending ones are claimed.
   */
  async claimMany(
    campaignId: string,
    claims: { recipientId: string; claimId: string }[],
    at: string,
  ): Promise<ClaimResult[] | undefined> {
    const items = await this.batchGet(
      claims.map((c) => keys.recipient(campaignId, c.recipientId)),
      true,
    );
    const byId = new Map(items.map((i) => [String(i.sk).slice('RCPT#'.length), i]));
    const results: ClaimResult[] = [];
    const updates: { Update: Record<string, unknown> }[] = [];
    for (const c of claims) {
      const item = byId.get(c.recipientId);
      if (!item) results.push({ outcome: 'missing' });
      else if (!claimable(item, at))
        results.push({ outcome: 'not-pending', recipient: strip<CampaignRecipient>(item)! });
      else {
        results.push({
          outcome: 'claimed',
          recipient: {
            ...strip<CampaignRecipient>(item)!,
            state: 'claimed',
            claimId: c.claimId,
            claimedAt: at,
          },
        });
        updates.push({ Update: this.claimUpdate(campaignId, c.recipientId, c.claimId, at) });
      }
    }
    if (updates.length === 0) return results;
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: updates as never }));
      return results;
    } catch (err) {
      if (isConditionFailure(err) || err instanceof TransactionCanceledException) return undefined;
      throw err;
    }
  }

  /**
   * Records several sent letters and counts them in one transaction. All or
   * nothing; false when any claim changed meanwhile (the caller then records
   * one by one, which settles each letter exactly once).
   */
  async recordSentMany(
    campaignId: string,
    sent: { recipientId: string; claimId: string; messageId: string; at: string }[],
  ): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            ...sent.map((x) => ({
              Update: {
                TableName: this.table,
                Key: keys.recipient(campaignId, x.recipientId),
                UpdateExpression:
                  'SET #s = :sent, messageId = :m, sentAt = :at, gsi1pk = :g, gsi1sk = :gs',
                ConditionExpression: '#s = :claimed AND claimId = :c',
                ExpressionAttributeNames: { '#s': 'state' },
                ExpressionAttributeValues: {
                  ':sent': 'sent',
                  ':claimed': 'claimed',
                  ':c': x.claimId,
                  ':m': x.messageId,
                  ':at': x.at,
                  ':g': `MSG#${x.messageId}`,
                  ':gs': 'MSG',
                },
              },
            })),
            this.countersUpdate(campaignId, { sent: sent.length }),
          ],
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err) || err instanceof TransactionCanceledException) return false;
      throw err;
    }
  }

  /**
   * Which of these addresses are on the suppression list: one batch read for a whole SQS
   * batch, of the plain entries and of those kept as a keyed hash (an erased person's),
   * and for a follow-up of the recipients' stops of that campaign's follow-ups. An entry
   * the recipient lifted (undid their own unsubscribe) stops nothing.
   */
  async suppressedAmong(emails: string[], followUpsOf?: string): Promise<Set<string>> {
    const unique = [...new Set(emails)];
    const byKey = new Map<string, { key: Record<string, string>; email: string }>();
    const add = (key: { pk: string; sk: string }, email: string) =>
      byKey.set(`${key.pk}\n${key.sk}`, { key, email });
    for (const e of unique) {
      add(keys.suppression(e), e);
      if (followUpsOf) add(keys.followUpsStop(e, followUpsOf), e);
    }
    const secret = this.secret ? await this.secret() : undefined;
    if (secret) for (const e of unique) add(keys.suppression(hashedSuppression(secret, e)), e);
    // Strongly consistent: an unsubscribe or bounce recorded a moment ago must stop this letter.
    const items = await this.batchGet(
      [...byKey.values()].map((v) => v.key),
      true,
      'pk, sk, liftedAt',
    );
    return new Set(
      items
        .filter((i) => i.liftedAt === undefined)
        .map((i) => byKey.get(`${String(i.pk)}\n${String(i.sk)}`)!.email),
    );
  }

  /** BatchGetItem in chunks of 100, retrying unprocessed keys. */
  private async batchGet(
    keyList: Record<string, string>[],
    consistent: boolean,
    projection?: string,
  ): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    for (let i = 0; i < keyList.length; i += 100) {
      let pending: Record<string, unknown>[] | undefined = keyList.slice(i, i + 100);
      for (let attempt = 0; pending && pending.length > 0; attempt++) {
        const out: BatchGetCommandOutput = await this.db.send(
          new BatchGetCommand({
            RequestItems: {
              [this.table]: {
                Keys: pending,
                ConsistentRead: consistent,
                ...(projection ? { ProjectionExpression: projection } : {}),
              },
            },
          }),
        );
        found.push(...(out.Responses?.[this.table] ?? []));
        pending = out.UnprocessedKeys?.[this.table]?.Keys as Record<string, unknown>[] | undefined;
        if (pending?.length && attempt > 8)
          throw new Error(`DynamoDB kept ${pending.length} keys unprocessed`);
        if (pending?.length) await sleep(50 * 2 ** attempt);
      }
    }
    return found;
  }

  async isSuppressed(email: string): Promise<boolean> {
    return (await this.suppressedAmong([email])).size > 0;
  }

  /**
   * Adds an address to the suppression list (hard bounce, complaint, unsubscribe). An
   * unsubscribe never replaces an entry of another reason: the recipient may undo their
   * own unsubscribe, and must not thereby lift a bounce's or a complaint's.
   */
  async suppress(email: string, reason: string, at: string): Promise<void> {
    const soft = reason === UNSUBSCRIBED;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.suppression(email), type: 'suppression', email, reason, at },
          ...(soft
            ? {
                ConditionExpression:
                  'attribute_not_exists(pk) OR reason = :r OR attribute_exists(liftedAt)',
                ExpressionAttributeValues: { ':r': reason },
              }
            : {}),
        }),
      );
    } catch (err) {
      if (!soft || !isConditionFailure(err)) throw err;
    }
  }
}
