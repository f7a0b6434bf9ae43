/**
 * The three reads a recipient's page or click needs: the campaign, one
 * recipient and one compiled letter. The campaign store makes the same reads
 * through these functions; the public functions use this reader alone and so
 * load none of the store's writes, indexes and their dependencies.
 */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Campaign, CampaignRecipient } from '../core/campaign.js';
import type { CampaignReader } from '../core/campaign-cache.js';
import type { LetterTemplate } from '../core/letter-merge.js';
import { strip } from './dynamo-items.js';
import { keys } from './table-definition.js';

export async function readCampaign(
  db: DynamoDBDocumentClient,
  table: string,
  campaignId: string,
): Promise<Campaign | undefined> {
  const out = await db.send(
    new GetCommand({ TableName: table, Key: keys.campaign(campaignId), ConsistentRead: true }),
  );
  return strip<Campaign>(out.Item);
}

export async function readTemplate(
  db: DynamoDBDocumentClient,
  table: string,
  campaignId: string,
  language: string,
): Promise<LetterTemplate | undefined> {
  const out = await db.send(
    new GetCommand({ TableName: table, Key: keys.template(campaignId, language) }),
  );
  return strip<LetterTemplate>(out.Item);
}

export async function readRecipient(
  db: DynamoDBDocumentClient,
  table: string,
  campaignId: string,
  recipientId: string,
): Promise<CampaignRecipient | undefined> {
  const out = await db.send(
    new GetCommand({
      TableName: table,
      Key: keys.recipient(campaignId, recipientId),
      ConsistentRead: true,
    }),
  );
  return strip<CampaignRecipient>(out.Item);
}

export class DynamoCampaignReader implements CampaignReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  getCampaign(campaignId: string): Promise<Campaign | undefined> {
    return readCampaign(this.db, this.table, campaignId);
  }

  getTemplate(campaignId: string, language: string): Promise<LetterTemplate | undefined> {
    return readTemplate(this.db, this.table, campaignId, language);
  }

  getRecipient(campaignId: string, recipientId: string): Promise<CampaignRecipient | undefined> {
    return readRecipient(this.db, this.table, campaignId, recipientId);
  }
}
