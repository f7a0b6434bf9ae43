/**
 * Which tracking one letter carries. The switches and their meaning belong to
 * engagement tracking (events/tracking.ts); the letter adds one default of its
 * own: officials (ministers, EU institutions) get no open pixel unless the
 * campaign switches opens on for their group or for everyone explicitly. A
 * minister's office should not find a tracking image in a formal letter.
 */
import { tracks, type TrackingPolicy } from './events/tracking.js';
import type { Group } from './recipients.js';

const OFFICIALS: ReadonlySet<Group> = new Set<Group>(['minister', 'eu-institution']);

/** The open pixel and click redirects one recipient's letter carries. */
export function trackingFor(
  policy: TrackingPolicy | undefined,
  group: Group,
): { opens: boolean; clicks: boolean } {
  const explicitOpens = policy?.groups?.[group]?.opens ?? policy?.opens;
  return {
    opens: OFFICIALS.has(group) ? explicitOpens === true : tracks(policy, group, 'opens'),
    clicks: tracks(policy, group, 'clicks'),
  };
}
