/**
 * Deleting a draft's or a dry run's items (core/discard.ts): everything in
 * the campaign's partition but its head (recipients, compiled letters,
 * counters, timelines), with each recipient's erasure-index entries, so
 * that a later erasure request finds no trace pointing at nothing.
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CampaignEraser } from '../core/discard.js';
import { deleteKeys } from './batch-write.js';
import { recipientIndexItems } from './person-index.js';
import { keys } from './table-definition.js';

type Key = { pk: string; sk: string };

export class DynamoCampaignEraser implements CampaignEraser {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly secret: () => Promise<string>,
  ) {}

  async erasePage(
    campaignId: string,
    limit: number,
  ): Promise<{ removed: number; remaining: boolean }> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': keys.campaign(campaignId).pk },
        ProjectionExpression: 'pk, sk, email, fallbackEmails',
        ConsistentRead: true,
        // The head may be among them (it is read, and stays): at most `limit` go.
        Limit: limit,
      }),
    );
    const items = (out.Items ?? []).filter((i) => i.sk !== 'META');
    const secret = items.some((i) => String(i.sk).startsWith('RCPT#')) ? await this.secret() : '';
    const doomed: Key[] = [];
    for (const i of items) {
      doomed.push({ pk: String(i.pk), sk: String(i.sk) });
      if (!String(i.sk).startsWith('RCPT#') || typeof i.email !== 'string') continue;
      const r = {
        id: String(i.sk).slice('RCPT#'.length),
        email: i.email,
        fallbackEmails: Array.isArray(i.fallbackEmails) ? (i.fallbackEmails as string[]) : [],
      };
      for (const e of recipientIndexItems(secret, campaignId, r))
        doomed.push({ pk: String(e.pk), sk: String(e.sk) });
    }
    await deleteKeys(this.db, this.table, doomed);
    return { removed: items.length, remaining: out.LastEvaluatedKey !== undefined };
  }
}
