/**
 * The narrow interfaces the domain talks to. Only adapters implement them
 * with the AWS SDK; core and handlers know nothing else about storage,
 * mail or queues.
 */
import type {
  Campaign,
  CampaignRecipient,
  CampaignStatus,
  CounterName,
  Counters,
} from './campaign.js';
import type { LetterTemplate } from './letter.js';
import type { Recipient } from './recipients.js';

export interface Page<T> {
  items: T[];
  cursor?: string;
}

export type ClaimResult =
  | { outcome: 'claimed'; recipient: CampaignRecipient }
  | { outcome: 'not-pending'; recipient: CampaignRecipient }
  | { outcome: 'missing' };

export interface CampaignStore {
  /** Stores a new draft campaign and its compiled letters; fails if the id exists. */
  createCampaign(campaign: Campaign, templates: LetterTemplate[]): Promise<void>;
  /** Adds recipients to a draft campaign in batches; idempotent per recipient id. */
  putRecipients(campaignId: string, recipients: Recipient[]): Promise<void>;
  getCampaign(campaignId: string): Promise<Campaign | undefined>;
  getTemplate(campaignId: string, language: string): Promise<LetterTemplate | undefined>;
  listCampaigns(limit?: number): Promise<Campaign[]>;
  /** One page of a campaign's recipients, in id order. */
  recipientsPage(
    campaignId: string,
    cursor?: string,
    limit?: number,
  ): Promise<Page<CampaignRecipient>>;
  getRecipient(campaignId: string, recipientId: string): Promise<CampaignRecipient | undefined>;
  /** Conditional status change; returns false when the campaign was not in one of `from`. */
  transition(
    campaignId: string,
    from: CampaignStatus[],
    to: CampaignStatus,
    at: string,
    extra?: Record<string, unknown>,
  ): Promise<boolean>;
  /** Moves a pending recipient to claimed; a second claim of the same letter never succeeds. */
  claim(campaignId: string, recipientId: string, claimId: string, at: string): Promise<ClaimResult>;
  /** Hands a claimed letter back (claimed → pending) when it certainly was not sent. */
  release(campaignId: string, recipientId: string, claimId: string): Promise<void>;
  /**
   * Records a sent letter for the claim that sent it and counts it, atomically;
   * false when the letter is no longer under that claim (swept to unknown meanwhile).
   */
  recordSent(
    campaignId: string,
    recipientId: string,
    claimId: string,
    messageId: string,
    at: string,
  ): Promise<boolean>;
  /**
   * Moves a recipient from one of `from` to a final state and counts it, atomically;
   * returns false when the recipient was not in one of `from` (someone else settled it).
   */
  settle(
    campaignId: string,
    recipientId: string,
    from: CampaignRecipient['state'][],
    to: Extract<CounterName, 'failed' | 'expired' | 'suppressed' | 'unknown'>,
    at: string,
    reason?: string,
  ): Promise<boolean>;
  /**
   * Records a letter an SES event shows was sent though its sender never
   * recorded it (claimed or unknown → sent, counted once); 'not-open' when it
   * was in neither state (already recorded, or never claimed).
   */
  reconcileSent(
    campaignId: string,
    recipientId: string,
    messageId: string,
    at: string,
  ): Promise<'reconciled' | 'not-open'>;
  /** Letters claimed before `before` (ISO) and still claimed: candidates for `unknown`. */
  staleClaims(campaignId: string, before: string, limit?: number): Promise<CampaignRecipient[]>;
  addToCounter(campaignId: string, counter: CounterName, n: number): Promise<void>;
  counters(campaignId: string): Promise<Counters>;
  isSuppressed(email: string): Promise<boolean>;
  /**
   * The sender's batch fast path. claimMany claims pending letters of one
   * campaign all at once, or returns undefined when any changed (claim one by
   * one then); recordSentMany records and counts sent letters all at once, or
   * returns false (record one by one then); suppressedAmong reads the
   * suppression list for a batch of addresses in one go.
   */
  claimMany(
    campaignId: string,
    claims: { recipientId: string; claimId: string }[],
    at: string,
  ): Promise<ClaimResult[] | undefined>;
  recordSentMany(
    campaignId: string,
    sent: { recipientId: string; claimId: string; messageId: string }[],
    at: string,
  ): Promise<boolean>;
  suppressedAmong(emails: string[]): Promise<Set<string>>;
  /** Puts an address on the suppression list, for every campaign. */
  suppress(email: string, reason: string, at: string): Promise<void>;
}

export interface OutgoingLetter {
  from: { name: string; address: string };
  to: string;
  /** The recipient's name, for the To header. */
  toName?: string;
  replyTo: string;
  subject: string;
  html: string;
  text: string;
  /** Extra headers (List-Unsubscribe …), already part of `raw` when it is set. */
  headers?: Record<string, string>;
  /** The whole RFC 5322 message (core/mime.ts), sent as SES Raw content when present. */
  raw?: string;
  configurationSet?: string;
  tags: Record<string, string>;
}

export interface Mailer {
  /** Sends one message; throws MailThrottledError (retry later) or MailRejectedError (never retry). */
  send(letter: OutgoingLetter): Promise<{ messageId: string }>;
}

export interface SendJob {
  campaignId: string;
  recipientId: string;
  /** How often this job was handed back (core/handback.ts): counted apart from receive failures. */
  handBacks?: number;
}

export interface EnqueueOptions {
  /** Seconds before each job becomes visible (SQS DelaySeconds, at most 900): one for all, or one per job. */
  delaySeconds?: number | number[];
}

export interface Queue {
  /** Enqueues jobs; resolves once every job is durably on the queue. */
  enqueue(jobs: SendJob[], opts?: EnqueueOptions): Promise<void>;
}

export interface Clock {
  now(): Date;
}
