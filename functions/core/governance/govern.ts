/**
 * The governance rules as operations: record a version when content changes,
 * approve a version, and launch or schedule only an approved version. The
 * CLI and the API call these instead of the bare launch/schedule, so every
 * path a person takes is gated and logged; the engine below stays unaware.
 */
import type { Campaign } from '../campaign.js';
import { languageFor } from '../compose.js';
import { CampaignStateError, NotFoundError } from '../errors.js';
import { launchCampaign } from '../launch.js';
import { scheduleCampaign, type Schedules } from '../lifecycle.js';
import type { CampaignStore, Clock, Queue } from '../ports.js';
import { ApprovalRequiredError, SelfApprovalError, StaleVersionError } from './errors.js';
import {
  type Approval,
  type ApprovalMode,
  type AuditAction,
  type CampaignVersion,
  contentHash,
  shortHash,
} from './model.js';
import type { GovernanceStore } from './ports.js';

export interface GovernanceDeps {
  store: CampaignStore;
  clock: Clock;
  governance: GovernanceStore;
  approvalMode: ApprovalMode;
}

/** Refuses a launch or schedule SES would refuse (core/preflight.ts requirePreflight), before anything moves. */
type Preflight = (campaignId: string, startAt?: Date) => Promise<unknown>;

/** Who an action is attributed to when no person did it (versions made before issue 11). */

export const UNKNOWN_AUTHOR = '(unknown)';

async function load(store: CampaignStore, campaignId: string): Promise<Campaign> {
  const c = await store.getCampaign(campaignId);
  if (!c) throw new NotFoundError('campaign', campaignId);
  return c;
}

/** Appends one audit entry at the clock's time. */
export async function audit(
  deps: Pick<GovernanceDeps, 'clock' | 'governance'>,
  campaignId: string,
  actor: string,
  action: AuditAction,
  extra: { detail?: string; versionHash?: string } = {},
): Promise<void> {
  await deps.governance.appendAudit({
    campaignId,
    at: deps.clock.now().toISOString(),
    actor,
    action,
    ...extra,
  });
}

/**
 * Records the campaign's content as it is stored now as a new version, unless
 * the latest version already has the same hash (nothing changed, nothing
 * recorded). The first version is logged as `created`, later ones as `edited`.
 */
export async function recordVersion(
  deps: GovernanceDeps,
  campaignId: string,
  author: string,
  reason: string,
): Promise<CampaignVersion> {
  const campaign = await load(deps.store, campaignId);
  const hash = contentHash(
    campaign.statement,
    await deps.governance.recipientIdentities(campaignId),
  );
  const latest = await deps.governance.latestVersion(campaignId);
  if (latest?.hash === hash) return latest;
  const subjects: Record<string, string> = {};
  for (const lang of campaign.languages) {
    const t = await deps.store.getTemplate(campaignId, lang);
    subjects[lang] = t?.subject ?? campaign.statement.subject;
  }
  const version: CampaignVersion = {
    campaignId,
    number: (latest?.number ?? 0) + 1,
    hash,
    author,
    createdAt: deps.clock.now().toISOString(),
    reason,
    recipientCount: campaign.recipientCount,
    subjects,
  };
  if (!(await deps.governance.putVersion(version))) {
    throw new CampaignStateError(
      campaignId,
      `version ${version.number} was recorded by someone else meanwhile; reload and try again`,
    );
  }
  await audit(deps, campaignId, author, latest ? 'edited' : 'created', {
    versionHash: hash,
    detail: `version ${version.number}: ${reason}`,
  });
  return version;
}

/**
 * The current version, checked against what is stored: content changed by any
 * path that did not record a version still yields a new version (by an
 * unknown author), so an approval can never cover content it did not see.
 */
export async function currentVersion(
  deps: GovernanceDeps,
  campaignId: string,
): Promise<CampaignVersion> {
  return recordVersion(deps, campaignId, UNKNOWN_AUTHOR, 'content changed outside a recorded edit');
}

/**
 * Approves the current version for launch. `hash`, when given, must be the
 * current version's (the approver saw that content); under two-person
 * approval the version's author cannot approve it.
 */
export async function approveVersion(
  deps: GovernanceDeps,
  campaignId: string,
  actor: string,
  hash?: string,
): Promise<{ version: CampaignVersion; approval: Approval }> {
  const campaign = await load(deps.store, campaignId);
  if (campaign.status !== 'draft' && campaign.status !== 'scheduled') {
    throw new CampaignStateError(
      campaignId,
      `cannot approve a campaign that is ${campaign.status}`,
      {
        status: campaign.status,
      },
    );
  }
  const version = await currentVersion(deps, campaignId);
  if (hash && hash !== version.hash && !(hash.length >= 12 && version.hash.startsWith(hash)))
    throw new StaleVersionError(campaignId, hash, version.hash);
  if (deps.approvalMode === 'two-person' && actor === version.author)
    throw new SelfApprovalError(campaignId, version.hash, actor);
  const approval: Approval = {
    campaignId,
    hash: version.hash,
    approver: actor,
    at: deps.clock.now().toISOString(),
  };
  await deps.governance.putApproval(approval);
  await audit(deps, campaignId, actor, 'approved', {
    versionHash: version.hash,
    detail: `version ${version.number}${deps.approvalMode === 'single' ? ' (single-person mode)' : ''}`,
  });
  return { version, approval };
}

