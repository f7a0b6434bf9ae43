/**
 * HeldLetters on the one table: a held letter is its recipient item in state
 * `held`, indexed on GSI1 under `HELD#<campaign>` by the time it waits for
 * (moved on by each lease), so the scheduler finds due letters with one query.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { HeldLetters } from '../core/held.js';
import { keys, TABLE } from './table-definition.js';

/** GSI1 partition of a campaign's held letters. */
export const heldKey = (campaignId: string) => `HELD#${campaignId}`;

export class DynamoHeldLetters implements HeldLetters {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async hold(
    campaignId: string,
    recipientId: string,
    claimId: string,
    until: string,
    at: string,
  ): Promise<boolean> {
    return this.conditional({
      Key: keys.recipient(campaignId, recipientId),
      UpdateExpression:
        'SET #s = :held, holdUntil = :u, heldAt = :at, gsi1pk = :g, gsi1sk = :u REMOVE claimId, claimedAt',
      ConditionExpression: '#s = :claimed AND claimId = :c',
      ExpressionAttributeNames: { '#s': 'state' },
      ExpressionAttributeValues: {
        ':held': 'held',
        ':claimed': 'claimed',
        ':c': claimId,
        ':u': until,
        ':at': at,
        ':g': heldKey(campaignId),
      },
    });
  }

  async due(campaignId: string, now: string, limit: number): Promise<{ recipientId: string }[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: TABLE.gsi1.indexName,
        KeyConditionExpression: 'gsi1pk = :p AND gsi1sk <= :n',
        ExpressionAttributeValues: { ':p': heldKey(campaignId), ':n': now },
        ProjectionExpression: 'sk, #s',
        ExpressionAttributeNames: { '#s': 'state' },
        Limit: limit,
      }),
    );
    return (out.Items ?? [])
      .filter((i) => i.state === 'held')
      .map((i) => ({ recipientId: String(i.sk).slice('RCPT#'.length) }));
  }

  async lease(campaignId: string, recipientId: string, next: string): Promise<boolean> {
    return this.conditional({
      Key: keys.recipient(campaignId, recipientId),
      UpdateExpression: 'SET gsi1sk = :n',
      ConditionExpression: '#s = :held AND gsi1pk = :g',
      ExpressionAttributeNames: { '#s': 'state' },
      ExpressionAttributeValues: { ':held': 'held', ':n': next, ':g': heldKey(campaignId) },
    });
  }

  async count(campaignId: string): Promise<number> {
    let n = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: TABLE.gsi1.indexName,
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': heldKey(campaignId) },
          Select: 'COUNT',
          ExclusiveStartKey: start,
        }),
      );
      n += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    return n;
  }

  private async conditional(
    update: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>,
  ) {
    try {
      await this.db.send(new UpdateCommand({ TableName: this.table, ...update }));
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }
}
