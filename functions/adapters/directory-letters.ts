/**
 * The letters of a target across campaigns: a campaign's recipient id is
 * derived from the address (core/recipients.ts recipientId), so the
 * recipient records of a target's addresses in a set of campaigns are one
 * BatchGetItem per hundred keys, not a scan of any campaign.
 */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CampaignRecipient } from '../core/campaign.js';
import { keys } from './table-definition.js';

export async function recipientsIn(
  db: DynamoDBDocumentClient,
  table: string,
  campaignIds: readonly string[],
  recipientIds: readonly string[],
): Promise<CampaignRecipient[]> {
  const wanted = campaignIds.flatMap((c) => recipientIds.map((r) => keys.recipient(c, r)));
  const out: CampaignRecipient[] = [];
  for (let i = 0; i < wanted.length; i += 100) {
    let request: Record<string, unknown>[] | undefined = wanted.slice(i, i + 100);
    for (let attempt = 0; request?.length; attempt++) {
      const res = await db.send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: request, ConsistentRead: true } } }),
      );
      for (const item of res.Responses?.[table] ?? []) {
        const { pk: _pk, sk: _sk, type: _t, ...r } = item;
        out.push(r as CampaignRecipient);
      }
      request = res.UnprocessedKeys?.[table]?.Keys as Record<string, unknown>[] | undefined;
      if (request?.length) await new Promise((r) => setTimeout(r, 50 * 2 ** Math.min(attempt, 6)));
    }
  }
  return out;
}
