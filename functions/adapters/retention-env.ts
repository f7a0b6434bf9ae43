/**
 * How long personal data is kept (configuration), and the expiry a personal
 * item of a campaign gets when it is written (core/governance/retention.ts):
 * every writer of recipients, replies and timelines asks here, so no item is
 * written without its DynamoDB TTL (`expiresAt`).
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CampaignHead } from '../core/campaign.js';
import { ConfigError } from '../core/errors.js';
import {
  DEFAULT_RETENTION_DAYS,
  DEFAULT_UNMATCHED_REPLY_DAYS,
  personalExpiry,
} from '../core/governance/retention.js';
import { ENV } from './config.js';
import { keys } from './table-definition.js';

function days(
  name: string,
  fallback: number,
  env: Record<string, string | undefined> = process.env,
): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 3650)
    throw new ConfigError(
      `configuration is invalid: ${name}: must be a whole number of days from 1 to 3650, not ${JSON.stringify(raw)}`,
    );
  return n;
}

/** DEMARCHE_RETENTION_DAYS: whole days from 1 to 3650, else the default (365). */
export function retentionDaysFromEnv(
  env: Record<string, string | undefined> = process.env,
): number {
  return days(ENV.retentionDays, DEFAULT_RETENTION_DAYS, env);
}

/** DEMARCHE_UNMATCHED_REPLY_DAYS: how long a reply that matched no campaign is kept (90). */
export function unmatchedReplyDaysFromEnv(
  env: Record<string, string | undefined> = process.env,
): number {
  return days(ENV.unmatchedReplyDays, DEFAULT_UNMATCHED_REPLY_DAYS, env);
}

/** When a reply that matched no campaign expires (epoch seconds). */
export function unmatchedExpiry(receivedAt: string): number {
  return Math.floor((Date.parse(receivedAt) + unmatchedReplyDaysFromEnv() * 86_400_000) / 1000);
}

/**
 * The expiry a personal item of `campaignId` gets now (one strongly consistent
 * read of the campaign's dates and deadline); undefined when there is no such
 * campaign.
 */
export async function campaignExpiry(
  db: DynamoDBDocumentClient,
  table: string,
  campaignId: string,
): Promise<number | undefined> {
  const out = await db.send(
    new GetCommand({
      TableName: table,
      Key: keys.campaign(campaignId),
      ConsistentRead: true,
      ProjectionExpression:
        '#s, completedAt, launchedAt, createdAt, cancelledAt, expiredAt, statement.deadline',
      ExpressionAttributeNames: { '#s': 'status' },
    }),
  );
  const c = out.Item as CampaignHead | undefined;
  return c?.statement?.deadline ? personalExpiry(c, retentionDaysFromEnv()) : undefined;
}
