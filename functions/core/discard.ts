/**
 * Tidying the campaigns list: archiving hides a campaign from the list (and
 * shows it again), deleting removes a draft's or a dry run's recipients and
 * letters. Neither touches a campaign's versions, approvals or audit log:
 * those records are never changed or removed (governance), so a deleted
 * campaign still says who made it, who deleted it and why.
 *
 * Only what never reached anyone may be deleted: a draft, or a dry run
 * (which called no mail service). A campaign that sent letters keeps its
 * recipients for its report and its retention period; archive it instead.
 */
import type { Campaign, CampaignStatus } from './campaign.js';
import { CampaignStateError } from './errors.js';
import type { Actor } from './governance/model.js';
import type { Schedules } from './lifecycle.js';
import type { CampaignStore, Clock } from './ports.js';

/** Removes a campaign's items other than its head, a page at a time (adapters/dynamo-discard.ts). */
export interface CampaignEraser {
  /** Deletes up to `limit` of the campaign's other items (recipients with their erasure-index entries first); how many went and whether any remain. */
  erasePage(campaignId: string, limit: number): Promise<{ removed: number; remaining: boolean }>;
}

export interface DiscardDeps {
  store: CampaignStore;
  clock: Clock;
  eraser: CampaignEraser;
  schedules?: Schedules;
}

/** A live campaign stays in the list: it is still sending or about to. */
const LIVE: CampaignStatus[] = ['scheduled', 'sending', 'paused'];

function refuse(c: Campaign, message: string): never {
  throw new CampaignStateError(c.id, message, { status: c.status });
}

/** Hides the campaign from the list (`archived`), or shows it again. */
export async function setArchived(
  deps: Pick<DiscardDeps, 'store' | 'clock'>,
  c: Campaign,
  archived: boolean,
  actor: Actor,
): Promise<Campaign> {
  if (c.deleted) refuse(c, 'is deleted; there is nothing to archive');
  if (archived && LIVE.includes(c.status))
    refuse(c, `is ${c.status}: cancel it, or let it finish, before archiving it`);
  if (Boolean(c.archive?.archived) === archived)
    refuse(c, archived ? 'is archived already' : 'is not archived');
  const at = deps.clock.now().toISOString();
  const archive = {
    archived,
    at,
    by: actor.sub,
    ...(actor.email ? { byEmail: actor.email } : {}),
  };
  const ok = await deps.store.transition(c.id, [c.status], c.status, at, { archive });
  if (!ok) refuse(c, 'changed meanwhile; read it again');
  return { ...c, archive };
}

/** Why `c` may not be deleted, or undefined when it may. */
export function deleteRefusal(c: Campaign): string | undefined {
  if (c.dryRun) {
    return c.status === 'sending'
      ? 'is a dry run still rendering its letters: pause it first'
      : undefined;
  }
  if (c.status !== 'draft' || c.launchedAt)
    return `is ${c.status}: only a draft or a dry run can be deleted (archive it instead)`;
  return undefined;
}

/** Items removed per request: a few seconds of DynamoDB batch deletes, well inside the API's time. */
export const DELETE_PAGE = 1_000;

/**
 * Deletes a draft or a dry run: the first call marks it deleted (cancelling a
 * draft or a paused or scheduled dry run, so nothing can launch it), and each
 * call removes up to DELETE_PAGE of its items. The caller asks again while
 * `remaining`; a call after the last finds nothing left and says so.
 */
export async function deleteCampaign(
  deps: DiscardDeps,
  c: Campaign,
  actor: Actor,
  reason?: string,
): Promise<{ campaign: Campaign; removed: number; remaining: boolean; first: boolean }> {
  let campaign = c;
  const first = !c.deleted;
  if (first) {
    const refusal = deleteRefusal(c);
    if (refusal) refuse(c, refusal);
    const at = deps.clock.now().toISOString();
    const deleted = {
      at,
      by: actor.sub,
      ...(actor.email ? { byEmail: actor.email } : {}),
      ...(reason ? { reason } : {}),
    };
    const to: CampaignStatus = ['draft', 'scheduled', 'paused'].includes(c.status)
      ? 'cancelled'
      : c.status;
    const extra = to === c.status ? { deleted } : { deleted, cancelledAt: at };
    const ok = await deps.store.transition(c.id, [c.status], to, at, extra);
    if (!ok) refuse(c, 'changed meanwhile; read it again');
    if (c.status === 'scheduled') await deps.schedules?.clear('launch', c.id);
    campaign = { ...c, ...extra, status: to };
  }
  const { removed, remaining } = await deps.eraser.erasePage(c.id, DELETE_PAGE);
  if (!remaining && !campaign.deleted!.done) {
    const done = { ...campaign.deleted!, done: true };
    const at = deps.clock.now().toISOString();
    await deps.store.transition(c.id, [campaign.status], campaign.status, at, { deleted: done });
    campaign = { ...campaign, deleted: done };
  }
  return { campaign, removed, remaining, first };
}
