/**
 * First-party tracking switches. A campaign may turn open and click tracking
 * off for everyone or for one group (e.g. no pixel for officials); what is
 * switched off is neither put in the letter nor recorded when fetched.
 */
import type { Group } from '../recipients.js';

export interface TrackingSwitches {
  opens?: boolean;
  clicks?: boolean;
}

/** The optional `tracking` field of a campaign. Absent means everything is tracked. */
export interface TrackingPolicy extends TrackingSwitches {
  groups?: Partial<Record<Group, TrackingSwitches>>;
}

/** Whether `what` is tracked for a recipient of `group`: the group's switch wins, then the campaign's. */
export function tracks(
  policy: TrackingPolicy | undefined,
  group: Group | undefined,
  what: 'opens' | 'clicks',
): boolean {
  const forGroup = group ? policy?.groups?.[group]?.[what] : undefined;
  return forGroup ?? policy?.[what] ?? true;
}
