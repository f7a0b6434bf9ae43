/**
 * `demarche schedule | pause | resume | cancel`: the campaign lifecycle
 * through the staff API, which logs who did it. Refused moves print the
 * server's reason and exit 1.
 */
import { CampaignStateError } from '../../core/errors.js';
import type { CampaignJson } from '../output.js';
import type { TargetOptions } from '../target.js';
import { parseQuota, parseRate } from './plan.js';
import { withClient } from './status.js';

type Opts = TargetOptions & { json?: boolean };

function print(
  opts: Opts,
  campaign: CampaignJson,
  line: string,
  extra: Record<string, unknown> = {},
) {
  if (opts.json) {
    const { id, status, scheduledAt, pausedReason } = campaign;
    process.stdout.write(
      `${JSON.stringify({ id, status, scheduledAt, pausedReason, ...extra }, null, 2)}\n`,
    );
  } else process.stdout.write(`${line}\n`);
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
      { field: 'at' },
    );
  }
  const body = {
    ...(at !== undefined ? { at: new Date(at).toISOString() } : {}),
    ...(opts.rate ? { rate: parseRate(opts.rate) } : {}),
    ...(opts.quota ? { quota: parseQuota(opts.quota) } : {}),
    ...(opts.window ? { window: opts.window } : {}),
    ...(opts.days ? { days: opts.days } : {}),
    ...(opts.zone ? { zone: opts.zone } : {}),
    anyTime: opts.anyTime === true,
  };
  await withClient(opts, async (client) => {
    const c = await client.call<
      CampaignJson & { planText?: string; plan?: unknown; delivery?: unknown }
    >('POST', `/api/campaigns/${encodeURIComponent(campaignId)}/schedule`, body);
    const where =
      client.kind === 'local'
        ? ' (the local runtime launches it while `npm start` is serving)'
        : ' (EventBridge Scheduler launches it)';
    const planned = c.planText ? `\n${c.planText}` : '\nLetters go out at any hour (--any-time).';
    print(
      opts,
      c,
      `Campaign ${c.id} is scheduled to launch at ${c.scheduledAt}${where}.${planned}`,
      { plan: c.plan, delivery: c.delivery },
    );
  });
}

export async function pauseCommand(
  campaignId: string,
  opts: Opts & { reason?: string },
): Promise<void> {
  await withClient(opts, async (client) => {
    const c = await client.call<CampaignJson>(
      'POST',
      `/api/campaigns/${encodeURIComponent(campaignId)}/pause`,
      opts.reason ? { reason: opts.reason } : {},
    );
    print(opts, c, `Campaign ${c.id} is paused: ${c.pausedReason}.`);
  });
}

/** Resumes a paused campaign: its letters not yet sent go back on the queue. */
export async function resumeCommand(campaignId: string, opts: Opts): Promise<void> {
  await withClient(opts, async (client) => {
    const { campaign, queued } = await client.call<{ campaign: CampaignJson; queued: number }>(
      'POST',
      `/api/campaigns/${encodeURIComponent(campaignId)}/resume`,
      {},
    );
    print(opts, campaign, `Campaign ${campaign.id} resumed: ${queued} letters back on the queue.`, {
      queued,
    });
  });
}

export async function cancelCommand(campaignId: string, opts: Opts): Promise<void> {
  await withClient(opts, async (client) => {
    const { campaign, expired } = await client.call<{ campaign: CampaignJson; expired: number }>(
      'POST',
      `/api/campaigns/${encodeURIComponent(campaignId)}/cancel`,
      {},
    );
    print(
      opts,
      campaign,
      `Campaign ${campaign.id} is cancelled; ${expired} letters not yet sent will not be.`,
      { expired },
    );
  });
}
