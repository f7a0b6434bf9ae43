import { settled } from './campaign.js';
import type { CampaignStore, Clock } from './ports.js';

/**
 * Marks a sending campaign completed once every recipient's letter reached a
 * final state. Cheap (one read of the counter shards) and safe to call often:
 * the status change is conditional.
 */
export async function finishIfDone(
  deps: { store: CampaignStore; clock: Clock },
  campaignId: string,
): Promise<boolean> {
  const campaign = await deps.store.getCampaign(campaignId);
  if (!campaign || campaign.status !== 'sending') return false;
  const counters = await deps.store.counters(campaignId);
  if (settled(counters) < campaign.recipientCount) return false;
  const at = deps.clock.now().toISOString();
  return deps.store.transition(campaignId, ['sending'], 'completed', at, { completedAt: at });
}
