/**
 * The look-ups reply matching needs: the recipient an SES message id was
 * sent to (GSI1 `MSG#<id>`, written when the letter was recorded as sent),
 * and the recipient an address belongs to among the latest campaigns (the
 * recipient id is derived from the address, so this is one batch read).
 */
import { BatchGetCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { recipientId } from '../core/recipients.js';
import type { RecipientRef } from '../core/replies/ports.js';
import { keys, TABLE } from './table-definition.js';

export class DynamoRecipientLookup {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async recipientByMessageId(messageId: string): Promise<RecipientRef | undefined> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: TABLE.gsi1.indexName,
        KeyConditionExpression: 'gsi1pk = :m',
        ExpressionAttributeValues: { ':m': `MSG#${messageId}` },
        Limit: 1,
      }),
    );
    const item = out.Items?.[0] as { campaignId?: string; id?: string } | undefined;
    return item?.campaignId && item.id
      ? { campaignId: item.campaignId, recipientId: item.id }
      : undefined;
  }

  async recipientByAddress(email: string, campaigns = 25): Promise<RecipientRef | undefined> {
    const listed = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: TABLE.gsi1.indexName,
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': 'CAMPAIGNS' },
        ProjectionExpression: '#i',
        ExpressionAttributeNames: { '#i': 'id' },
        ScanIndexForward: false,
        Limit: Math.min(campaigns, 100),
      }),
    );
    const ids = (listed.Items ?? []).map((i) => i.id as string);
    if (!ids.length) return undefined;
    const rid = recipientId(email);
    const got = await this.db.send(
      new BatchGetCommand({
        RequestItems: {
          [this.table]: {
            Keys: ids.map((id) => keys.recipient(id, rid)),
            ProjectionExpression: 'campaignId, #i, messageId',
            ExpressionAttributeNames: { '#i': 'id' },
          },
        },
      }),
    );
    const sent = new Set(
      (got.Responses?.[this.table] ?? [])
        .filter((i) => i.messageId)
        .map((i) => i.campaignId as string),
    );
    // Newest campaign first: the letter most likely being answered.
    const campaignId = ids.find((id) => sent.has(id));
    return campaignId ? { campaignId, recipientId: rid } : undefined;
  }
}
