/**
 * Failed and unknown letters on DynamoDB: listed from their GSI1 entry
 * (STUCK#<campaign>, written when a letter is settled so, table-definition.ts),
 * and moved on by a person in one transaction each with the counter shard, so
 * a letter is reopened or marked as sent once, however often it is asked.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { CampaignRecipient } from '../core/campaign.js';
import type { Page } from '../core/ports.js';
import type { StuckLetterStore, StuckState } from '../core/stuck.js';
import type { DynamoCampaignStore } from './dynamo-store.js';
import { keys, TABLE } from './table-definition.js';

const encode = (key: Record<string, unknown> | undefined) =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
const decode = (cursor: string | undefined) =>
  cursor
    ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>)
    : undefined;

export class DynamoStuckLetters implements StuckLetterStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    /** Its counter moves, so that these transactions count exactly as the sender's do. */
    private readonly store: DynamoCampaignStore,
  ) {}

  async stuckLetters(
    campaignId: string,
    state: StuckState,
    cursor?: string,
    limit = 100,
  ): Promise<Page<CampaignRecipient>> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: TABLE.gsi1.indexName,
        KeyConditionExpression: 'gsi1pk = :p AND begins_with(gsi1sk, :s)',
        ExpressionAttributeValues: {
          ':p': keys.stuck(campaignId, state, '', '').gsi1pk,
          ':s': `${state}#`,
        },
        ExclusiveStartKey: decode(cursor),
        Limit: limit,
      }),
    );
    // The index is eventually consistent: an entry of a letter moved on a moment ago is left out.
    const items = (out.Items ?? [])
      .filter((i) => i.state === state)
      .map((i) => {
        const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, type: _t, ...rest } = i;
        return rest as CampaignRecipient;
      });
    const next = encode(out.LastEvaluatedKey);
    return next ? { items, cursor: next } : { items };
  }

  async reopen(
    campaignId: string,
    recipientId: string,
    from: StuckState,
    at: string,
    actor: string,
  ): Promise<boolean> {
    return this.move(
      campaignId,
      recipientId,
      from,
      'SET #s = :pending, resentAt = :at, resentBy = :by, previousFailure = if_not_exists(failure, :none) REMOVE claimId, claimedAt, failure, settledAt, gsi1pk, gsi1sk',
      { ':pending': 'pending', ':at': at, ':by': actor, ':none': '' },
      { [from]: -1 },
    );
  }

  async markSent(
    campaignId: string,
    recipientId: string,
    at: string,
    actor: string,
  ): Promise<boolean> {
    return this.move(
      campaignId,
      recipientId,
      'unknown',
      'SET #s = :sent, sentAt = if_not_exists(sentAt, :at), markedSentAt = :at, markedSentBy = :by REMOVE gsi1pk, gsi1sk',
      { ':sent': 'sent', ':at': at, ':by': actor },
      { unknown: -1, sent: 1 },
    );
  }

  /** One conditional move of a letter out of `from`, with its counters; false when it was not in `from`. */
  private async move(
    campaignId: string,
    recipientId: string,
    from: StuckState,
    update: string,
    values: Record<string, unknown>,
    counters: Parameters<DynamoCampaignStore['counterMoves']>[1],
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
                ConditionExpression: '#s = :from',
                ExpressionAttributeNames: { '#s': 'state' },
                ExpressionAttributeValues: { ...values, ':from': from },
              },
            },
            this.store.counterMoves(campaignId, counters),
          ],
        }),
      );
      return true;
    } catch (err) {
      if (
        err instanceof TransactionCanceledException &&
        (err.CancellationReasons ?? [])[0]?.Code === 'ConditionalCheckFailed'
      )
        return false;
      throw err;
    }
  }
}
