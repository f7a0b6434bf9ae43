/**
 * Retention: once a campaign is finished (completed, cancelled or
 * expired), its personal items — recipients with their send records,
 * timelines, replies — get a DynamoDB TTL (`expiresAt`, epoch seconds) of
 * the finish time plus the retention, after which DynamoDB deletes them.
 * Counters, versions and the audit log carry no personal data and stay.
 */
import type { CampaignHead } from '../campaign.js';
import type { CampaignStore, Clock } from '../ports.js';

export const DEFAULT_RETENTION_DAYS = 365;
/** A reply that matched no campaign is kept this long after it arrived (it belongs to nobody's campaign). */
export const DEFAULT_UNMATCHED_REPLY_DAYS = 90;

export interface RetentionStore {
  /** Whether this campaign's personal items already carry their expiry (a marker item). */
  retentionApplied(campaignId: string): Promise<boolean>;
  /** Sets `expiresAt` on every personal item of the campaign, then writes the marker; returns items touched. */
  applyExpiry(campaignId: string, expiresAtEpochSeconds: number, at: string): Promise<number>;
}

/** When a campaign finished, or undefined while it can still send. */
export function finishedAt(c: CampaignHead): string | undefined {
  if (c.status === 'completed') return c.completedAt ?? c.launchedAt ?? c.createdAt;
  if (c.status === 'cancelled') return c.cancelledAt ?? c.createdAt;
  if (c.status === 'expired') return c.expiredAt ?? c.statement.deadline;
  return undefined;
}

/**
 * The expiry (epoch seconds) a personal item of this campaign gets when it is
 * written: its finish plus the retention once finished, else its deadline plus
 * the retention (nothing is sent after the deadline, so a campaign finishes by
 * then). Items written after the finish (late events, replies) get the same.
 */
export function personalExpiry(
  c: Pick<
    CampaignHead,
    'status' | 'completedAt' | 'launchedAt' | 'createdAt' | 'cancelledAt' | 'expiredAt'
  > & { statement: Pick<CampaignHead['statement'], 'deadline'> },
  retentionDays = DEFAULT_RETENTION_DAYS,
): number {
  const from = finishedAt(c as CampaignHead) ?? c.statement.deadline;
  return Math.floor((Date.parse(from) + retentionDays * 86_400_000) / 1000);
}

/**
 * Gives the personal items of every finished campaign not yet handled their
 * expiry. Idempotent (a marker per campaign); safe to run on every scheduler tick.
 */
export async function applyRetention(
  deps: { store: CampaignStore; clock: Clock; retention: RetentionStore },
  retentionDays = DEFAULT_RETENTION_DAYS,
): Promise<{ campaignId: string; items: number; expiresAt: string }[]> {
  const done: { campaignId: string; items: number; expiresAt: string }[] = [];
  for (const c of await deps.store.listCampaigns()) {
    const end = finishedAt(c);
    if (!end || (await deps.retention.retentionApplied(c.id))) continue;
    const expires = Date.parse(end) + retentionDays * 86_400_000;
    const items = await deps.retention.applyExpiry(
      c.id,
      Math.floor(expires / 1000),
      deps.clock.now().toISOString(),
    );
    done.push({ campaignId: c.id, items, expiresAt: new Date(expires).toISOString() });
  }
  return done;
}
