/**
 * Erasure in the one table. Per campaign: the recipient item
 * (RCPT#<rid>, with its send record and its GSI1 message mapping) is replaced
 * by an anonymous stub (ERASED#<random>: group, country, letter state), its
 * timeline (EVENT#<rid>#…) and its replies (REPLY#… of that recipient or from
 * that address) are deleted, the replies' raw messages first. Counter items
 * are not touched. A suppression entry for the address is kept under a keyed
 * hash of it (SUPPRESSION#hmac:…), never the address.
 */
import { randomBytes } from 'node:crypto';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { PrivacyStore, RawEraser } from '../core/governance/privacy.js';
import type { RetentionStore } from '../core/governance/retention.js';
import type { Config } from './config.js';
import { dynamoClient, isConditionFailure } from './dynamo-store.js';
import { signonKeys } from './dynamo-signon.js';
import { dropFromPages } from './recipient-search.js';
import { keys, TABLE } from './table-definition.js';

type Item = Record<string, unknown>;

export class DynamoPrivacyStore implements PrivacyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Every item of partition `pk` whose sort key begins with `prefix` (the whole partition when empty). */
  private async query(pk: string, prefix: string): Promise<Item[]> {
    const out: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          // DynamoDB refuses an empty string in a key condition: no prefix, no sort-key condition.
          KeyConditionExpression: prefix ? 'pk = :p AND begins_with(sk, :s)' : 'pk = :p',
          ExpressionAttributeValues: prefix ? { ':p': pk, ':s': prefix } : { ':p': pk },
          ExclusiveStartKey: start,
          ConsistentRead: true,
        }),
      );
      out.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  private async deleteAll(items: Item[]): Promise<number> {
    for (let i = 0; i < items.length; i += 25) {
      await this.writeBatch(
        items.slice(i, i + 25).map((it) => ({ DeleteRequest: { Key: { pk: it.pk, sk: it.sk } } })),
      );
    }
    return items.length;
  }

  /** One BatchWriteItem of up to 25 requests; unprocessed ones are retried until none are left. */
  private async writeBatch(first: Item[]): Promise<void> {
    let requests: Item[] | undefined = first;
    for (let attempt = 0; requests?.length; attempt++) {
      const out = await this.db.send(
        new BatchWriteCommand({ RequestItems: { [this.table]: requests as never } }),
      );
      requests = out.UnprocessedItems?.[this.table] as Item[] | undefined;
      if (requests?.length) await new Promise((r) => setTimeout(r, 50 * 2 ** Math.min(attempt, 6)));
    }
  }

  /** A reply is this person's when matched to them or sent from (or naming) their address. */
  private isTheirs(item: Item, rid: string, email: string): boolean {
    return item.recipientId === rid || JSON.stringify(item).toLowerCase().includes(email);
  }

  /** The raw message keys of replies, for the raw store (S3 objects; files locally). */
  private rawKeys(replies: Item[]): string[] {
    return replies.flatMap((r) => {
      const key = (r.raw as { key?: unknown } | undefined)?.key;
      return typeof key === 'string' && key ? [key] : [];
    });
  }

  async eraseRecipient(
    campaignId: string,
    rid: string,
    email: string,
    at: string,
    eraseRaw: RawEraser,
  ) {
    const pk = keys.campaign(campaignId).pk;
    const r = await this.readRecipient(campaignId, rid);
    let recipient = false;
    if (r) {
      const stub: Item = {
        pk,
        sk: `ERASED#${randomBytes(8).toString('hex')}`,
        type: 'erased-recipient',
        erasedAt: at,
        group: r.group,
        ...(r.country ? { country: r.country } : {}),
        ...(r.language ? { language: r.language } : {}),
        state: r.state,
        ...(r.deliveryState ? { deliveryState: r.deliveryState } : {}),
      };
      // The stub and the removal in one BatchWriteItem (the API role may batch-write but has
      // no DeleteItem: infra/access.ts); unprocessed requests are retried (writeBatch).
      await this.writeBatch([
        { PutRequest: { Item: stub } },
        { DeleteRequest: { Key: keys.recipient(campaignId, rid) } },
      ]);
      recipient = true;
    }
    // The search pages (recipient-search.ts) hold words of the name and address; also when
    // the item was gone already (a retried erasure finishes what the first one began).
    await dropFromPages(this.db, this.table, campaignId, rid);
    const timeline = await this.deleteAll(await this.query(pk, `EVENT#${rid}#`));
    const theirs = (await this.query(pk, 'REPLY#')).filter((i) => this.isTheirs(i, rid, email));
    // Raw messages before the replies that name them: a failure leaves the reply to retry from.
    const raw = this.rawKeys(theirs);
    await eraseRaw(raw);
    const replies = await this.deleteAll(theirs);
    return { recipient, timeline, replies, rawMessages: raw.length };
  }

  /** A recipient item as stored (strongly consistent), or undefined. */
  private async readRecipient(campaignId: string, recipientId: string): Promise<Item | undefined> {
    const found = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.recipient(campaignId, recipientId),
        ConsistentRead: true,
      }),
    );
    return found.Item;
  }

  async eraseSignatoryContact(
    campaignId: string,
    signatoryId: string,
    at: string,
  ): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: signonKeys.signatory(campaignId, signatoryId),
          UpdateExpression: 'SET contactName = :gone, contactEmail = :none, contactErasedAt = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':gone': '(erased)', ':none': '', ':at': at },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async eraseFallback(campaignId: string, recipientId: string, email: string): Promise<boolean> {
    const r = await this.readRecipient(campaignId, recipientId);
    if (!r || !Array.isArray(r.fallbackEmails)) return true;
    const gone = '(erased)';
    const swap = (v: unknown) => (v === email ? gone : v);
    const history = Array.isArray(r.fallbackHistory)
      ? (r.fallbackHistory as Item[]).map((m) => ({
          ...m,
          email: swap(m.email),
          to: swap(m.to),
          ...(Array.isArray(m.skipped) ? { skipped: m.skipped.map(swap) } : {}),
        }))
      : undefined;
    const values: Item = {
      ':fb': (r.fallbackEmails as string[]).filter((e) => e !== email),
      ':old': r.fallbackEmails,
      ':email': swap(r.email),
      ':oldEmail': r.email,
    };
    if (history) values[':h'] = history;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.recipient(campaignId, recipientId),
          UpdateExpression: `SET fallbackEmails = :fb, email = :email${history ? ', fallbackHistory = :h' : ''}`,
          ConditionExpression: 'fallbackEmails = :old AND email = :oldEmail',
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  async eraseReply(campaignId: string | undefined, replyId: string, eraseRaw: RawEraser) {
    const found = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.reply(campaignId, replyId),
        ConsistentRead: true,
      }),
    );
    if (!found.Item) return { replies: 0, rawMessages: 0 };
    const raw = this.rawKeys([found.Item]);
    await eraseRaw(raw);
    await this.deleteAll([found.Item]);
    return { replies: 1, rawMessages: raw.length };
  }

  async dropAddressEntries(email: string): Promise<number> {
    // The partition is named by the address: its follow-ups stops and lifted unsubscribes
    // (and the plain entry, when no hashed one replaced it) all go.
    return this.deleteAll(await this.query(keys.suppression(email).pk, ''));
  }

  async suppressHashed(email: string, hashedKey: string, reason: string, at: string) {
    const plain = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.suppression(email), ConsistentRead: true }),
    );
    const kept = plain.Item;
    // One BatchWriteItem: the hashed entry and the plain one's removal (no DeleteItem needed).
    await this.writeBatch([
      {
        PutRequest: {
          Item: {
            ...keys.suppression(hashedKey),
            type: 'suppression',
            hashed: true,
            reason: typeof kept?.reason === 'string' ? kept.reason : reason,
            at: typeof kept?.at === 'string' ? kept.at : at,
            ...(kept ? { erasedAt: at } : {}),
          },
        },
      },
      ...(kept ? [{ DeleteRequest: { Key: keys.suppression(email) } }] : []),
    ]);
  }
}

