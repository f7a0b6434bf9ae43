/**
 * Failed and unknown letters on DynamoDB: listed from their GSI1 entry
 * (STUCK#<campaign>, written when a letter is settled so, table-definition.ts),
 * and moved on by a person in one transaction each with the counter shard
 * (the store's moveLetter), so a letter is reopened or marked as sent once,
 * however often it is asked.
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CampaignRecipient } from '../core/campaign.js';
import type { Page } from '../core/ports.js';
import type { StuckLetterStore, StuckState } from '../core/stuck.js';
import { decodeCursor, type DynamoCampaignStore, encodeCursor, strip } from './dynamo-store.js';
import { keys, TABLE } from './table-definition.js';

export class DynamoStuckLetters implements StuckLetterStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
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
        ExclusiveStartKey: decodeCursor(cursor),
        Limit: limit,
      }),
    );
    // The index is eventually consistent: an entry of a letter moved on a moment ago is left
    // out. It carries the letter's keys and state only; the letters come from the table.
    const entries = (out.Items ?? []).filter((i) => i.state === state);
    const items = (await this.store.recipientItems(entries))
      .filter((i) => i.state === state)
      .map((i) => strip<CampaignRecipient>(i)!);
    const next = encodeCursor(out.LastEvaluatedKey);
    return next ? { items, cursor: next } : { items };
  }

  reopen(
    campaignId: string,
    recipientId: string,
    from: StuckState,
    at: string,
    actor: string,
  ): Promise<boolean> {
    return this.store.moveLetter(
      campaignId,
      recipientId,
      'SET #s = :pending, resentAt = :at, resentBy = :by, previousFailure = if_not_exists(failure, :none) REMOVE claimId, claimedAt, failure, settledAt, gsi1pk, gsi1sk',
      '#s = :from',
      { ':pending': 'pending', ':at': at, ':by': actor, ':none': '', ':from': from },
      { [from]: -1 },
    );
  }

  markSent(campaignId: string, recipientId: string, at: string, actor: string): Promise<boolean> {
    return this.store.moveLetter(
      campaignId,
      recipientId,
      'SET #s = :sent, sentAt = if_not_exists(sentAt, :at), markedSentAt = :at, markedSentBy = :by REMOVE gsi1pk, gsi1sk',
      '#s = :from',
      { ':sent': 'sent', ':at': at, ':by': actor, ':from': 'unknown' },
      { unknown: -1, sent: 1 },
    );
  }
}
