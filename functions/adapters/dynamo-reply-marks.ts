/**
 * What replies write on a recipient, on the one DynamoDB table. A person's
 * strong reply sets `repliedAt` and counts `replied` in one transaction,
 * conditional on the mark being absent, so a person is counted once however
 * many replies they send. A weak match writes only `weakReplyAt` (never
 * `repliedAt`, never a counter, so follow-up audiences do not move). Staff's
 * confirmation of a weak match marks the reply and, when the recipient had
 * not replied yet, sets `repliedAt` and counts — all in one transaction.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { CounterName } from '../core/campaign.js';
import type { RecipientRef } from '../core/replies/ports.js';
import type { Reply } from '../core/replies/types.js';
import { keys, TABLE } from './table-definition.js';

export const isConditionFailure = (err: unknown) =>
  (err as { name?: string }).name === 'ConditionalCheckFailedException' ||
  (err instanceof TransactionCanceledException &&
    (err.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed'));

export function conditionFailedAt(err: unknown, index: number): boolean {
  return (
    err instanceof TransactionCanceledException &&
    err.CancellationReasons?.[index]?.Code === 'ConditionalCheckFailed'
  );
}

/** The timeline entry id of a reply (shared with the events side: EVENT#<rid>#<at>#<id>). */
export const replyEntryId = (replyId: string) => `reply-${replyId}`;

export class DynamoReplyMarks {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  counterUpdate(campaignId: string, counter: CounterName) {
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

  private repliedUpdate(
    ref: RecipientRef,
    reply: Pick<Reply, 'id' | 'receivedAt'>,
    extra = '',
    values: Record<string, unknown> = {},
  ) {
    return {
      Update: {
        TableName: this.table,
        Key: keys.recipient(ref.campaignId, ref.recipientId),
        UpdateExpression: `SET repliedAt = :at, firstReplyId = :id${extra}`,
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(repliedAt)',
        ExpressionAttributeValues: { ':at': reply.receivedAt, ':id': reply.id, ...values },
      },
    };
  }

  async markReplied(ref: RecipientRef, reply: Pick<Reply, 'id' | 'receivedAt'>): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            this.repliedUpdate(ref, reply),
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

  async noteWeakReply(ref: RecipientRef, reply: Pick<Reply, 'id' | 'receivedAt'>): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.recipient(ref.campaignId, ref.recipientId),
          UpdateExpression: 'SET weakReplyAt = :at, weakReplyId = :id',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(weakReplyAt)',
          ExpressionAttributeValues: { ':at': reply.receivedAt, ':id': reply.id },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  async confirmReply(
    ref: RecipientRef,
    reply: Pick<Reply, 'id' | 'receivedAt'>,
    by: string,
    at: string,
  ): Promise<{ confirmed: boolean; counted: boolean }> {
    const replyUpdate = {
      Update: {
        TableName: this.table,
        Key: keys.reply(ref.campaignId, reply.id),
        UpdateExpression: 'SET #m.confirmedBy = :by, #m.confirmedAt = :now',
        ConditionExpression:
          'attribute_exists(pk) AND recipientId = :rid AND #m.#by = :sender AND attribute_not_exists(#m.confirmedBy)',
        ExpressionAttributeNames: { '#m': 'match', '#by': 'by' },
        ExpressionAttributeValues: {
          ':by': by,
          ':now': at,
          ':rid': ref.recipientId,
          ':sender': 'sender',
        },
      },
    };
    let counted = true;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            replyUpdate,
            this.repliedUpdate(ref, reply, ', replyConfirmedBy = :by, replyConfirmedAt = :now', {
              ':by': by,
              ':now': at,
            }),
            this.counterUpdate(ref.campaignId, 'replied'),
          ],
        }),
      );
    } catch (err) {
      if (conditionFailedAt(err, 0)) return { confirmed: false, counted: false };
      if (!conditionFailedAt(err, 1)) throw err;
      // The recipient had replied already (a strong reply): confirm the reply, count nothing.
      counted = false;
      try {
        await this.db.send(new UpdateCommand(replyUpdate.Update));
      } catch (again) {
        if (isConditionFailure(again)) return { confirmed: false, counted: false };
        throw again;
      }
    }
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.event(
            ref.campaignId,
            ref.recipientId,
            reply.receivedAt,
            replyEntryId(reply.id),
          ),
          UpdateExpression: 'SET reason = :r',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: {
            ':r': `reply from a person, weak match confirmed by ${by}${counted ? ': counted' : ' (the recipient had already replied)'}`,
          },
        }),
      )
      .catch((err: unknown) => {
        if (!isConditionFailure(err)) throw err;
      });
    return { confirmed: true, counted };
  }
}
