/**
 * ReplyStore on the one DynamoDB table. A reply, the "already received"
 * marker of its message and (when core says it goes there) its timeline
 * entry are written in one transaction, conditional on the marker being new,
 * so a redelivered message writes nothing. What replies write on recipients
 * is in dynamo-reply-marks.ts; nothing here counts a bounce or suppresses
 * an address.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Page } from '../core/ports.js';
import type { RecipientRef, ReplyMark, ReplyQuery, ReplyStore } from '../core/replies/ports.js';
import type { Reply } from '../core/replies/types.js';
import { DynamoRecipientLookup } from './dynamo-reply-lookup.js';
import {
  conditionFailedAt,
  DynamoReplyMarks,
  isConditionFailure,
  replyEntryId,
} from './dynamo-reply-marks.js';
import { replyIndexItem } from './person-index.js';
import { campaignExpiry, unmatchedExpiry } from './retention-env.js';
import { keys, TABLE } from './table-definition.js';

const REPLY_FIELDS_HIDDEN = new Set(['pk', 'sk', 'type', 'gsi1pk', 'gsi1sk', 'expiresAt']);

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

export class DynamoReplyStore implements ReplyStore {
  private readonly lookup: DynamoRecipientLookup;
  private readonly marks: DynamoReplyMarks;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    /** Keys the erasure-index entry of each reply's sender (person-index.ts). */
    private readonly secret?: () => Promise<string>,
  ) {
    this.lookup = new DynamoRecipientLookup(db, table);
    this.marks = new DynamoReplyMarks(db, table);
  }

  async recordReply(
    reply: Reply,
    dedupeKey: string,
    opts: { timeline?: string } = {},
  ): Promise<{ created: true } | { created: false; campaignId?: string; replyId: string }> {
    const marker = keys.inbound(dedupeKey);
    const entryId = replyEntryId(reply.id);
    // The reply, its marker, timeline entry and index entry expire with the campaign's
    // personal data, or on the unmatched replies' own schedule (retention-env.ts).
    const expiresAt =
      (reply.campaignId && (await campaignExpiry(this.db, this.table, reply.campaignId))) ||
      unmatchedExpiry(reply.receivedAt);
    const ttl = { [TABLE.ttlAttribute]: expiresAt };
    const indexed = this.secret ? replyIndexItem(await this.secret(), reply, expiresAt) : undefined;
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
                  ...ttl,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...keys.reply(reply.campaignId, reply.id),
                  type: 'reply',
                  ...reply,
                  ...ttl,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...(reply.campaignId && reply.recipientId && opts.timeline
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
                        // Always a reply entry: a DSN at the reply address is a note, never a bounce.
                        event: 'reply',
                        recipientId: reply.recipientId,
                        id: entryId,
                        at: reply.receivedAt,
                        source: 'inbound',
                        replyId: reply.id,
                        replyKind: reply.kind,
                        reason: opts.timeline,
                        matchStrength: reply.match.strength,
                        ...ttl,
                      },
                    },
                  },
                ]
              : []),
            // Where erasure finds the reply by its sender's address, written with it.
            ...(indexed ? [{ Put: { TableName: this.table, Item: indexed } }] : []),
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

  markReplied(ref: RecipientRef, reply: Pick<Reply, 'id' | 'receivedAt'>): Promise<boolean> {
    return this.marks.markReplied(ref, reply);
  }

  noteReply(ref: RecipientRef, reply: Pick<Reply, 'id' | 'receivedAt' | 'kind'>): Promise<void> {
    return this.marks.noteReply(ref, reply);
  }

  noteWeakReply(ref: RecipientRef, reply: Pick<Reply, 'id' | 'receivedAt'>): Promise<void> {
    return this.marks.noteWeakReply(ref, reply);
  }

  confirmReply(
    ref: RecipientRef,
    reply: Pick<Reply, 'id' | 'receivedAt'>,
    by: string,
    at: string,
  ): Promise<{ confirmed: boolean; counted: boolean }> {
    return this.marks.confirmReply(ref, reply, by, at);
  }

  recipientByMessageId(messageId: string): Promise<RecipientRef | undefined> {
    return this.lookup.recipientByMessageId(messageId);
  }

  recipientByAddress(email: string, campaigns?: number): Promise<RecipientRef | undefined> {
    return this.lookup.recipientByAddress(email, campaigns);
  }

  async listReplies(campaignId: string | undefined, query: ReplyQuery = {}): Promise<Page<Reply>> {
    const out = await this.db.send(
      new QueryCommand({
        ...this.repliesQuery(campaignId, query),
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

  async countReplies(
    campaignId: string,
    query: Pick<ReplyQuery, 'kind' | 'handled'> = {},
  ): Promise<number> {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          ...this.repliesQuery(campaignId, query),
          Select: 'COUNT',
          ExclusiveStartKey: start,
        }),
      );
      count += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    return count;
  }

  /** The query of a campaign's (or the unmatched) replies with the query's filters. */
  private repliesQuery(campaignId: string | undefined, query: ReplyQuery) {
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
    if (query.handled !== undefined)
      filters.push(
        query.handled ? 'attribute_exists(handledAt)' : 'attribute_not_exists(handledAt)',
      );
    return {
      TableName: this.table,
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :r)',
      ExpressionAttributeValues: values,
      ...(filters.length
        ? {
            FilterExpression: filters.join(' AND '),
            ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
          }
        : {}),
    };
  }

  async getReply(campaignId: string | undefined, replyId: string): Promise<Reply | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.reply(campaignId, replyId) }),
    );
    return toReply(out.Item);
  }

  async markRead(campaignId: string, replyId: string, mark: ReplyMark): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.reply(campaignId, replyId),
          UpdateExpression: 'SET readBy = :by, readAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(readAt)',
          ExpressionAttributeValues: { ':by': mark.by, ':at': mark.at },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  async markHandled(
    campaignId: string,
    replyId: string,
    mark: ReplyMark | undefined,
  ): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.reply(campaignId, replyId),
          ...(mark
            ? {
                UpdateExpression: 'SET handledBy = :by, handledAt = :at',
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(handledAt)',
                ExpressionAttributeValues: { ':by': mark.by, ':at': mark.at },
              }
            : {
                UpdateExpression: 'REMOVE handledBy, handledAt',
                ConditionExpression: 'attribute_exists(handledAt)',
              }),
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
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
