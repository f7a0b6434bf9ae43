/**
 * `demarche schedule | pause | resume | cancel`: the campaign lifecycle from
 * the command line, through the same core operations the API and the
 * scheduler use. Refused moves print the reason and exit 1.
 */
import type { Campaign } from '../../core/campaign.js';
import { CampaignStateError } from '../../core/errors.js';
import { cancelCampaign, pauseCampaign, resumeCampaign } from '../../core/lifecycle.js';
import { audit, scheduleApproved } from '../../core/governance/govern.js';
import { cliActor } from './governance.js';
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

/** Schedules a draft to launch at an ISO time with a zone. */
export async function scheduleCommand(campaignId: string, at: string, opts: Opts): Promise<void> {
  if (!/(Z|[+-]\d\d:?\d\d)$/i.test(at.trim()) || Number.isNaN(Date.parse(at))) {
    throw new CampaignStateError(
      campaignId,
      `--at ${JSON.stringify(at)} is not an ISO 8601 time with a zone (e.g. 2027-01-10T08:00:00+01:00)`,
      { field: 'at' },
    );
  }
  await withTarget(opts, async (t) => {
    const c = await scheduleApproved(t.deps, campaignId, new Date(at), cliActor(opts));
    const where =
      t.kind === 'local'
        ? ' (the local runtime launches it while `npm start` is serving)'
        : ' (EventBridge Scheduler launches it)';
    print(opts, c, `Campaign ${c.id} is scheduled to launch at ${c.scheduledAt}${where}.`);
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
