/**
 * Recording one engagement event: attribute it to a recipient, check it is
 * tracked, apply the rules and write the change once. Safe to call again
 * with the same event (idempotent by event id) and in any order.
 */
import type { Campaign } from '../campaign.js';
import type { CampaignStore } from '../ports.js';
import type { EngagementEvent } from './model.js';
import type { EventStore } from './ports.js';
import { applyEvent, type EventChange, type RecipientTrack } from './rules.js';
import { trackingFor } from '../tracking.js';
import { isRepeat, noteSeen } from './window.js';

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
  /**
   * Called with each hard bounce once it is recorded (again on a duplicate, since
   * the first delivery may have stopped after recording it), so that the letter
   * moves to the recipient's next fallback address (core/governance/fallback.ts).
   */
  fallback?: (e: EngagementEvent & { campaignId: string; recipientId: string }) => Promise<void>;
}

export type IngestOutcome =
  | 'applied'
  | 'duplicate'
  | 'unattributed'
  | 'missing'
  | 'not-tracked'
  /** An open or click within the dedupe window of the last one (window.ts): not recorded again. */
  | 'repeat';

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
  let askedIndex = false;
  const byMessage = async () => {
    askedIndex = true;
    return e.messageId ? deps.events.recipientByMessage(e.messageId) : undefined;
  };
  if (!campaignId || !recipientId) {
    const found = await byMessage();
    campaignId = found?.campaignId;
    recipientId = found?.recipientId;
  }
  if (!campaignId || !recipientId) return 'unattributed';
  let attributed = { ...e, campaignId, recipientId };

  for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
    let r = await deps.events.track(campaignId, recipientId);
    if (!r && !askedIndex) {
      // Tags name a campaign or recipient we do not have (a tag edited on the way, a
      // message re-sent by hand): the message id we recorded at sending may still know it.
      const found = await byMessage();
      if (found && (found.campaignId !== campaignId || found.recipientId !== recipientId)) {
        ({ campaignId, recipientId } = found);
        attributed = { ...e, campaignId, recipientId };
        r = await deps.events.track(campaignId, recipientId);
      }
    }
    if (!r) return 'missing';
    if (!(await tracked(deps, r, e))) return 'not-tracked';
    if (isRepeat(r.lastSeen, e)) return 'repeat';
    // An event about a letter that has since moved to a fallback address belongs on the
    // timeline, but must not change the new letter's state or counts.
    const earlier =
      e.messageId && e.messageId !== r.messageId
        ? r.earlier?.find((m) => m.messageId === e.messageId)
        : undefined;
    const change = earlier
      ? aboutEarlierLetter(applyEvent(r, attributed))
      : applyEvent(r, attributed);
    const seen = noteSeen(r.lastSeen, e);
    if (seen) change.lastSeen = seen;

    // Suppression first: a put that may repeat, never a write that may be lost.
    if (change.suppress)
      await deps.store.suppress(earlier?.email ?? r.email, change.suppress, e.at);
    const result = await deps.events.apply(r, change);
    if (result === 'conflict') continue;
    if (result === 'missing') return 'missing';
    // Only letters whose sender never recorded them; also on a duplicate, since the
    // first delivery of this event may have failed after writing it. A bounce shows
    // that SES accepted the message as surely as a delivery does.
    const open = !earlier && (r.sendState === 'claimed' || r.sendState === 'unknown');
    const proof = e.type === 'send' || e.type === 'delivery' || e.type === 'bounce';
    if (open && deps.reconcile && proof) await deps.reconcile(attributed);
    if (e.type === 'bounce' && e.bounceType === 'hard' && deps.fallback) {
      await deps.fallback(attributed);
    }
    return result;
  }
  throw new Error(
    `event ${e.id}: recipient ${campaignId}/${recipientId} kept changing under ${MAX_CONFLICTS} attempts`,
  );
}

/** An earlier letter's event: on the timeline (marked so), no state, counts or firsts. */
function aboutEarlierLetter(change: EventChange): EventChange {
  const entry = {
    ...change.entry,
    reason: `earlier letter, before the move to a fallback address${change.entry.reason ? `: ${change.entry.reason}` : ''}`,
  };
  return {
    entry,
    flags: [],
    counters: {},
    firsts: {},
    ...(change.suppress ? { suppress: change.suppress } : {}),
  };
}

async function tracked(deps: IngestDeps, r: RecipientTrack, e: EngagementEvent): Promise<boolean> {
  if (e.type !== 'open' && e.type !== 'click') return true;
  const campaign = await deps.campaign(r.campaignId);
  if (!campaign) return false;
  // The same switches that decided what the letter carries (officials get no pixel by default).
  const on = trackingFor(campaign.tracking, r.group);
  return e.type === 'open' ? on.opens : on.clicks;
}
