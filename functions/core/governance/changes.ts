/**
 * What an approver reads before approving: the current version, the last
 * version someone approved (whose approval counts), and what changed between
 * the two; and the "ready for approval" request a campaigner makes, which
 * the other campaigners see on their campaigns list (the dashboard's own
 * inbox) until the version they were asked about is approved or replaced.
 */
import { CampaignStateError, NotFoundError } from '../errors.js';
import { diffContent, type ContentDiff } from './diff.js';
import { audit, currentVersion, validApprovals, type GovernanceDeps } from './govern.js';
import { asActor, type ActorLike } from './govern.js';
import type { Approval, CampaignVersion } from './model.js';
import { StaleVersionError } from './errors.js';

export interface VersionChanges {
  current: CampaignVersion;
  approvals: Approval[];
  /** The latest earlier version with an approval that counts; absent when none was approved. */
  base?: CampaignVersion & { approvedBy: string[] };
  /** Against the base, or against nothing when no version was approved yet. */
  diff?: ContentDiff;
  /** False for versions recorded before content snapshots were kept. */
  snapshots: boolean;
}

/** The current version and what changed since the last approved one. */
export async function versionChanges(
  deps: GovernanceDeps,
  campaignId: string,
): Promise<VersionChanges> {
  const current = await currentVersion(deps, campaignId);
  const versions = await deps.governance.versions(campaignId);
  const approvals = await validApprovals(deps, current);
  let base: VersionChanges['base'];
  for (const v of versions.filter((x) => x.number < current.number).reverse()) {
    const ok = await validApprovals(deps, v);
    if (ok.length) {
      base = { ...v, approvedBy: ok.map((a) => a.approverEmail ?? a.approver) };
      break;
    }
  }
  const after = await deps.governance.versionContent(campaignId, current.number);
  const before = base ? await deps.governance.versionContent(campaignId, base.number) : undefined;
  const snapshots = !!after && (!base || !!before);
  return {
    current,
    approvals,
    ...(base ? { base } : {}),
    ...(snapshots ? { diff: diffContent(before, after) } : {}),
    snapshots,
  };
}

export interface ApprovalRequest {
  hash: string;
  by: string;
  byEmail?: string;
  at: string;
  note?: string;
}

/**
 * "Ready for approval": recorded on the draft (for the campaigns list of the
 * other campaigners) and in the audit log. `hash` must be the current
 * version's, so nobody is asked to approve content other than what its
 * author looked at.
 */
export async function requestApproval(
  deps: GovernanceDeps,
  campaignId: string,
  actor: ActorLike,
  hash: string,
  note?: string,
): Promise<ApprovalRequest> {
  const by = asActor(actor);
  const campaign = await deps.store.getCampaign(campaignId);
  if (!campaign) throw new NotFoundError('campaign', campaignId);
  if (campaign.status !== 'draft')
    throw new CampaignStateError(
      campaignId,
      `only a draft is put up for approval, not a ${campaign.status} campaign`,
      {
        status: campaign.status,
      },
    );
  const version = await currentVersion(deps, campaignId);
  if (hash !== version.hash) throw new StaleVersionError(campaignId, hash, version.hash);
  const request: ApprovalRequest = {
    hash,
    by: by.sub,
    ...(by.email ? { byEmail: by.email } : {}),
    at: deps.clock.now().toISOString(),
    ...(note ? { note } : {}),
  };
  const ok = await deps.store.transition(campaignId, ['draft'], 'draft', request.at, {
    approvalRequest: request,
  });
  if (!ok)
    throw new CampaignStateError(
      campaignId,
      'the campaign changed meanwhile; reload and try again',
    );
  await audit(deps, campaignId, by, 'approval-requested', {
    versionHash: hash,
    detail: `version ${version.number}${note ? `: ${note}` : ''}`,
  });
  return request;
}
