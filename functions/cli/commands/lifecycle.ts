/**
 * `demarche schedule | pause | resume | cancel`: the campaign lifecycle from
 * the command line, through the same core operations the API and the
 * scheduler use. Refused moves print the reason and exit 1.
 */
import type { Campaign } from '../../core/campaign.js';
import { CampaignStateError } from '../../core/errors.js';
import { cancelCampaign, pauseCampaign, resumeCampaign } from '../../core/lifecycle.js';
import { audit } from '../../core/governance/govern.js';
import { cliActor } from './governance.js';
import { parseQuota, parseRate } from './plan.js';
import { formatPlan } from '../../core/planner/format.js';
import { scheduleFromPlan } from '../../core/planner/schedule.js';
import { parseOfficeHours } from '../../core/planner/time.js';
import { openTarget, type Target, type TargetOptions } from '../target.js';

type Opts = TargetOptions & { json?: boolean; as?: string };

function print(opts: Opts, campaign: Campaign, line: string, extra: Record<string, unknown> = {}) {
  if (opts.json) {
    const { id, status, scheduledAt, pausedReason } = campaign;
    process.stdout.write(
      `${JSON.stringify({ id, status, scheduledAt, pausedReason, ...extra }, null, 2)}\n`,
    );
  } else process.stdout.write(`${line}\n`);
}

async function withTarget(opts: Opts, fn: (t: Target) => Promise<void>): Promise<void> {
  const target = await openTarget(opts);
  try {
    await fn(target);
  } finally {
    await target.stop();
  }
}

export interface ScheduleOptions extends Opts {
  at?: string;
  rate?: string;
  quota?: string;
  window?: string;
  days?: string;
  zone?: string;
  anyTime?: boolean;
}

/**
 * Schedules a draft from its plan: every letter inside its recipient's office
 * hours before the deadline, launching at --at or at the plan's proposed
 * start; refused with the shortfall when the plan does not fit. --any-time
 * schedules at --at with no office hours (supporters rather than offices).
 */
export async function scheduleCommand(campaignId: string, opts: ScheduleOptions): Promise<void> {
  const at = opts.at;
  if (
    at !== undefined &&
    (!/(Z|[+-]\d\d:?\d\d)$/i.test(at.trim()) || Number.isNaN(Date.parse(at)))
  ) {
    throw new CampaignStateError(
      campaignId,
      `--at ${JSON.stringify(at)} is not an ISO 8601 time with a zone (e.g. 2027-01-10T08:00:00+01:00)`,
      { field: 'at' },
    );
  }
  if (opts.anyTime && at === undefined) {
    throw new CampaignStateError(
      campaignId,
      '--any-time needs --at (there is no plan to take a start from)',
      {
        field: 'at',
      },
    );
  }
  const hours = parseOfficeHours(opts.window, opts.days);
  const quota = opts.quota ? parseQuota(opts.quota) : undefined;
  await withTarget(opts, async (t) => {
    const rate = opts.rate ? parseRate(opts.rate) : await t.deps.sendRate();
    const { campaign: c, plan } = await scheduleFromPlan(t.deps, campaignId, {
      ...(at !== undefined ? { at: new Date(at) } : {}),
      rate,
      ...(quota !== undefined ? { quota } : {}),
      hours,
      ...(opts.zone ? { zone: opts.zone } : {}),
      anyTime: opts.anyTime === true,
      actor: cliActor(opts),
    });
    const where =
      t.kind === 'local'
        ? ' (the local runtime launches it while `npm start` is serving)'
        : ' (EventBridge Scheduler launches it)';
    const planned = plan ? `\n${formatPlan(plan)}` : '\nLetters go out at any hour (--any-time).';
    print(
      opts,
      c,
      `Campaign ${c.id} is scheduled to launch at ${c.scheduledAt}${where}.${planned}`,
      {
        plan: c.plan,
        delivery: c.delivery,
      },
    );
  });
}

export async function pauseCommand(
  campaignId: string,
  opts: Opts & { reason?: string },
): Promise<void> {
  await withTarget(opts, async (t) => {
    const c = await pauseCampaign(t.deps, campaignId, opts.reason);
    await audit(
      t.deps,
      campaignId,
      cliActor(opts),
      'paused',
      opts.reason ? { detail: opts.reason } : {},
    );
    print(opts, c, `Campaign ${c.id} is paused: ${c.pausedReason}.`);
  });
}

/** Resumes a paused campaign; locally, waits until the resumed letters are handled. */
export async function resumeCommand(campaignId: string, opts: Opts): Promise<void> {
  await withTarget(opts, async (t) => {
    const { campaign, queued } = await resumeCampaign(t.deps, campaignId);
    await audit(t.deps, campaignId, cliActor(opts), 'resumed', {
      detail: `${queued} letters back on the queue`,
    });
    await t.drained();
    print(opts, campaign, `Campaign ${campaign.id} resumed: ${queued} letters back on the queue.`, {
      queued,
    });
  });
}

export async function cancelCommand(campaignId: string, opts: Opts): Promise<void> {
  await withTarget(opts, async (t) => {
    const { campaign, expired } = await cancelCampaign(t.deps, campaignId);
    await audit(t.deps, campaignId, cliActor(opts), 'cancelled', {
      detail: `${expired} letters not sent`,
    });
    print(
      opts,
      campaign,
      `Campaign ${campaign.id} is cancelled; ${expired} letters not yet sent will not be.`,
      { expired },
    );
  });
}
