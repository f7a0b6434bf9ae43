/**
 * The campaign lifecycle as operations over the store: schedule, pause,
 * resume, cancel, expire. Each is one conditional status write along
 * TRANSITIONS (campaign.ts); an illegal move gets a CampaignStateError naming
 * the state the campaign is in. The CLI, the API and the scheduler call these.
 */
import { type Campaign, type CampaignStatus, TRANSITIONS } from './campaign.js';
import { CampaignStateError, NotFoundError } from './errors.js';
import { launchCampaign } from './launch.js';
import type { CampaignStore, Clock, Queue } from './ports.js';

export type ScheduledAction = 'launch' | 'expire';

/**
 * Timed actions (EventBridge Scheduler in AWS). Optional: the local runtime's
 * timer ticks instead, finding due campaigns from their stored times.
 */
export interface Schedules {
  /** Arranges for `action` to run for the campaign at `when`, replacing one already arranged. */
  set(action: ScheduledAction, campaignId: string, when: Date): Promise<void>;
  /** Drops an arranged action; nothing happens when there is none. */
  clear(action: ScheduledAction, campaignId: string): Promise<void>;
}

export interface LifecycleDeps {
  store: CampaignStore;
  clock: Clock;
  schedules?: Schedules;
}

const VERB: Partial<Record<CampaignStatus, string>> = {
  scheduled: 'schedule',
  sending: 'resume',
  paused: 'pause',
  cancelled: 'cancel',
  expired: 'expire',
  draft: 'unschedule',
};

async function load(store: CampaignStore, campaignId: string): Promise<Campaign> {
  const campaign = await store.getCampaign(campaignId);
  if (!campaign) throw new NotFoundError('campaign', campaignId);
  return campaign;
}

/**
 * Moves the campaign from the status it is read in to `to`, conditionally on
 * that status: a concurrent change makes this fail loudly rather than
 * overwrite it.
 */
async function move(
  deps: LifecycleDeps,
  campaign: Campaign,
  to: CampaignStatus,
  extra: Record<string, unknown> = {},
): Promise<Campaign> {
  const verb = VERB[to] ?? `move to ${to}`;
  if (!TRANSITIONS[campaign.status].includes(to)) {
    throw new CampaignStateError(
      campaign.id,
      `cannot ${verb} a campaign that is ${campaign.status}`,
      {
        status: campaign.status,
        to,
      },
    );
  }
  const at = deps.clock.now().toISOString();
  const moved = await deps.store.transition(campaign.id, [campaign.status], to, at, extra);
  if (!moved) {
    const now = await load(deps.store, campaign.id);
    throw new CampaignStateError(
      campaign.id,
      `cannot ${verb}: the campaign changed to ${now.status} meanwhile`,
      { status: now.status, to },
    );
  }
  return { ...campaign, ...extra, status: to };
}

/** Schedules a draft to launch at `at`, which must lie between now and the deadline. */
export async function scheduleCampaign(
  deps: LifecycleDeps,
  campaignId: string,
  at: Date,
  /** Stored with the move: the office hours to send in and the plan they come from (issue 10). */
  extra: Pick<Campaign, 'delivery' | 'plan'> = {},
): Promise<Campaign> {
  const campaign = await load(deps.store, campaignId);
  if (Number.isNaN(at.getTime())) {
    throw new CampaignStateError(campaignId, 'the launch time is not a valid date', {
      field: 'at',
    });
  }
  if (at.getTime() <= deps.clock.now().getTime()) {
    throw new CampaignStateError(campaignId, `the launch time ${at.toISOString()} is in the past`, {
      field: 'at',
    });
  }
  if (at.getTime() >= Date.parse(campaign.statement.deadline)) {
    throw new CampaignStateError(
      campaignId,
      `the launch time ${at.toISOString()} is not before the deadline ${campaign.statement.deadline}`,
      { field: 'at' },
    );
  }
  const moved = await move(deps, campaign, 'scheduled', {
    scheduledAt: at.toISOString(),
    ...extra,
  });
  await deps.schedules?.set('launch', campaignId, at);
  await deps.schedules?.set('expire', campaignId, new Date(campaign.statement.deadline));
  return moved;
}

/**
 * Pauses a sending campaign. Letters already handed to SES are not recalled;
 * queued jobs wait (the sender sends nothing for a paused campaign).
 */
export async function pauseCampaign(
  deps: LifecycleDeps,
  campaignId: string,
  reason = 'paused by staff',
): Promise<Campaign> {
  const campaign = await load(deps.store, campaignId);
  return move(deps, campaign, 'paused', {
    pausedReason: reason,
    pausedAt: deps.clock.now().toISOString(),
  });
}

