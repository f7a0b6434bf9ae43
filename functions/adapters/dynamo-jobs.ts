/**
 * JobStore on DynamoDB: a job's progress is a map attribute of the campaign
 * item (`launch`, `import`), replaced whole by a conditional update on its
 * step; the `queued` counter moves in the same transaction.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { CampaignStatus, ImportProgress, LaunchProgress } from '../core/campaign.js';
import type { DraftStore, JobStore } from '../core/job-ports.js';
import type { LetterTemplate } from '../core/letter.js';
import type { Statement } from '../core/statement.js';
import { deleteKeys } from './batch-write.js';
import { keys, TABLE } from './table-definition.js';

export class DynamoJobStore implements JobStore, DraftStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async advance<K extends 'launch' | 'import'>(
    campaignId: string,
    job: K,
    fromStep: number,
    next: K extends 'launch' ? LaunchProgress : ImportProgress,
    opts: {
      statuses: CampaignStatus[];
      counter?: { name: string; n: number };
    },
  ): Promise<boolean> {
    const values: Record<string, unknown> = { ':next': next, ':from': fromStep };
    opts.statuses.forEach((s, i) => (values[`:s${i}`] = s));
    const update = {
      Update: {
        TableName: this.table,
        Key: keys.campaign(campaignId),
        UpdateExpression: 'SET #j = :next',
        ConditionExpression: `#j.#step = :from AND #st IN (${opts.statuses.map((_, i) => `:s${i}`).join(', ')})`,
        ExpressionAttributeNames: { '#j': job, '#step': 'step', '#st': 'status' },
        ExpressionAttributeValues: values,
      },
    };
    const counter = opts.counter?.n
      ? [
          {
            Update: {
              TableName: this.table,
              Key: keys.counter(campaignId, Math.floor(Math.random() * TABLE.counterShards)),
              UpdateExpression: 'ADD #c :n',
              ExpressionAttributeNames: { '#c': opts.counter.name },
              ExpressionAttributeValues: { ':n': opts.counter.n },
            },
          },
        ]
      : [];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: [update, ...counter] }));
      return true;
    } catch (err) {
      if (
        err instanceof TransactionCanceledException &&
        (err.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed')
      )
        return false;
      throw err;
    }
  }

  /**
   * A language the new statement no longer has keeps its old compiled letter
   * item, unused: `languages` says which letters the campaign sends, and no
   * role needs to delete campaign items for an edit.
   */
  async replaceStatement(
    campaignId: string,
    statement: Statement,
    templates: LetterTemplate[],
    at: string,
  ): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: keys.campaign(campaignId),
                UpdateExpression: 'SET statement = :s, languages = :l, updatedAt = :at',
                ConditionExpression: '#st = :draft',
                ExpressionAttributeNames: { '#st': 'status' },
                ExpressionAttributeValues: {
                  ':s': statement,
                  ':l': templates.map((t) => t.language),
                  ':at': at,
                  ':draft': 'draft',
                },
              },
            },
            ...templates.map((t) => ({
              Put: {
                TableName: this.table,
                Item: { ...keys.template(campaignId, t.language), type: 'template', ...t },
              },
            })),
          ],
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof TransactionCanceledException) return false;
      throw err;
    }
  }

  async clearRecipients(campaignId: string): Promise<void> {
    for (;;) {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :p AND begins_with(sk, :r)',
          ExpressionAttributeValues: { ':p': keys.campaign(campaignId).pk, ':r': 'RCPT#' },
          ProjectionExpression: 'pk, sk',
          ConsistentRead: true,
          Limit: 500,
        }),
      );
      const items = out.Items ?? [];
      if (!items.length) return;
      await deleteKeys(this.db, this.table, items as { pk: string; sk: string }[]);
    }
  }

  async countRecipients(campaignId: string): Promise<number> {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :p AND begins_with(sk, :r)',
          ExpressionAttributeValues: { ':p': keys.campaign(campaignId).pk, ':r': 'RCPT#' },
          Select: 'COUNT',
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      count += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    return count;
  }
}
