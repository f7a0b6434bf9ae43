/**
 * FallbackStore on DynamoDB (core/governance/fallback.ts). The move of a
 * letter to a fallback address is one transaction: the recipient item
 * (conditional on `sent`, the attempt number and the bounced message id, so
 * that a bounce applied twice moves it once) and one counter shard.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { FallbackMove, FallbackStore } from '../core/governance/fallback.js';
import { keys, TABLE } from './table-definition.js';

/** Flags the events rules set for the letter's delivery; the fallback letter starts without them. */
const DELIVERY_FLAGS = ['delivered', 'delayed', 'bouncedSoft', 'bouncedHard', 'rejected'];

export class DynamoFallbackStore implements FallbackStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async moveToFallback(
    campaignId: string,
    recipientId: string,
    move: FallbackMove,
  ): Promise<'moved' | 'stale'> {
    const values: Record<string, unknown> = {
      ':sent': 'sent',
      ':pending': 'pending',
      ':m': move.messageId,
      ':from': move.email,
      ':to': move.to,
      ':next': move.toAttempt,
      ':move': [move],
      ':none': [],
      ':zero': 0,
      ':one': 1,
      ':flags': new Set(DELIVERY_FLAGS),
    };
    let attemptIs = 'attribute_not_exists(attempt)';
    if (move.attempt > 0) {
      attemptIs = 'attempt = :n';
      values[':n'] = move.attempt;
    }
    for (let tries = 0; ; tries++) {
      try {
        await this.write(campaignId, recipientId, values, attemptIs);
        return 'moved';
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
        const codes = (err.CancellationReasons ?? []).map((r) => r.Code);
        if (codes.includes('ConditionalCheckFailed')) return 'stale';
        // A concurrent write to the same items (an event applied this moment): try again.
        if (!codes.includes('TransactionConflict') || tries >= 8) throw err;
        await new Promise((r) => setTimeout(r, 20 * 2 ** tries * Math.random()));
      }
    }
  }

  private async write(
    campaignId: string,
    recipientId: string,
    values: Record<string, unknown>,
    attemptIs: string,
  ): Promise<void> {
    {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: keys.recipient(campaignId, recipientId),
                // The event version (ev) moves too, so an event read before the move
                // cannot write the old letter's delivery state onto the new one.
                UpdateExpression:
                  'SET #s = :pending, email = :to, attempt = :next, ' +
                  'fallbackHistory = list_append(if_not_exists(fallbackHistory, :none), :move), ' +
                  'ev = if_not_exists(ev, :zero) + :one ' +
                  'REMOVE messageId, sentAt, claimId, claimedAt, reconciledAt, gsi1pk, gsi1sk, ' +
                  'deliveryState, deliveredAt, bouncedAt ' +
                  'DELETE seen :flags',
                ConditionExpression: `#s = :sent AND messageId = :m AND email = :from AND ${attemptIs}`,
                ExpressionAttributeNames: { '#s': 'state' },
                ExpressionAttributeValues: values,
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: keys.counter(campaignId, Math.floor(Math.random() * TABLE.counterShards)),
                UpdateExpression: 'ADD #sent :minus, #fb :one',
                ExpressionAttributeNames: { '#sent': 'sent', '#fb': 'fallbacks' },
                ExpressionAttributeValues: { ':minus': -1, ':one': 1 },
              },
            },
          ],
        }),
      );
    }
  }

  async reopenCampaign(campaignId: string, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.campaign(campaignId),
          UpdateExpression: 'SET #s = :sending, updatedAt = :at, reopenedAt = :at',
          ConditionExpression: '#s = :completed',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':completed': 'completed',
            ':at': at,
          },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }
}