/**
 * Pauses a sending campaign for a fault only a person can fix (SES refusing
 * to send for the account or its configuration), with the reason and the fix
 * in `pausedReason`. Conditional on `sending`, so that of many senders
 * meeting the same fault at once exactly one pauses it: true for that one.
 */
export async function pauseForFault(
  deps: LifecycleDeps,
  campaignId: string,
  reason: string,
): Promise<boolean> {
  const at = deps.clock.now().toISOString();
  return deps.store.transition(campaignId, ['sending'], 'paused', at, {
    pausedReason: reason,
    pausedAt: at,
  });
}

/**
 * Resumes a paused campaign and puts its still-pending letters back on the

 * queue (jobs that waited out the pause may have left it); claims make any
 * repeated job harmless.
 */
export async function resumeCampaign(
  deps: LifecycleDeps & { queue: Queue },
  campaignId: string,
): Promise<{ campaign: Campaign; queued: number }> {
  const campaign = await load(deps.store, campaignId);
  if (campaign.status !== 'paused') {
    throw new CampaignStateError(
      campaignId,
      `cannot resume a campaign that is ${campaign.status}`,
      {
        status: campaign.status,
        to: 'sending',
      },
    );
  }
  if (Date.parse(campaign.statement.deadline) <= deps.clock.now().getTime()) {
    throw new CampaignStateError(
      campaignId,
      `cannot resume: the deadline ${campaign.statement.deadline} has passed`,
      { status: campaign.status },
    );
  }
  const moved = await move(deps, campaign, 'sending', { pausedReason: '' });
  const { queued } = await launchCampaign(deps, campaignId);
  return { campaign: moved, queued };
}

/**
 * Cancels a campaign before it is done. Nothing more is sent; letters still
 * pending are settled as expired ("campaign cancelled") so the counts add up.
 */
export async function cancelCampaign(
  deps: LifecycleDeps,
  campaignId: string,
): Promise<{ campaign: Campaign; expired: number }> {
  const campaign = await load(deps.store, campaignId);
  const moved = await move(deps, campaign, 'cancelled', {
    cancelledAt: deps.clock.now().toISOString(),
  });
  await deps.schedules?.clear('launch', campaignId);
  await deps.schedules?.clear('expire', campaignId);
  return { campaign: moved, expired: await expirePending(deps, campaignId, 'campaign cancelled') };
}

/**
 * Expires a campaign whose deadline has passed: nothing is sent from now on,
 * and every letter still pending becomes `expired`. Safe to call again (an
 * already expired campaign only has its pending letters settled).
 */
export async function expireCampaign(
  deps: LifecycleDeps,
  campaignId: string,
): Promise<{ campaign: Campaign; expired: number }> {
  let campaign = await load(deps.store, campaignId);
  if (Date.parse(campaign.statement.deadline) > deps.clock.now().getTime()) {
    throw new CampaignStateError(
      campaignId,
      `cannot expire before the deadline ${campaign.statement.deadline}`,
      { status: campaign.status },
    );
  }
  if (campaign.status !== 'expired' && TRANSITIONS[campaign.status].includes('expired')) {
    campaign = await move(deps, campaign, 'expired', {
      expiredAt: deps.clock.now().toISOString(),
    });
  }
  return { campaign, expired: await expirePending(deps, campaignId, 'deadline passed') };
}

/** Settles every pending (or held) letter of a campaign as expired, page by page; returns how many. */
async function expirePending(
  deps: LifecycleDeps,
  campaignId: string,
  reason: string,
): Promise<number> {
  let expired = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.store.recipientsPage(campaignId, cursor, 500);
    for (const r of page.items) {
      // Letters held for office hours are as unsent as pending ones.
      if (r.state !== 'pending' && r.state !== 'held') continue;
      const at = deps.clock.now().toISOString();
      if (await deps.store.settle(campaignId, r.id, ['pending', 'held'], 'expired', at, reason))
        expired++;
    }
    cursor = page.cursor;
  } while (cursor);
  return expired;
}

/** What the scheduler must do now: launch campaigns whose time has come, expire those past deadline. */
export function dueActions(
  campaigns: Campaign[],
  now: Date,
): { action: 'launch' | 'expire'; campaignId: string }[] {
  const t = now.getTime();
  const out: { action: 'launch' | 'expire'; campaignId: string }[] = [];
  for (const c of campaigns) {
    const pastDeadline = Date.parse(c.statement.deadline) <= t;
    if (pastDeadline && ['scheduled', 'sending', 'paused'].includes(c.status)) {
      out.push({ action: 'expire', campaignId: c.id });
    } else if (
      !pastDeadline &&
      c.status === 'scheduled' &&
      c.scheduledAt &&
      Date.parse(c.scheduledAt) <= t
    ) {
      out.push({ action: 'launch', campaignId: c.id });
    }
  }
  return out;
}
