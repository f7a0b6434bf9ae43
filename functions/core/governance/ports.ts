/**
 * Where governance data lives. Versions, approvals and audit entries are
 * written once (conditional on not existing) and never updated or deleted.
 */
import type { CampaignRecipient } from '../campaign.js';
import type { Page } from '../ports.js';
import type { VersionContent } from './diff.js';
import type { Approval, AuditEntry, CampaignVersion, RecipientIdentity } from './model.js';

export interface GovernanceStore {
  /** Stores a new version; fails (returns false) when that number exists already. */
  putVersion(version: CampaignVersion): Promise<boolean>;
  latestVersion(campaignId: string): Promise<CampaignVersion | undefined>;
  /** Stores what a version holds (written once with it, never changed); a repeat is a no-op. */
  putVersionContent(content: VersionContent): Promise<void>;
  /** What version `number` holds; absent for versions recorded before snapshots were kept. */
  versionContent(campaignId: string, number: number): Promise<VersionContent | undefined>;
  versions(campaignId: string): Promise<CampaignVersion[]>;
  /** Records an approval of one version by one person; a repeat is a no-op. */
  putApproval(approval: Approval): Promise<void>;
  approvals(campaignId: string, hash: string): Promise<Approval[]>;
  /** Appends an audit entry; never overwrites one. */
  appendAudit(entry: AuditEntry): Promise<void>;
  /** The log, oldest first. */
  auditLog(campaignId: string, cursor?: string, limit?: number): Promise<Page<AuditEntry>>;
  /** Every recipient's id and email, for the content hash. */
  recipientIdentities(campaignId: string): Promise<RecipientIdentity[]>;
  /**
   * Writes on each of `recipients` still pending the version hash and the
   * subject of the letter they get (the launch, page by page, before queueing).
   */
  stampSome(
    campaignId: string,
    recipients: CampaignRecipient[],
    hash: string,
    subjectOf: (recipient: CampaignRecipient) => string,
  ): Promise<number>;
}
