/**
 * Sending one letter: the exactly-once protocol.
 *
 * A letter is claimed (pending → claimed, conditional) before the mail call
 * and recorded (claimed → sent, with the message id, counted in the same
 * transaction) after it. A job delivered twice, or twice at once, finds the
 * letter no longer pending and sends nothing. A letter is never sent at or
 * after the campaign deadline.
 */
import { randomUUID } from 'node:crypto';
import type { Campaign } from './campaign.js';
import { MailRejectedError, MailThrottledError, RetryLaterError } from './errors.js';
import { languageFor, letterFor } from './compose.js';
import type { LetterTemplate } from './letter.js';
import type { CampaignStore, Clock, Mailer, SendJob } from './ports.js';

export interface SendDeps {
  store: CampaignStore;
  mailer: Mailer;
  /** Used instead of `mailer` for dry-run campaigns: renders, records, sends nothing. */
  dryRunMailer: Mailer;
  clock: Clock;
  campaigns: CampaignCache;
  /** The HMAC secret for the letter's signed links and reply address. */
  secret: () => Promise<string>;
  config: { publicUrl: string };
}

export type SendOutcome = 'sent' | 'duplicate' | 'expired' | 'failed' | 'suppressed' | 'cancelled';

/**
 * Keeps campaigns and their compiled letters in memory for a few seconds, so a
 * sender working through thousands of jobs reads each once, yet notices a
 * pause or cancel within `ttlMs`.
 */
export class CampaignCache {
  private campaigns = new Map<string, { at: number; campaign: Promise<Campaign | undefined> }>();
  private templates = new Map<string, Promise<LetterTemplate | undefined>>();

  constructor(
    private readonly store: CampaignStore,
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

/**
 * Processes one send job. Resolves with what happened; throws only when the
 * job must be retried (throttling, a paused campaign, a storage error before
 * the claim), in which case nothing was sent.
 */
export async function sendLetter(deps: SendDeps, job: SendJob): Promise<SendOutcome> {
  const { store, clock } = deps;
  const now = clock.now();
  const campaign = await deps.campaigns.campaign(job.campaignId, now.getTime());
  if (!campaign) return 'cancelled';
  if (
    campaign.status === 'paused' ||
    campaign.status === 'draft' ||
    campaign.status === 'scheduled'
  ) {
    throw new RetryLaterError(`campaign ${campaign.id} is ${campaign.status}`);
  }
  if (campaign.status === 'cancelled' || campaign.status === 'expired') {
    const settledNow = await store.settle(
      campaign.id,
      job.recipientId,
      ['pending'],
      'expired',
      now.toISOString(),
      `campaign ${campaign.status}`,
    );
    return settledNow ? 'expired' : 'duplicate';
  }
  if (now.getTime() >= Date.parse(campaign.statement.deadline)) {
    const settledNow = await store.settle(
      campaign.id,
      job.recipientId,
      ['pending'],
      'expired',
      now.toISOString(),
      'deadline passed',
    );
    return settledNow ? 'expired' : 'duplicate';
  }

  const claimId = randomUUID();
  const claim = await store.claim(campaign.id, job.recipientId, claimId, now.toISOString());
  if (claim.outcome !== 'claimed') return 'duplicate';
  const recipient = claim.recipient;

  if (await store.isSuppressed(recipient.email)) {
    await store.settle(
      campaign.id,
      recipient.id,
      ['claimed'],
      'suppressed',
      now.toISOString(),
      'address is on the suppression list',
    );
    return 'suppressed';
  }

  const template = await deps.campaigns.template(campaign.id, languageFor(campaign, recipient));
  if (!template) {
    await store.settle(
      campaign.id,
      recipient.id,
      ['claimed'],
      'failed',
      now.toISOString(),
      'no compiled letter for this language',
    );
    return 'failed';
  }
  const letter = letterFor(campaign, template, recipient, {
    publicUrl: deps.config.publicUrl,
    secret: await deps.secret(),
  });

  // The deadline is checked again at the last moment: rendering and storage calls take time.
  if (clock.now().getTime() >= Date.parse(campaign.statement.deadline)) {
    await store.settle(
      campaign.id,
      recipient.id,
      ['claimed'],
      'expired',
      clock.now().toISOString(),
      'deadline passed',
    );
    return 'expired';
  }
  const mailer = campaign.dryRun ? deps.dryRunMailer : deps.mailer;
  let messageId: string;
  try {
    ({ messageId } = await mailer.send(letter));
  } catch (err) {
    if (err instanceof MailRejectedError) {
      await store.settle(
        campaign.id,
        recipient.id,
        ['claimed'],
        'failed',
        clock.now().toISOString(),
        err.message,
      );
      return 'failed';
    }
    if (err instanceof MailThrottledError) {
      // Certainly not sent: hand the letter back so the redelivered job can claim it.
      await store.release(campaign.id, recipient.id, claimId);
    }
    // Any other error leaves the claim in place: the letter may have gone out,
    // and sending again blindly could make it a double.
    throw err;
  }
  await store.recordSent(campaign.id, recipient.id, claimId, messageId, clock.now().toISOString());
  return 'sent';
}
