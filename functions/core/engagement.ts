/**
 * What a recipient item says about engagement, read the same way by every
 * staff view. The events handler (delivery, opens, clicks, bounces) and the
 * replies handler write these attributes on the recipient item; the counters
 * stay the source of the campaign totals, these serve per-recipient filters,
 * splits of small campaigns and the fallback timeline.
 */
import type { CampaignRecipient } from './campaign.js';

/** Attribute names (first one found wins) for each engagement step on a recipient item. */
export const ENGAGEMENT_ATTRIBUTES = {
  delivered: ['deliveredAt'],
  opened: ['openedAt', 'firstOpenedAt'],
  clicked: ['clickedAt', 'firstClickedAt'],
  replied: ['repliedAt', 'firstRepliedAt'],
  bounced: ['bouncedAt'],
  complained: ['complainedAt'],
} as const;
export type EngagementStep = keyof typeof ENGAGEMENT_ATTRIBUTES;

/** When the recipient reached `step`, or undefined. */
export function stepAt(r: CampaignRecipient, step: EngagementStep): string | undefined {
  const item = r as unknown as Record<string, unknown>;
  for (const a of ENGAGEMENT_ATTRIBUTES[step]) {
    const v = item[a];
    if (typeof v === 'string' && v) return v;
  }
  return undefined;
}

/**
 * Whether the recipient reached `step`: its timestamp, or for bounces and
 * complaints the delivery state the events handler keeps (which carries no
 * timestamp of its own).
 */
export function reached(r: CampaignRecipient, step: EngagementStep): boolean {
  if (stepAt(r, step)) return true;
  const state = (r as unknown as Record<string, unknown>).deliveryState;
  if (step === 'bounced') return state === 'bouncedHard' || state === 'bouncedSoft';
  if (step === 'complained') return state === 'complained';
  return false;
}

export interface TimelineEntry {
  at: string;
  what: string;
  detail?: string;
}

/**
 * The timeline that can be read off the recipient item itself: the send
 * record and the engagement attributes. The full event timeline (every open,
 * click, reply) comes from the events store when it is there.
 */
export function timelineFromRecord(r: CampaignRecipient): TimelineEntry[] {
  const item = r as unknown as Record<string, unknown>;
  const out: TimelineEntry[] = [];
  const add = (at: unknown, what: string, detail?: string) => {
    if (typeof at === 'string' && at) out.push({ at, what, ...(detail ? { detail } : {}) });
  };
  add(r.claimedAt, 'claimed for sending');
  add(r.sentAt, 'sent', r.messageId ? `SES message ${r.messageId}` : undefined);
  if (r.state !== 'sent' && r.state !== 'pending' && r.state !== 'claimed')
    add(item.settledAt, r.state, r.failure);
  for (const step of Object.keys(ENGAGEMENT_ATTRIBUTES) as EngagementStep[])
    add(stepAt(r, step), step);
  return out.sort((a, b) => a.at.localeCompare(b.at));
}
