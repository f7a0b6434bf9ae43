/**
 * Governance items in the one table, each kind in a partition of its own
 * beside the campaign's (so that IAM can deny every role any update or delete
 * of them by partition key: table-definition.ts):
 *   VERSION#<id> / <000001>          an immutable content version
 *   APPROVAL#<id> / <hash>#<who>     one person's approval of one version
 *   AUDIT#<id> / <at>#<random>       one audit log entry
 * Every write here is a conditional put (attribute_not_exists): nothing in
 * this file, nor anywhere else, updates or deletes these items. IAM enforces
 * the "no update, no delete"; only the condition keeps a put from replacing
 * an item, since IAM cannot require a condition expression.
 */
import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { CampaignRecipient } from '../core/campaign.js';
import { ConfigError } from '../core/errors.js';
import type {
  Approval,
  ApprovalMode,
  AuditEntry,
  CampaignVersion,
  RecipientIdentity,
} from '../core/governance/model.js';
import { APPROVAL_MODES } from '../core/governance/model.js';
import { DEFAULT_VERIFY_WINDOW_DAYS } from '../core/governance/targets.js';
import type { VersionContent } from '../core/governance/diff.js';
import type { GovernanceStore } from '../core/governance/ports.js';
import type { Page } from '../core/ports.js';
import { ENV } from './config.js';
import { keys } from './table-definition.js';

export const governanceKeys = {
  version: (id: string, n: number) => ({
    pk: keys.versions(id),
    sk: String(n).padStart(6, '0'),
  }),
  /** A version's content snapshot: in the same immutable partition, sorting before every version number. */
  versionContent: (id: string, n: number) => ({
    pk: keys.versions(id),
    sk: `#CONTENT#${String(n).padStart(6, '0')}`,
  }),
  approval: (id: string, hash: string, who: string) => ({
    pk: keys.approvals(id),
    sk: `${hash}#${who}`,
  }),
  audit: (id: string, at: string) => ({
    pk: keys.auditLog(id),
    sk: `${at}#${randomBytes(4).toString('hex')}`,
  }),
} as const;

/** DEMARCHE_APPROVAL: `two-person` unless a deployment switches single-person mode on. */
export function approvalModeFromEnv(
  env: Record<string, string | undefined> = process.env,
): ApprovalMode {
  const v = env[ENV.approval]?.trim();
  if (!v) return 'two-person';
  if ((APPROVAL_MODES as readonly string[]).includes(v)) return v as ApprovalMode;
  throw new ConfigError(
    `configuration is invalid: ${ENV.approval}: must be one of ${APPROVAL_MODES.join(', ')}, not ${JSON.stringify(v)}`,
  );
}

/** The verification window in days: an explicit value, else DEMARCHE_VERIFY_WINDOW_DAYS, else 90. */
export function verifyWindowDays(
  explicit?: string,
  env: Record<string, string | undefined> = process.env,
): number {
  const raw = explicit ?? env[ENV.verifyWindowDays];
  if (raw === undefined || raw.trim() === '') return DEFAULT_VERIFY_WINDOW_DAYS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 3650) {
    throw new ConfigError(
      `${explicit !== undefined ? '--verified-within' : ENV.verifyWindowDays}: must be a whole number of days from 1 to 3650, not ${JSON.stringify(raw)}`,
    );
  }
  return n;
}

const strip = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, type: _type, ...rest } = item;
  return rest as T;
};

