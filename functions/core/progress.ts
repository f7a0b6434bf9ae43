import { type Campaign, type Counters, settled } from './campaign.js';
import type { CampaignStore, Clock } from './ports.js';

/** A campaign and its counters as read together (fresh from the store, not a cache). */
export interface CampaignReading {
  campaign: Campaign | undefined;
  counters: Counters;
}

/** Reads a campaign and its counters at once: what the sender's per-batch checks share. */
export async function readCampaign(
  store: CampaignStore,
  campaignId: string,
): Promise<CampaignReading> {
  const [campaign, counters] = await Promise.all([
    store.getCampaign(campaignId),
    store.counters(campaignId),
  ]);
  return { campaign, counters };
}

/**
 * Marks a sending campaign completed once every recipient's letter reached a
 * final state. Cheap (one read of the counter shards) and safe to call often:
 * the status change is conditional.
 */
export async function finishIfDone(
  deps: { store: CampaignStore; clock: Clock },
  campaignId: string,
  /** The campaign and its counters, when the caller has just read them (the sender, once per batch). */
  known?: CampaignReading,
): Promise<boolean> {
  const campaign = known ? known.campaign : await deps.store.getCampaign(campaignId);
  if (!campaign || campaign.status !== 'sending') return false;
  const counters = known?.counters ?? (await deps.store.counters(campaignId));
  if (settled(counters) < campaign.recipientCount) return false;
  const at = deps.clock.now().toISOString();
  if (!(await deps.store.transition(campaignId, ['sending'], 'completed', at, { completedAt: at })))
    return false;
  // A letter re-opened between the count and the change (a fallback after a hard bounce,
  // core/governance/fallback.ts) must still go: the campaign goes back to sending.
  if (settled(await deps.store.counters(campaignId)) < campaign.recipientCount) {
    await deps.store.transition(
      campaignId,
      ['completed'],
      'sending',
      deps.clock.now().toISOString(),
    );
    return false;
  }
  return true;
}
