/**
 * Recording one engagement event: attribute it to a recipient, check it is
 * tracked, apply the rules and write the change once. Safe to call again
 * with the same event (idempotent by event id) and in any order.
 */
import type { Campaign } from '../campaign.js';
import type { CampaignStore } from '../ports.js';
import type { EngagementEvent } from './model.js';
import type { EventStore } from './ports.js';
import { applyEvent, type RecipientTrack } from './rules.js';
import { trackingFor } from '../tracking.js';

export interface IngestDeps {
  events: EventStore;
  store: Pick<CampaignStore, 'suppress'>;
  campaign: (id: string) => Promise<Campaign | undefined>;
  /**
   * Called with each Send/Delivery event attributed to a recipient, so the
   * sending engine can settle a letter whose sender died between SES and
   * its record (core/send.ts).
   */
  reconcile?: (e: EngagementEvent & { campaignId: string; recipientId: string }) => Promise<void>;
}

export type IngestOutcome = 'applied' | 'duplicate' | 'unattributed' | 'missing' | 'not-tracked';

const MAX_CONFLICTS = 8;

/**
 * Applies one event. 'unattributed' means neither tags nor the message id
 * lead to a recipient yet (the caller may retry later); 'missing' means the
 * campaign or recipient does not exist; 'not-tracked' means tracking is off
 * for this recipient, so nothing was recorded.
 */
export async function ingest(deps: IngestDeps, e: EngagementEvent): Promise<IngestOutcome> {
  let campaignId = e.campaignId;
  let recipientId = e.recipientId;
  if ((!campaignId || !recipientId) && e.messageId) {
    const found = await deps.events.recipientByMessage(e.messageId);
    campaignId = found?.campaignId;
    recipientId = found?.recipientId;
  }
  if (!campaignId || !recipientId) return 'unattributed';
  const attributed = { ...e, campaignId, recipientId };

  for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
    const r = await deps.events.track(campaignId, recipientId);
    if (!r) return 'missing';
    if (!(await tracked(deps, r, e))) return 'not-tracked';
    const change = applyEvent(r, attributed);
    // Suppression first: a put that may repeat, never a write that may be lost.
    if (change.suppress) await deps.store.suppress(r.email, change.suppress, e.at);
    const result = await deps.events.apply(r, change);
    if (result === 'conflict') continue;
    if (result === 'missing') return 'missing';
    // Only letters whose sender never recorded them; also on a duplicate, since the
    // first delivery of this event may have failed after writing it.
    const open = r.sendState === 'claimed' || r.sendState === 'unknown';
    if (open && deps.reconcile && (e.type === 'send' || e.type === 'delivery')) {
      await deps.reconcile(attributed);
    }
    return result;
  }
  throw new Error(
    `event ${e.id}: recipient ${campaignId}/${recipientId} kept changing under ${MAX_CONFLICTS} attempts`,
  );
}

async function tracked(deps: IngestDeps, r: RecipientTrack, e: EngagementEvent): Promise<boolean> {
  if (e.type !== 'open' && e.type !== 'click') return true;
  const campaign = await deps.campaign(r.campaignId);
  if (!campaign) return false;
  // The same switches that decided what the letter carries (officials get no pixel by default).
  const on = trackingFor(campaign.tracking, r.group);
  return e.type === 'open' ? on.opens : on.clicks;
}