export class DynamoGovernanceStore implements GovernanceStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private async putOnce(item: Record<string, unknown>): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /** Every item of a partition whose sort key begins with `prefix` (all of them without one). */
  private async queryAll(pk: string, prefix?: string) {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: prefix ? 'pk = :p AND begins_with(sk, :s)' : 'pk = :p',
          ExpressionAttributeValues: prefix ? { ':p': pk, ':s': prefix } : { ':p': pk },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async putVersion(v: CampaignVersion): Promise<boolean> {
    return this.putOnce({
      ...governanceKeys.version(v.campaignId, v.number),
      type: 'version',
      ...v,
    });
  }

  async latestVersion(campaignId: string): Promise<CampaignVersion | undefined> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': keys.versions(campaignId) },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = out.Items?.[0];
    return item ? strip<CampaignVersion>(item) : undefined;
  }

  async putVersionContent(c: VersionContent): Promise<void> {
    await this.putOnce({
      ...governanceKeys.versionContent(c.campaignId, c.number),
      type: 'version-content',
      ...c,
    });
  }

  async versionContent(campaignId: string, n: number): Promise<VersionContent | undefined> {
    // A query on the exact key: the API reads the version partition by Query only (infra/access.ts).
    const key = governanceKeys.versionContent(campaignId, n);
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :p AND sk = :s',
        ExpressionAttributeValues: { ':p': key.pk, ':s': key.sk },
        ConsistentRead: true,
      }),
    );
    const item = out.Items?.[0];
    return item ? strip<VersionContent>(item) : undefined;
  }

  async versions(campaignId: string): Promise<CampaignVersion[]> {
    // Version numbers are zero-padded ("000001"); content snapshots ("#CONTENT#…") are left out.
    return (await this.queryAll(keys.versions(campaignId), '0')).map((i) =>
      strip<CampaignVersion>(i),
    );
  }

  async putApproval(a: Approval): Promise<void> {
    await this.putOnce({
      ...governanceKeys.approval(a.campaignId, a.hash, a.approver),
      type: 'approval',
      ...a,
    });
  }

  async approvals(campaignId: string, hash: string): Promise<Approval[]> {
    return (await this.queryAll(keys.approvals(campaignId), `${hash}#`)).map((i) =>
      strip<Approval>(i),
    );
  }

  async appendAudit(e: AuditEntry): Promise<void> {
    // A random suffix makes two entries in the same millisecond two items; a
    // collision (vanishingly rare) is retried with a new suffix, never overwritten.
    for (let i = 0; i < 3; i++) {
      if (await this.putOnce({ ...governanceKeys.audit(e.campaignId, e.at), type: 'audit', ...e }))
        return;
    }
    throw new Error(`audit entry for ${e.campaignId} at ${e.at} could not be appended`);
  }

  async auditLog(campaignId: string, cursor?: string, limit = 1000): Promise<Page<AuditEntry>> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': keys.auditLog(campaignId) },
        ExclusiveStartKey: cursor
          ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<
              string,
              unknown
            >)
          : undefined,
        Limit: limit,
      }),
    );
    const page: Page<AuditEntry> = { items: (out.Items ?? []).map((i) => strip<AuditEntry>(i)) };
    if (out.LastEvaluatedKey)
      page.cursor = Buffer.from(JSON.stringify(out.LastEvaluatedKey)).toString('base64url');
    return page;
  }

  async recipientIdentities(campaignId: string): Promise<RecipientIdentity[]> {
    const out: RecipientIdentity[] = [];
    for await (const items of this.recipientPages(
      campaignId,
      'id, email, fallbackEmails, fallbackHistory',
    )) {
      for (const i of items) {
        // The address the list gave: a letter moved to a fallback keeps its primary in its history.
        const history = i.fallbackHistory as { email: string }[] | undefined;
        const email = String(history?.[0]?.email ?? i.email);
        const fallbacks = i.fallbackEmails as string[] | undefined;
        out.push({
          id: String(i.id),
          email,
          ...(fallbacks?.length ? { fallbackEmails: fallbacks } : {}),
        });
      }
    }
    return out;
  }

  /** A campaign's recipient items, page by page (strongly consistent), with only `projection` when given. */
  private async *recipientPages(
    campaignId: string,
    projection?: string,
  ): AsyncGenerator<Record<string, unknown>[]> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
          ExpressionAttributeValues: { ':p': keys.campaign(campaignId).pk, ':s': 'RCPT#' },
          ...(projection ? { ProjectionExpression: projection } : {}),
          ExclusiveStartKey: start,
          ConsistentRead: true,
        }),
      );
      yield page.Items ?? [];
      start = page.LastEvaluatedKey;
    } while (start);
  }

  async stampSome(
    campaignId: string,
    recipients: CampaignRecipient[],
    hash: string,
    subjectOf: (r: CampaignRecipient) => string,
  ): Promise<number> {
    let stamped = 0;
    // A few updates at a time: enough to keep a launch of thousands short, few enough not to throttle.
    for (let i = 0; i < recipients.length; i += 25) {
      const results = await Promise.all(
        recipients.slice(i, i + 25).map((r) => this.stampOne(campaignId, r, hash, subjectOf(r))),
      );
      stamped += results.filter(Boolean).length;
    }
    return stamped;
  }

  /** Only a letter not yet sent takes the stamp: what a recipient already received is never rewritten. */
  private async stampOne(campaignId: string, r: CampaignRecipient, hash: string, subject: string) {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.recipient(campaignId, r.id),
          UpdateExpression: 'SET versionHash = :h, subject = :s',
          ConditionExpression: 'attribute_exists(pk) AND #st = :pending',
          ExpressionAttributeNames: { '#st': 'state' },
          ExpressionAttributeValues: { ':h': hash, ':s': subject, ':pending': 'pending' },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }
}
