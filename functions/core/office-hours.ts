/**
 * Sending inside each recipient's office hours. A campaign with a
 * delivery window sends a letter only while its recipient's office is open, in
 * the zone of the recipient's country; a letter claimed outside those hours is
 * held (state `held`, with the opening it waits for) and the scheduler puts it
 * back on the queue when that time comes (core/held.ts). Pure: the zone rules
 * come from Intl through planner/time.ts.
 */
import type { Campaign, CampaignRecipient, DeliveryWindow, PlanSummary } from './campaign.js';
import type { Plan } from './planner/plan.js';
import { inOfficeHours, nextOfficeTime } from './planner/time.js';
import { zoneForCountry } from './planner/zones.js';

/** The zone whose office hours a recipient's letter must land in. */
export function recipientZone(window: DeliveryWindow, country: string | undefined): string {
  return zoneForCountry(country) ?? window.zone;
}

/**
 * When a letter claimed at `nowMs` must wait until (epoch ms), or undefined
 * when it may go now: the campaign has no delivery window, the recipient's
 * office is open, or it would not open again before the send cutoff — a
 * letter outside office hours still beats no letter before the meeting, so
 * the last chance is taken rather than the letter expired.
 */
export function holdUntil(
  campaign: Pick<Campaign, 'delivery'>,
  recipient: Pick<CampaignRecipient, 'country'>,
  nowMs: number,
  cutoffMs: number,
): number | undefined {
  const window = campaign.delivery;
  if (!window) return undefined;
  const zone = recipientZone(window, recipient.country);
  if (inOfficeHours(zone, window.hours, nowMs)) return undefined;
  const opens = nextOfficeTime(zone, window.hours, nowMs);
  return opens < cutoffMs ? opens : undefined;
}

/** The part of a plan worth storing on the campaign (the full plan lists every send). */
export function summarisePlan(plan: Plan, computedAt: Date): PlanSummary {
  return {
    computedAt: computedAt.toISOString(),
    feasible: plan.feasible,
    letters: plan.letters,
    ...(plan.start ? { start: plan.start } : {}),
    ...(plan.finish ? { finish: plan.finish } : {}),
    deadline: plan.deadline,
    rate: plan.rate,
    ...(plan.quota !== undefined ? { quota: plan.quota } : {}),
    zones: plan.zones.map((z) => ({
      zone: z.zone,
      letters: z.letters,
      ...(z.first ? { first: z.first } : {}),
      ...(z.last ? { last: z.last } : {}),
    })),
  };
}
