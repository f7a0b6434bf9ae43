/**
 * Launch: moves a campaign to sending and puts one job per recipient on the
 * send queue. Invoked by the API, the CLI and (for scheduled launches) the
 * scheduler, with `{ campaignId }`.
 */
import { z } from 'zod';
import { deps } from '../adapters/deps.js';
import { launchCampaign } from '../core/launch.js';

const eventSchema = z.object({ campaignId: z.string().min(1).max(64) });

export async function handler(event: unknown): Promise<{ campaignId: string; queued: number }> {
  const { campaignId } = eventSchema.parse(event);
  const { queued } = await launchCampaign(deps(), campaignId);
  return { campaignId, queued };
}
