/**
 * The reputation guard: a campaign whose bounce or complaint rate would put
 * the SES account under review pauses itself and says why. SES reviews
 * accounts at about 5% bounces and 0.1% complaints; we stop at those rates,
 * once enough letters have gone out for a rate to mean something.
 */
import type { Counters } from './campaign.js';
import type { CampaignStore, Clock } from './ports.js';
import type { CampaignReading } from './progress.js';

export interface ReputationPolicy {
  maxBounceRate: number;
  maxComplaintRate: number;
  /** Letters sent before a rate is judged (a single bounce among the first ten is not a trend). */
  minSample: number;
}

export const DEFAULT_POLICY: ReputationPolicy = {
  maxBounceRate: 0.05,
  maxComplaintRate: 0.001,
  minSample: 100,
};

/** Why a campaign with these counters must pause, or undefined when it may go on. */
export function reputationProblem(
  c: Pick<Counters, 'sent' | 'bouncedHard' | 'complained'>,
  policy: ReputationPolicy = DEFAULT_POLICY,
): string | undefined {
  if (c.sent < policy.minSample) return undefined;
  const bounce = c.bouncedHard / c.sent;
  const complaint = c.complained / c.sent;
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  if (bounce > policy.maxBounceRate) {
    return `bounce rate ${pct(bounce)} (${c.bouncedHard} hard bounces of ${c.sent} sent) is above ${pct(policy.maxBounceRate)}`;
  }
  if (complaint > policy.maxComplaintRate) {
    return `complaint rate ${pct(complaint)} (${c.complained} complaints of ${c.sent} sent) is above ${pct(policy.maxComplaintRate)}`;
  }
  return undefined;
}

/**
 * Pauses a sending campaign whose rates break the policy, with the reason
 * recorded on it (pausedReason). Returns the reason when it paused it. Cheap:
 * one campaign read and one read of the counter shards; call it per batch.
 */
export async function guardReputation(
  deps: { store: CampaignStore; clock: Clock },
  campaignId: string,
  policy: ReputationPolicy = DEFAULT_POLICY,
  /** The campaign and its counters, when the caller has just read them (the sender, once per batch). */
  known?: CampaignReading,
): Promise<string | undefined> {
  const campaign = known ? known.campaign : await deps.store.getCampaign(campaignId);
  if (!campaign || campaign.status !== 'sending') return undefined;
  const problem = reputationProblem(
    known?.counters ?? (await deps.store.counters(campaignId)),
    policy,
  );
  if (!problem) return undefined;
  const at = deps.clock.now().toISOString();
  const reason = `paused by the reputation guard: ${problem}`;
  const paused = await deps.store.transition(campaignId, ['sending'], 'paused', at, {
    pausedReason: reason,
    pausedAt: at,
  });
  return paused ? reason : undefined;
}
