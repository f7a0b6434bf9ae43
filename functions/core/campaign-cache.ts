/**
 * The campaign and compiled-letter cache every handler that reads letters
 * shares (the sender, the tracking and web functions), with the reads it
 * needs. Pure: the reads are a port.
 */
import type { Campaign, CampaignRecipient } from './campaign.js';
import type { LetterTemplate } from './letter-merge.js';

/** What a recipient-facing route reads: the campaign, one of its recipients, one compiled letter. */
export interface CampaignReader {
  getCampaign(campaignId: string): Promise<Campaign | undefined>;
  getTemplate(campaignId: string, language: string): Promise<LetterTemplate | undefined>;
  getRecipient(campaignId: string, recipientId: string): Promise<CampaignRecipient | undefined>;
}

/** How long (ms) before an entry expires a read of it starts refreshing it in the background. */
export const REFRESH_AHEAD_MS = 1_000;

interface CachedCampaign {
  at: number;
  campaign: Promise<Campaign | undefined>;
  /** A background refresh is under way. */
  refreshing?: boolean;
}

/**
 * Keeps campaigns and their compiled letters in memory for a few seconds, so a
 * sender working through thousands of jobs reads each once, yet notices a
 * pause or cancel within `ttlMs`.
 *
 * An entry read in its last REFRESH_AHEAD_MS is refreshed in the background
 * while the cached campaign is still served, so a steady reader never waits
 * for the store: the sender checks the campaign between its send slot and
 * the send call, and a wait there costs the slot (and every sender of the
 * container waiting on the same read would go at once when it came back).
 */
export class CampaignCache {
  private campaigns = new Map<string, CachedCampaign>();
  private templates = new Map<string, Promise<LetterTemplate | undefined>>();

  constructor(
    private readonly store: Pick<CampaignReader, 'getCampaign' | 'getTemplate'>,
    private readonly ttlMs = 5_000,
  ) {}

  campaign(id: string, nowMs: number): Promise<Campaign | undefined> {
    const hit = this.campaigns.get(id);
    if (hit && nowMs - hit.at < this.ttlMs) {
      if (
        !hit.refreshing &&
        nowMs - hit.at >= this.ttlMs - Math.min(REFRESH_AHEAD_MS, this.ttlMs / 2)
      ) {
        this.refresh(id, hit, nowMs);
      }
      return hit.campaign;
    }
    return this.read(id, nowMs);
  }

  private read(id: string, nowMs: number): Promise<Campaign | undefined> {
    const campaign = this.store.getCampaign(id);
    const entry = { at: nowMs, campaign };
    this.campaigns.set(id, entry);
    campaign.catch(() => {
      if (this.campaigns.get(id) === entry) this.campaigns.delete(id);
    });
    return campaign;
  }

  /** Replaces `hit` once a new read (started at nowMs) succeeds; a failed one leaves it to expire. */
  private refresh(id: string, hit: CachedCampaign, nowMs: number): void {
    hit.refreshing = true;
    this.store.getCampaign(id).then(
      (campaign) => {
        if (this.campaigns.get(id) === hit) {
          this.campaigns.set(id, { at: nowMs, campaign: Promise.resolve(campaign) });
        }
      },
      () => (hit.refreshing = false),
    );
  }

  /** Reads the campaign from the store now, and caches that (a status change must not wait out the TTL). */
  fresh(id: string, nowMs: number): Promise<Campaign | undefined> {
    this.campaigns.delete(id);
    return this.campaign(id, nowMs);
  }

  /** Compiled letters never change once stored, so they are cached for the container's life. */
  template(campaignId: string, language: string): Promise<LetterTemplate | undefined> {
    const key = `${campaignId}/${language}`;
    let t = this.templates.get(key);
    if (!t) {
      t = this.store.getTemplate(campaignId, language);
      this.templates.set(key, t);
      t.catch(() => this.templates.delete(key));
    }
    return t;
  }
}
