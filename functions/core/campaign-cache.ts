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

/**
 * Keeps campaigns and their compiled letters in memory for a few seconds, so a
 * sender working through thousands of jobs reads each once, yet notices a
 * pause or cancel within `ttlMs`.
 */
export class CampaignCache {
  private campaigns = new Map<string, { at: number; campaign: Promise<Campaign | undefined> }>();
  private templates = new Map<string, Promise<LetterTemplate | undefined>>();

  constructor(
    private readonly store: Pick<CampaignReader, 'getCampaign' | 'getTemplate'>,
    private readonly ttlMs = 5_000,
  ) {}

  campaign(id: string, nowMs: number): Promise<Campaign | undefined> {
    const hit = this.campaigns.get(id);
    if (hit && nowMs - hit.at < this.ttlMs) return hit.campaign;
    const campaign = this.store.getCampaign(id);
    this.campaigns.set(id, { at: nowMs, campaign });
    campaign.catch(() => this.campaigns.delete(id));
    return campaign;
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