/** The privacy store for a configuration (the same table and endpoint as the other adapters). */
export function privacyStoreFor(config: Config): DynamoPrivacyStore {
  return new DynamoPrivacyStore(
    dynamoClient({ region: config.region, endpoint: config.dynamoEndpoint }),
    config.table,
  );
}

/** `expiresAt` (TABLE.ttlAttribute) on a finished campaign's personal items; a RETENTION marker when done. */
export class DynamoRetentionStore implements RetentionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async retentionApplied(campaignId: string): Promise<boolean> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: keys.campaign(campaignId).pk, sk: 'RETENTION' },
      }),
    );
    return Boolean(out.Item);
  }

  async applyExpiry(campaignId: string, expiresAt: number, at: string): Promise<number> {
    const pk = keys.campaign(campaignId).pk;
    let touched = 0;
    for (const prefix of PERSONAL_PREFIXES) {
      let start: Item | undefined;
      do {
        const page = await this.db.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
            ExpressionAttributeValues: { ':p': pk, ':s': prefix },
            ProjectionExpression: 'pk, sk',
            ExclusiveStartKey: start,
          }),
        );
        const items = page.Items ?? [];
        for (let i = 0; i < items.length; i += 16) {
          await Promise.all(
            items.slice(i, i + 16).map((it) =>
              this.db.send(
                new UpdateCommand({
                  TableName: this.table,
                  Key: { pk: it.pk, sk: it.sk },
                  UpdateExpression: 'SET #ttl = :t',
                  ConditionExpression: 'attribute_exists(pk)',
                  ExpressionAttributeNames: { '#ttl': TABLE.ttlAttribute },
                  ExpressionAttributeValues: { ':t': expiresAt },
                }),
              ),
            ),
          );
        }
        touched += items.length;
        start = page.LastEvaluatedKey;
      } while (start);
    }
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk,
          sk: 'RETENTION',
          type: 'retention',
          expiresAtSeconds: expiresAt,
          at,
          items: touched,
        },
      }),
    );
    return touched;
  }
}

/** Items that hold personal data: recipients (with send records), timelines, replies, search words. */
const PERSONAL_PREFIXES = ['RCPT#', 'EVENT#', 'REPLY#', 'FIND#'];

const retentionStores = new Map<string, DynamoRetentionStore>();

/**
 * One retention store per table and endpoint for the process: the scheduler
 * ticks every second locally, and a new DynamoDB client per tick would pile
 * up clients (and their sockets) for as long as the runtime runs: measured,
 * a 10,000-letter dry run beside the ticking runtime took 90 s and its heap
 * grew by 130 MB; with one store, 6 s and flat.
 */
export function retentionStoreFor(config: Config): DynamoRetentionStore {
  const key = `${config.region}|${config.dynamoEndpoint ?? ''}|${config.table}`;
  let store = retentionStores.get(key);
  if (!store) {
    store = new DynamoRetentionStore(
      dynamoClient({ region: config.region, endpoint: config.dynamoEndpoint }),
      config.table,
    );
    retentionStores.set(key, store);
  }
  return store;
}

export { retentionDaysFromEnv } from './retention-env.js';
