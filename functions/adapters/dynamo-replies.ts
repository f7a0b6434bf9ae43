/**
 * ReplyStore on the one DynamoDB table. A reply, the "already received"
 * marker of its message and its timeline entry are written in one
 * transaction, conditional on the marker being new, so a redelivered message
 * writes nothing. The recipient's `replied` mark and the campaign counter
 * move together in another transaction, conditional on the mark being
 * absent, so a person is counted once however many replies they send.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { CounterName } from '../core/campaign.js';
import type { Page } from '../core/ports.js';
import type { RecipientRef, ReplyQuery, ReplyStore } from '../core/replies/ports.js';
import type { Reply } from '../core/replies/types.js';
import { DynamoRecipientLookup } from './dynamo-reply-lookup.js';
import { keys, TABLE } from './table-definition.js';

const REPLY_FIELDS_HIDDEN = new Set(['pk', 'sk', 'type', 'gsi1pk', 'gsi1sk']);

function toReply(item: Record<string, unknown> | undefined): Reply | undefined {
  if (!item) return undefined;
  return Object.fromEntries(
    Object.entries(item).filter(([k]) => !REPLY_FIELDS_HIDDEN.has(k)),
  ) as unknown as Reply;
}

const encodeCursor = (key: Record<string, unknown> | undefined) =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;

function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (key && typeof key === 'object' && 'pk' in key && 'sk' in key)
      return key as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new Error('invalid replies cursor');
}

function conditionFailedAt(err: unknown, index: number): boolean {
  return (
    err instanceof TransactionCanceledException &&
    err.CancellationReasons?.[index]?.Code === 'ConditionalCheckFailed'
  );
}

const isConditionFailure = (err: unknown) =>
  (err as { name?: string }).name === 'ConditionalCheckFailedException' ||
  (err instanceof TransactionCanceledException &&
    (err.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed'));

export class DynamoReplyStore implements ReplyStore {
  private readonly lookup: DynamoRecipientLookup;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    this.lookup = new DynamoRecipientLookup(db, table);
  }

  private counterUpdate(campaignId: string, counter: CounterName) {
    return {
      Update: {
        TableName: this.table,
        Key: keys.counter(campaignId, Math.floor(Math.random() * TABLE.counterShards)),
        UpdateExpression: 'ADD #c :one',
        ExpressionAttributeNames: { '#c': counter },
        ExpressionAttributeValues: { ':one': 1 },
      },
    };
  }

  async recordReply(
    reply: Reply,
    dedupeKey: string,
  ): Promise<{ created: true } | { created: false; campaignId?: string; replyId: string }> {
    const marker = keys.inbound(dedupeKey);
    const entryId = `reply-${reply.id}`;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...marker,
                  type: 'inbound',
                  replyId: reply.id,
                  ...(reply.campaignId ? { campaignId: reply.campaignId } : {}),
                  at: reply.receivedAt,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: { ...keys.reply(reply.campaignId, reply.id), type: 'reply', ...reply },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...(reply.campaignId && reply.recipientId
              ? [
                  {
                    Put: {
                      TableName: this.table,
                      // The recipient's timeline (shared with the events side: EVENT#<rid>#<at>#<id>).
                      Item: {
                        ...keys.event(
                          reply.campaignId,
                          reply.recipientId,
                          reply.receivedAt,
                          entryId,
                        ),
                        type: 'event',
                        event: reply.kind === 'bounce' ? 'bounce' : 'reply',
                        recipientId: reply.recipientId,
                        id: entryId,
                        at: reply.receivedAt,
                        source: 'inbound',
                        replyId: reply.id,
                        replyKind: reply.kind,
                        reason: `${reply.kind}, matched by ${reply.match.by} (${reply.match.strength})`,
                        ...(reply.kind === 'bounce'
                          ? { bounceType: reply.bounce?.permanent === false ? 'soft' : 'hard' }
                          : {}),
                      },
                    },
                  },
                ]
              : []),
          ],
        }),
      );
      return { created: true };
    } catch (err) {
      if (!conditionFailedAt(err, 0) && !conditionFailedAt(err, 1)) throw err;
      const out = await this.db.send(
        new GetCommand({ TableName: this.table, Key: marker, ConsistentRead: true }),
      );
      const item = out.Item as { replyId?: string; campaignId?: string } | undefined;
      return {
        created: false,
        replyId: item?.replyId ?? reply.id,
        ...(item?.campaignId ? { campaignId: item.campaignId } : {}),
      };
    }
  }

  async markReplied(ref: RecipientRef, reply: Pick<Reply, 'id' | 'receivedAt'>): Promise<boolean> {
    const key = keys.recipient(ref.campaignId, ref.recipientId);
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: key,
                UpdateExpression: 'SET repliedAt = :at, firstReplyId = :id',
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(repliedAt)',
                ExpressionAttributeValues: { ':at': reply.receivedAt, ':id': reply.id },
              },
            },
            this.counterUpdate(ref.campaignId, 'replied'),
          ],
        }),
      );
      await this.noteReply(ref, { ...reply, kind: 'human' });
      return true;
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      await this.noteReply(ref, { ...reply, kind: 'human' });
      return false;
    }
  }

  async noteReply(
    ref: RecipientRef,
    reply: Pick<Reply, 'id' | 'receivedAt' | 'kind'>,
  ): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.recipient(ref.campaignId, ref.recipientId),
          UpdateExpression: 'SET lastReplyAt = :at, lastReplyId = :id, lastReplyKind = :k',
          // Only ever moves forward, so a late redelivery does not hide a newer reply.
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(lastReplyAt) OR lastReplyAt <= :at)',
          ExpressionAttributeValues: { ':at': reply.receivedAt, ':id': reply.id, ':k': reply.kind },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  async markBounced(
    ref: RecipientRef,
    reply: Pick<Reply, 'id' | 'receivedAt'>,
    permanent: boolean,
  ): Promise<boolean> {
    let email: string | undefined;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: keys.recipient(ref.campaignId, ref.recipientId),
                UpdateExpression: 'SET dsnBouncedAt = :at, dsnReplyId = :id, dsnPermanent = :p',
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(dsnBouncedAt)',
                ExpressionAttributeValues: {
                  ':at': reply.receivedAt,
                  ':id': reply.id,
                  ':p': permanent,
                },
              },
            },
            this.counterUpdate(ref.campaignId, permanent ? 'bouncedHard' : 'bouncedSoft'),
          ],
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      return false;
    }
    if (permanent) {
      const out = await this.db.send(
        new GetCommand({
          TableName: this.table,
          Key: keys.recipient(ref.campaignId, ref.recipientId),
          ProjectionExpression: 'email',
        }),
      );
      email = out.Item?.email as string | undefined;
      if (email)
        await this.db.send(
          new PutCommand({
            TableName: this.table,
            Item: {
              ...keys.suppression(email),
              type: 'suppression',
              email,
              reason: `hard bounce (delivery-status report to the reply address, reply ${reply.id})`,
              at: reply.receivedAt,
            },
          }),
        );
    }
    return true;
  }

  recipientByMessageId(messageId: string): Promise<RecipientRef | undefined> {
    return this.lookup.recipientByMessageId(messageId);
  }

  recipientByAddress(email: string, campaigns?: number): Promise<RecipientRef | undefined> {
    return this.lookup.recipientByAddress(email, campaigns);
  }

  async listReplies(campaignId: string | undefined, query: ReplyQuery = {}): Promise<Page<Reply>> {
    const filters: string[] = [];
    const values: Record<string, unknown> = {
      ':p': keys.reply(campaignId, 'x').pk,
      ':r': 'REPLY#',
    };
    const names: Record<string, string> = {};
    if (query.recipientId) {
      filters.push('recipientId = :rid');
      values[':rid'] = query.recipientId;
    }
    if (query.kind) {
      filters.push('#k = :k');
      names['#k'] = 'kind';
      values[':k'] = query.kind;
    }
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :r)',
        ExpressionAttributeValues: values,
        ...(filters.length
          ? {
              FilterExpression: filters.join(' AND '),
              ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
            }
          : {}),
        ScanIndexForward: false,
        ExclusiveStartKey: decodeCursor(query.cursor),
        Limit: Math.min(Math.max(query.limit ?? 50, 1), 500),
      }),
    );
    const page: Page<Reply> = { items: (out.Items ?? []).map((i) => toReply(i)!) };
    const next = encodeCursor(out.LastEvaluatedKey);
    if (next) page.cursor = next;
    return page;
  }

  async getReply(campaignId: string | undefined, replyId: string): Promise<Reply | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.reply(campaignId, replyId) }),
    );
    return toReply(out.Item);
  }

  async markForwarded(campaignId: string, replyId: string, at: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.reply(campaignId, replyId),
        UpdateExpression: 'SET forwardedAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  }
}
