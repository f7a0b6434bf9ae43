/**
 * The plan and the follow-ups of a campaign, for the dashboard:
 * when the send-out is expected to finish against the deadline, how many
 * letters wait for their recipients' office hours, and the follow-up letters
 * that chase this campaign's recipients.
 */
import type { Campaign, PlanSummary } from '../core/campaign.js';
import { summarisePlan } from '../core/office-hours.js';
import { planCampaign } from '../core/planner/campaign-plan.js';
import { formatPlan } from '../core/planner/format.js';
import { DEFAULT_PLAN_ZONE } from '../core/planner/schedule.js';
import { DEFAULT_OFFICE_HOURS } from '../core/planner/time.js';
import { loadCampaign } from './campaign-routes.js';
import { json } from './errors.js';
import type { ApiRoute } from './router.js';

/** A draft larger than this is not planned on every dashboard view (`demarche plan` does it). */
export const LIVE_PLAN_LIMIT = 5_000;

export interface PlanView {
  /** The plan: stored when the campaign was scheduled, or computed now for a draft. */
  plan?: PlanSummary;
  /** "stored": the plan it was scheduled from; "draft": what scheduling now would do. */
  source?: 'stored' | 'draft';
  /** The plan in words (drafts only: a stored plan is summarised by the dashboard). */
  text?: string;
  /** Minutes between the expected finish and the deadline (negative: late). */
  marginMinutes?: number;
  /** Letters waiting for their recipient's office to open. */
  held: number;
  officeHours?: Campaign['delivery'];
  followUps: {
    id: string;
    status: string;
    subject: string;
    audience?: string;
    scheduledAt?: string;
    recipientCount: number;
  }[];
}

export const planRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/campaigns/:id/plan',
    role: 'viewer',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const { deps } = ctx;
      const view: PlanView = { held: 0, followUps: [] };
      if (c.plan) {
        view.plan = c.plan;
        view.source = 'stored';
      } else if (c.status === 'draft' && c.recipientCount <= LIVE_PLAN_LIMIT) {
        const plan = await planCampaign(deps, c.id, {
          rate: await deps.sendRate(),
          hours: DEFAULT_OFFICE_HOURS,
          zone: DEFAULT_PLAN_ZONE,
        });
        view.plan = summarisePlan(plan, deps.clock.now());
        view.source = 'draft';
        view.text = formatPlan(plan);
      }
      if (view.plan?.finish)
        view.marginMinutes = Math.floor(
          (Date.parse(view.plan.deadline) - Date.parse(view.plan.finish)) / 60_000,
        );
      if (c.delivery) {
        view.officeHours = c.delivery;
        view.held = await deps.held.count(c.id);
      }
      view.followUps = (await deps.store.listCampaigns())
        .filter((f) => f.followUpOf === c.id)
        .map((f) => ({
          id: f.id,
          status: f.status,
          subject: f.statement.subject,
          ...(f.followUpAudience ? { audience: f.followUpAudience } : {}),
          ...(f.scheduledAt ? { scheduledAt: f.scheduledAt } : {}),
          recipientCount: f.recipientCount,
        }));
      return json(200, view);
    },
  },
];
