/**
 * Planning a stored campaign: the letters still to send (recipients in
 * `pending`), the statement's deadline, and the pace and office hours the
 * caller gives. What scheduling, the API and the dashboard call.
 */
import { NotFoundError } from '../errors.js';
import type { CampaignStore, Clock } from '../ports.js';
import { type Plan, type PlanOptions, type PlanRecipient, planSendOut } from './plan.js';

export type CampaignPlanOptions = Omit<PlanOptions, 'deadline' | 'earliestStart'> & {
  /** Default: the clock's now. */
  earliestStart?: Date;
  /** Default: the statement's deadline. */
  deadline?: Date;
};

/**
 * Plans the rest of a campaign's send-out from what is stored: every letter
 * not yet claimed or settled. Reads recipients page by page (ids and
 * countries only are kept), so a large campaign costs memory for two short
 * strings per recipient.
 */
export async function planCampaign(
  deps: { store: CampaignStore; clock: Clock },
  campaignId: string,
  options: CampaignPlanOptions,
): Promise<Plan> {
  const campaign = await deps.store.getCampaign(campaignId);
  if (!campaign) throw new NotFoundError('campaign', campaignId);
  const recipients: PlanRecipient[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.recipientsPage(campaignId, cursor, 500);
    for (const r of page.items) {
      if (r.state === 'pending')
        recipients.push(r.country ? { id: r.id, country: r.country } : { id: r.id });
    }
    cursor = page.cursor;
  } while (cursor);
  return planSendOut(recipients, {
    ...options,
    deadline: options.deadline ?? new Date(campaign.statement.deadline),
    earliestStart: options.earliestStart ?? deps.clock.now(),
  });
}
