/**
 * The governance rules as operations: record a version when content changes,
 * approve a version, and launch or schedule only an approved version. The
 * API (and the scheduler, and the launch function) call these instead of the
 * bare launch/schedule, so every path is gated and logged; the engine below
 * stays unaware. Every actor is a verified token subject (`sub`), with the
 * email only as a label: author ≠ approver is decided on the sub.
 */
import type { Campaign, LaunchProgress } from '../campaign.js';
import { languageFor } from '../compose.js';
import { CampaignStateError, NotFoundError } from '../errors.js';
import type { JobStore } from '../job-ports.js';
import { queueLaunch, type QueueOptions, type QueueOutcome } from '../launch.js';
import { scheduleCampaign, type Schedules } from '../lifecycle.js';
import type { CampaignStore, Clock, Queue } from '../ports.js';
import { ApprovalRequiredError, SelfApprovalError, StaleVersionError } from './errors.js';
import { versionContent } from './diff.js';
import {
  type Actor,
  type Approval,
  type ApprovalMode,
  type AuditAction,
  type CampaignVersion,
  actorLabel,
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

/** Who an action is attributed to when no person did it (content changed outside a recorded edit). */
export const UNKNOWN_AUTHOR = '(unknown)';

/** An actor, or a bare sub (a process's name, or a test's user). */
export type ActorLike = Actor | string;

export const asActor = (a: ActorLike): Actor => (typeof a === 'string' ? { sub: a } : a);

const label = actorLabel;

async function load(store: CampaignStore, campaignId: string): Promise<Campaign> {
  const c = await store.getCampaign(campaignId);
  if (!c) throw new NotFoundError('campaign', campaignId);
  return c;
}

/** Appends one audit entry at the clock's time. */
export async function audit(
  deps: Pick<GovernanceDeps, 'clock' | 'governance'>,
  campaignId: string,
  actor: ActorLike,
  action: AuditAction,
  extra: { detail?: string; versionHash?: string } = {},
): Promise<void> {
  const a = asActor(actor);
  await deps.governance.appendAudit({
    campaignId,
    at: deps.clock.now().toISOString(),
    actor: a.sub,
    ...(a.email ? { actorEmail: a.email } : {}),
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
  author: ActorLike,
  reason: string,
): Promise<CampaignVersion> {
  const by = asActor(author);
  const campaign = await load(deps.store, campaignId);
  const identities = await deps.governance.recipientIdentities(campaignId);
  const hash = contentHash(campaign.statement, identities);
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
    author: by.sub,
    ...(by.email ? { authorEmail: by.email } : {}),
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
  // What this version holds, so that an approver can see what changed since the one they approved.
  await deps.governance.putVersionContent(versionContent(campaign, identities, version.number));
  await audit(deps, campaignId, by, latest ? 'edited' : 'created', {
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

/** The approvals of `version` that count: under two-person approval, none by its author (compared by sub). */
export async function validApprovals(
  deps: GovernanceDeps,
  version: CampaignVersion,
): Promise<Approval[]> {
  return (await deps.governance.approvals(version.campaignId, version.hash)).filter(
    (a) => deps.approvalMode === 'single' || a.approver !== version.author,
  );
}

function notImporting(campaign: Campaign, doing: string): void {
  if (campaign.import && campaign.import.state !== 'imported')
    throw new CampaignStateError(
      campaign.id,
      `cannot ${doing} while its recipients list is ${campaign.import.state === 'failed' ? 'a failed import' : `importing (${campaign.import.rows} rows read)`}`,
      { status: campaign.status, import: campaign.import.state },
    );
}

/**
 * Approves the current version for launch. `hash`, when given, must be the
 * current version's (the approver saw that content); under two-person
 * approval the version's author (same sub, whichever token) cannot approve it.
 */
export async function approveVersion(
  deps: GovernanceDeps,
  campaignId: string,
  actor: ActorLike,
  hash?: string,
): Promise<{ version: CampaignVersion; approval: Approval }> {
  const by = asActor(actor);
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
  notImporting(campaign, 'approve a campaign');
  const version = await currentVersion(deps, campaignId);
  if (hash && hash !== version.hash && !(hash.length >= 12 && version.hash.startsWith(hash)))
    throw new StaleVersionError(campaignId, hash, version.hash);
  if (deps.approvalMode === 'two-person' && by.sub === version.author)
    throw new SelfApprovalError(campaignId, version.hash, label(by.sub, by.email));
  const approval: Approval = {
    campaignId,
    hash: version.hash,
    approver: by.sub,
    ...(by.email ? { approverEmail: by.email } : {}),
    at: deps.clock.now().toISOString(),
  };
  await deps.governance.putApproval(approval);
  await audit(deps, campaignId, by, 'approved', {
    versionHash: version.hash,
    detail: `version ${version.number}${deps.approvalMode === 'single' ? ' (single-person mode)' : ''}`,
  });
  return { version, approval };
}

function approvalMissing(deps: GovernanceDeps, version: CampaignVersion): ApprovalRequiredError {
  const id = version.campaignId;
  const who =
    deps.approvalMode === 'two-person'
      ? `a campaigner other than its author (${label(version.author, version.authorEmail)})`
      : 'a campaigner';
  return new ApprovalRequiredError(
    id,
    version.hash,
    `campaign ${id} version ${version.number} (${shortHash(version.hash)}) is not approved: ${who} must approve it first (demarche approve ${id}, or POST /api/campaigns/${id}/approve); any change after an approval voids it`,
  );
}

/** The current version and a valid approval of it, or an ApprovalRequiredError saying what is missing. */
export async function requireApproval(
  deps: GovernanceDeps,
  campaignId: string,
): Promise<{ version: CampaignVersion; approval: Approval }> {
  const version = await currentVersion(deps, campaignId);
  const valid = await validApprovals(deps, version);
  if (!valid.length) throw approvalMissing(deps, version);
  return { version, approval: valid[0]! };
}

/**
 * In single-person mode the person launching (or scheduling) approves by doing
 * so, and that approval is logged like any other; under two-person approval a
 * missing approval is refused.
 */
async function approvedOrSingle(deps: GovernanceDeps, campaignId: string, actor: ActorLike) {
  try {
    return await requireApproval(deps, campaignId);
  } catch (err) {
    if (deps.approvalMode === 'single' && err instanceof ApprovalRequiredError)
      return approveVersion(deps, campaignId, actor);
    throw err;
  }
}

export type LaunchDeps = GovernanceDeps & {
  queue: Queue;
  jobStore: JobStore;
  schedules?: Schedules;
  preflight?: Preflight;
};

/**
 * Starts a launch: the campaign must be a draft or scheduled, its list fully
 * imported, and its latest version approved (in single-person mode the
 * launcher's launch is the approval, unless `approveIfSingle` is false: the
 * scheduler approves nothing). Moves it to `sending` with the launch's
 * progress at step 0 and logs who launched which version. Constant work
 * whatever the list's size: the queueing is the launch function's
 * (`runLaunch`), which checks the version against the stored content again.
 */
export async function beginLaunch(
  deps: LaunchDeps,
  campaignId: string,
  actor: ActorLike,
  opts: { approveIfSingle?: boolean } = {},
): Promise<{ campaign: Campaign; version: CampaignVersion; approval: Approval }> {
  const by = asActor(actor);
  const campaign = await load(deps.store, campaignId);
  if (campaign.status !== 'draft' && campaign.status !== 'scheduled') {
    throw new CampaignStateError(
      campaignId,
      campaign.status === 'sending'
        ? 'the campaign is already sending'
        : `cannot launch a campaign that is ${campaign.status}`,
      { status: campaign.status },
    );
  }
  notImporting(campaign, 'launch a campaign');
  const now = deps.clock.now();
  if (Date.parse(campaign.statement.deadline) <= now.getTime())
    throw new CampaignStateError(
      campaignId,
      `cannot launch: the deadline ${campaign.statement.deadline} has passed`,
    );
  const version = await deps.governance.latestVersion(campaignId);
  if (!version)
    throw new ApprovalRequiredError(
      campaignId,
      '',
      `campaign ${campaignId} has no recorded version to approve`,
    );
  let approval = (await validApprovals(deps, version))[0];
  if (!approval && deps.approvalMode === 'single' && opts.approveIfSingle !== false)
    approval = (await approveVersion(deps, campaignId, by, version.hash)).approval;
  if (!approval) throw approvalMissing(deps, version);
  // A launch SES would refuse is refused here, before anything moves (core/preflight.ts).
  await deps.preflight?.(campaignId);
  const at = now.toISOString();
  const launch: LaunchProgress = {
    state: 'queueing',
    versionHash: version.hash,
    by: by.sub,
    approvedBy: approval.approver,
    approvedAt: approval.at,
    total: campaign.recipientCount,
    queued: 0,
    step: 0,
    startedAt: at,
    updatedAt: at,
  };
  const moved = await deps.store.transition(campaignId, ['draft', 'scheduled'], 'sending', at, {
    launchedAt: at,
    launch,
  });
  if (!moved)
    throw new CampaignStateError(campaignId, 'cannot launch: the campaign changed meanwhile');
  // At the deadline, letters still queued expire (EventBridge Scheduler in AWS).
  await deps.schedules?.set('expire', campaignId, new Date(campaign.statement.deadline));
  await audit(deps, campaignId, by, 'launched', {
    versionHash: version.hash,
    detail: `version ${version.number}, approved by ${label(approval.approver, approval.approverEmail)}; queueing ${campaign.recipientCount} letters`,
  });
  return {
    campaign: { ...campaign, status: 'sending', launchedAt: at, launch },
    version,
    approval,
  };
}

/**
 * The launch function's work: queues a begun launch from its recorded
 * progress. On its first step it checks again that the stored content is the
 * approved version and that the approval stands; if not, nothing is queued,
 * the launch is marked failed and the campaign paused with the reason. Each
 * page's letters get the version hash and their exact subject before they go
 * on the queue.
 */
export async function runLaunch(
  deps: LaunchDeps,
  campaignId: string,
  opts: QueueOptions = {},
): Promise<{ outcome: QueueOutcome | 'refused'; queued: number }> {
  const campaign = await load(deps.store, campaignId);
  const progress = campaign.launch;
  if (!progress || progress.state !== 'queueing')
    return { outcome: 'idle', queued: progress?.queued ?? 0 };
  const versions = await deps.governance.versions(campaignId);
  const version = versions.find((v) => v.hash === progress.versionHash);
  const stillApproved = version && (await validApprovals(deps, version)).length > 0;
  const current = progress.step === 0 ? await currentVersion(deps, campaignId) : version;
  if (!version || !stillApproved || current?.hash !== progress.versionHash) {
    const error = !stillApproved
      ? 'the approval of the launched version is missing'
      : 'the stored content is not the approved version';
    await deps.jobStore.advance(
      campaignId,
      'launch',
      progress.step,
      {
        ...progress,
        state: 'failed',
        error,
        step: progress.step + 1,
        updatedAt: deps.clock.now().toISOString(),
      },
      { statuses: ['sending', 'paused'] },
    );
    await deps.store.transition(campaignId, ['sending'], 'paused', deps.clock.now().toISOString(), {
      pausedReason: `launch refused: ${error}`,
      pausedAt: deps.clock.now().toISOString(),
    });
    await audit(deps, campaignId, 'demarche', 'paused', { detail: `launch refused: ${error}` });
    return { outcome: 'refused', queued: 0 };
  }
  const result = await queueLaunch(deps, campaignId, {
    ...opts,
    beforeQueue: async (pending) => {
      await deps.governance.stampSome(campaignId, pending, version.hash, (r) => {
        const lang = languageFor(campaign, r);
        return version.subjects[lang] ?? campaign.statement.subject;
      });
      await opts.beforeQueue?.(pending);
    },
  });
  return { outcome: result.outcome, queued: result.progress?.queued ?? 0 };
}

/**
 * Launches the approved current version in one go: begins the launch and
 * queues it in this process. For callers that have no launch function to
 * hand it to (tests, tools); the API and the scheduler begin and hand over.
 */
export async function launchApproved(
  deps: LaunchDeps,
  campaignId: string,
  actor: ActorLike,
): Promise<{ queued: number; version?: CampaignVersion }> {
  const { version } = await beginLaunch(deps, campaignId, actor);
  const { queued } = await runLaunch(deps, campaignId);
  return { queued, version };
}

/**
 * Schedules the approved current version. The letters get their version
 * stamp when the launch queues them: a scheduled campaign's content cannot
 * change (edits need a draft), and the launch checks it again.
 */
export async function scheduleApproved(
  deps: GovernanceDeps & { schedules?: Schedules; preflight?: Preflight },
  campaignId: string,
  at: Date,
  actor: ActorLike,
  /** The office hours and plan the campaign is scheduled with. */
  extra: Pick<Campaign, 'delivery' | 'plan'> = {},
): Promise<Campaign> {
  const campaign = await load(deps.store, campaignId);
  notImporting(campaign, 'schedule a campaign');
  const { version, approval } = await approvedOrSingle(deps, campaignId, actor);
  await deps.preflight?.(campaignId, at);
  const scheduled = await scheduleCampaign(deps, campaignId, at, extra);
  await audit(deps, campaignId, actor, 'scheduled', {
    versionHash: version.hash,
    detail: `for ${at.toISOString()}; version ${version.number}, approved by ${label(approval.approver, approval.approverEmail)}`,
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
