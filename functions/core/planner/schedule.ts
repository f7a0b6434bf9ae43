/**
 * Scheduling a campaign from its plan (issue 10): the plan decides whether
 * the send-out fits in its recipients' office hours before the deadline, and
 * when it starts if the campaigner gives no time; the campaign keeps the
 * office hours (so the sender holds letters outside them) and the plan (so
 * the dashboard shows the expected finish against the deadline).
 */
import type { Campaign } from '../campaign.js';
import { scheduleApproved, type ActorLike } from '../governance/govern.js';
import { summarisePlan } from '../office-hours.js';
import { planCampaign } from './campaign-plan.js';
import { PlanInfeasibleError } from './errors.js';
import { formatPlan } from './format.js';
import type { Plan } from './plan.js';
import { DEFAULT_OFFICE_HOURS, MINUTE, type OfficeHours } from './time.js';

export interface ScheduleRequest {
  /** Launch time; default: the plan's proposed start. */
  at?: Date;
  /** Letters per second the senders are paced to (the deployment's configured rate). */
  rate: number;
  quota?: number;
  hours?: OfficeHours;
  /** Zone of recipients whose country gives none. */
  zone?: string;
  /**
   * Send at any hour: no plan, no holds (a campaign to supporters rather
   * than offices). `at` is then required.
   */
  anyTime?: boolean;
  actor: ActorLike;
}

/** Europe/Brussels: where the ministers' meetings demarche serves are held. */
export const DEFAULT_PLAN_ZONE = 'Europe/Brussels';

/** A proposed start is at least this far ahead, so that it is still in the future when stored. */
const LEAD = MINUTE;

type ScheduleDeps = Parameters<typeof scheduleApproved>[0] & Parameters<typeof planCampaign>[0];

/**
 * Plans the campaign from `at` (or a minute from now) and schedules it when
 * every letter lands in office hours before the deadline; otherwise refuses
 * with the plan's shortfall and what would fix it (PlanInfeasibleError,
 * nothing changed). Returns the scheduled campaign and the plan.
 */
export async function scheduleFromPlan(
  deps: ScheduleDeps,
  campaignId: string,
  req: ScheduleRequest,
): Promise<{ campaign: Campaign; plan?: Plan }> {
  if (req.anyTime) {
    if (!req.at) throw new PlanInfeasibleError('a launch time is needed to send at any hour', {});
    return { campaign: await scheduleApproved(deps, campaignId, req.at, req.actor) };
  }
  const now = deps.clock.now();
  const hours = req.hours ?? DEFAULT_OFFICE_HOURS;
  const zone = req.zone ?? DEFAULT_PLAN_ZONE;
  const plan = await planCampaign(deps, campaignId, {
    rate: req.rate,
    ...(req.quota !== undefined ? { quota: req.quota } : {}),
    hours,
    zone,
    earliestStart: req.at ?? new Date(now.getTime() + LEAD),
  });
  if (!plan.feasible) {
    throw new PlanInfeasibleError(
      `campaign ${campaignId} cannot be scheduled: ${formatPlan(plan)}`,
      { field: 'at', shortfall: plan.shortfall },
    );
  }
  const at = req.at ?? new Date(plan.start ?? now.getTime() + LEAD);
  const campaign = await scheduleApproved(deps, campaignId, at, req.actor, {
    delivery: { hours, zone },
    plan: summarisePlan(plan, now),
  });
  return { campaign, plan };
}