/** The current version and a valid approval of it, or an ApprovalRequiredError saying what is missing. */
export async function requireApproval(
  deps: GovernanceDeps,
  campaignId: string,
): Promise<{ version: CampaignVersion; approval: Approval }> {
  const version = await currentVersion(deps, campaignId);
  const valid = (await deps.governance.approvals(campaignId, version.hash)).filter(
    (a) => deps.approvalMode === 'single' || a.approver !== version.author,
  );
  if (!valid.length) {
    const who =
      deps.approvalMode === 'two-person'
        ? `a campaigner other than its author (${version.author})`
        : 'a campaigner';
    throw new ApprovalRequiredError(
      campaignId,
      version.hash,
      `campaign ${campaignId} version ${version.number} (${shortHash(version.hash)}) is not approved: ${who} must approve it first (demarche approve ${campaignId} --as NAME, or POST /api/campaigns/${campaignId}/approve); any change after an approval voids it`,
    );
  }
  return { version, approval: valid[0]! };
}

/**
 * In single-person mode the person launching (or scheduling) approves by doing
 * so, and that approval is logged like any other; under two-person approval a
 * missing approval is refused.
 */
async function approvedOrSingle(deps: GovernanceDeps, campaignId: string, actor: string) {
  try {
    return await requireApproval(deps, campaignId);
  } catch (err) {
    if (deps.approvalMode === 'single' && err instanceof ApprovalRequiredError)
      return approveVersion(deps, campaignId, actor);
    throw err;
  }
}

/** Writes the approved version's hash and each letter's subject on every recipient still to be sent. */
async function stamp(deps: GovernanceDeps, campaign: Campaign, version: CampaignVersion) {
  await deps.governance.stampRecipients(campaign.id, version.hash, (r) => {
    const lang = languageFor(campaign, r);
    return version.subjects[lang] ?? campaign.statement.subject;
  });
}

/**
 * Launches the approved current version: refuses without an approval, writes
 * the version hash and subject on each recipient, then starts the engine's
 * launch and logs who launched which version. A campaign already sending is
 * simply re-launched (its pending letters re-enqueued) as before.
 */
export async function launchApproved(
  deps: GovernanceDeps & { queue: Queue; schedules?: Schedules; preflight?: Preflight },
  campaignId: string,
  actor: string,
): Promise<{ queued: number; version?: CampaignVersion }> {
  const campaign = await load(deps.store, campaignId);
  if (campaign.status === 'sending') return launchCampaign(deps, campaignId);
  if (campaign.status !== 'draft' && campaign.status !== 'scheduled') {
    throw new CampaignStateError(
      campaignId,
      `cannot launch a campaign that is ${campaign.status}`,
      {
        status: campaign.status,
      },
    );
  }
  const { version, approval } = await approvedOrSingle(deps, campaignId, actor);
  // A launch SES would refuse is refused here, before anything is queued (core/preflight.ts).
  await deps.preflight?.(campaignId);
  await stamp(deps, campaign, version);
  const { queued } = await launchCampaign(deps, campaignId);
  await audit(deps, campaignId, actor, 'launched', {
    versionHash: version.hash,
    detail: `version ${version.number}, approved by ${approval.approver}; ${queued} letters queued`,
  });
  return { queued, version };
}

/** Schedules the approved current version (recipients stamped now: a scheduled campaign cannot change). */
export async function scheduleApproved(
  deps: GovernanceDeps & { schedules?: Schedules; preflight?: Preflight },
  campaignId: string,
  at: Date,
  actor: string,
  /** The office hours and plan the campaign is scheduled with (issue 10). */
  extra: Pick<Campaign, 'delivery' | 'plan'> = {},
): Promise<Campaign> {
  const campaign = await load(deps.store, campaignId);
  const { version, approval } = await approvedOrSingle(deps, campaignId, actor);
  await deps.preflight?.(campaignId, at);
  await stamp(deps, campaign, version);
  const scheduled = await scheduleCampaign(deps, campaignId, at, extra);
  await audit(deps, campaignId, actor, 'scheduled', {
    versionHash: version.hash,
    detail: `for ${at.toISOString()}; version ${version.number}, approved by ${approval.approver}`,
  });
  return scheduled;
}

/**
 * A follow-up is scheduled when it is written and its recipients are chosen
 * when it is due, so its approval (of its text and audience) is checked when
 * it is due: under two-person approval an unapproved follow-up does not go
 * out (ApprovalRequiredError; the scheduler tries again on its next tick,
 * until the deadline expires it). In single-person mode its author's
 * scheduling is the approval.
 */
export async function approvedFollowUp(
  deps: GovernanceDeps,
  campaignId: string,
): Promise<{ version: CampaignVersion; approval: Approval }> {
  try {
    return await requireApproval(deps, campaignId);
  } catch (err) {
    if (deps.approvalMode !== 'single' || !(err instanceof ApprovalRequiredError)) throw err;
    const version = await currentVersion(deps, campaignId);
    return approveVersion(deps, campaignId, version.author);
  }
}
