/**
 * What the scheduler's tick reports for the alarms (core/metrics.ts): how
 * many letters wait in `unknown` for a person, across the campaigns whose
 * deadline has not passed (a completed campaign included: its unknown
 * letters still need a decision), and how long until the nearest deadline of
 * a sending campaign, which the send queue's oldest message is held against.
 */
import type { Campaign } from './campaign.js';
import { METRIC, type Metrics } from './metrics.js';
import type { CampaignStore, Clock } from './ports.js';

export interface WatchReading {
  unknown: number;
  /** Absent when no campaign is sending. */
  secondsToDeadline?: number;
}

export async function watchCampaigns(
  deps: { store: Pick<CampaignStore, 'counters'>; clock: Clock; metrics: Metrics },
  campaigns: Campaign[],
): Promise<WatchReading> {
  const now = deps.clock.now().getTime();
  const open = campaigns.filter(
    (c) =>
      Date.parse(c.statement.deadline) > now &&
      (c.status === 'sending' || c.status === 'paused' || c.status === 'completed'),
  );
  let unknown = 0;
  for (const c of open) unknown += (await deps.store.counters(c.id)).unknown;
  const left = open
    .filter((c) => c.status === 'sending')
    .map((c) => (Date.parse(c.statement.deadline) - now) / 1000);
  deps.metrics.gauge(METRIC.unknownLetters, unknown, 'Count');
  const reading: WatchReading = { unknown };
  if (left.length) {
    reading.secondsToDeadline = Math.round(Math.min(...left));
    deps.metrics.gauge(METRIC.secondsToDeadline, reading.secondsToDeadline, 'Seconds');
  }
  deps.metrics.flush();
  return reading;
}
