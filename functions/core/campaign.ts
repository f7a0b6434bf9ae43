/**
 * Campaigns: the statement, its compiled letters and the recipients, with a
 * status that only moves along allowed transitions.
 */
import { randomBytes } from 'node:crypto';
import type { Group, Recipient } from './recipients.js';
import type { Statement } from './statement.js';
import type { TrackingPolicy } from './events/tracking.js';
import type { FallbackMove } from './governance/fallback.js';
import type { OfficeHours } from './planner/time.js';
import type { Actor } from './governance/model.js';

export const CAMPAIGN_STATUSES = [
  'draft',
  'scheduled',
  'sending',
  'paused',
  'completed',
  'cancelled',
  'expired',
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** Where one recipient's letter is. Only `pending` may be claimed for sending. */
export const SEND_STATES = [
  'pending',
  'claimed',
  'sent',
  'failed',
  'expired',
  'suppressed',
  'unknown',
  /** Claimed outside the recipient's office hours and set aside until they open (core/office-hours.ts). */
  'held',
] as const;
export type SendState = (typeof SEND_STATES)[number];

/**
 * What a list of campaigns carries: everything but the statement's body,
 * signatories and translations (a statement may be hundreds of KB, and a
 * list of them would not fit one DynamoDB page), so that the API's list, the
 * scheduler's tick, erasure and retention can walk every campaign.
 */
export type CampaignHead = Omit<Campaign, 'statement'> & {
  statement: Pick<Statement, (typeof CAMPAIGN_HEAD_STATEMENT)[number]>;
};

/** The statement fields a campaign list keeps (see CampaignHead). */
export const CAMPAIGN_HEAD_STATEMENT = [
  'title',
  'subject',
  'meeting',
  'deadline',
  'replyToDomain',
] as const;

export interface Campaign {
  id: string;
  status: CampaignStatus;
  statement: Statement;
  /** Languages a letter was compiled for; the first is the campaign default. */
  languages: string[];
  recipientCount: number;
  configurationSet?: string;
  /** A dry run renders every letter and records it, but calls no mail service. */
  dryRun: boolean;
  createdAt: string;
  launchedAt?: string;
  completedAt?: string;
  /** When a scheduled campaign launches (status `scheduled`). */
  scheduledAt?: string;
  /** Why the campaign is paused (a person, or the reputation guard), shown to staff. */
  pausedReason?: string;
  pausedAt?: string;
  cancelledAt?: string;
  expiredAt?: string;
  /** Open/click tracking switches, per campaign and per group; absent means tracked. */
  tracking?: TrackingPolicy;
  /** Where each person's reply is forwarded (with the match shown at the top); none: no forward. */
  staffAddress?: string;
  /** A follow-up letter: the campaign it follows up, and who gets it (core/followups). */
  followUpOf?: string;
  followUpAudience?: string;
  /**
   * Office hours every letter must land in, in each recipient's own zone
   * (ministries read mail at work): set when the campaign is scheduled from a
   * plan (or launched with office hours); absent means letters go out at any hour.
   */
  delivery?: DeliveryWindow;
  /** The plan the campaign was scheduled from, for the dashboard: expected finish against the deadline. */
  plan?: PlanSummary;
  /** The launch's queueing, done by the launch function page by page ("queueing N of M"). */
  launch?: LaunchProgress;
  /** A list being imported from an upload ("importing N"); approval waits until it is done. */
  import?: ImportProgress;
  /** "Ready for approval": which version its author asked the other campaigners to approve. */
  approvalRequest?: { hash: string; by: string; byEmail?: string; at: string; note?: string };
  /** Who created it (the signed-in campaigner), for the campaigns list. */
  author?: Actor;
  /** Hidden from the campaigns list (or shown again): by whom and when (core/discard.ts). */
  archive?: { archived: boolean; at: string; by: string; byEmail?: string };
  /** A draft or dry run deleted: its recipients and letters removed, its records kept. */
  deleted?: { at: string; by: string; byEmail?: string; reason?: string; done?: boolean };
}

/**
 * Where a launch's queueing is. The API records it (`queueing`, step 0) and
 * hands over; the launch function queues one page of recipients per step,
 * writing the next cursor and the count with a condition on the step, so a
 * second runner or a resumed one never counts a page twice.
 */
export interface LaunchProgress {
  state: 'queueing' | 'queued' | 'failed';
  /** The approved content version being sent. */
  versionHash: string;
  /** Who launched (sub) and who approved (sub), as recorded at launch. */
  by: string;
  approvedBy: string;
  /** When that approval was given: the web version says "Text approved on …". */
  approvedAt?: string;
  total: number;
  queued: number;
  /** The recipients page to go on from; absent before the first page and after the last. */
  cursor?: string;
  step: number;
  startedAt: string;
  updatedAt: string;
  error?: string;
}

/** Where the import of an uploaded recipients list is; same stepping as a launch. */
export interface ImportProgress {
  state: 'importing' | 'imported' | 'failed';
  uploadId: string;
  /** create: a new campaign's list; replace: the draft's list is replaced; append: rows added. */
  mode: 'create' | 'replace' | 'append';
  /** replace only: the old list is cleared before the first row is written. */
  cleared?: boolean;
  /** Data rows read so far, of which imported and skipped. */
  rows: number;
  imported: number;
  skipped: number;
  /** The first bad rows (line and reason); `skipped` counts them all. */
  problems: { line: number; message: string }[];
  /** Who started it (sub, email label): the author of the version it makes. */
  by: string;
  byEmail?: string;
  reason: string;
  step: number;
  startedAt: string;
  updatedAt: string;
  error?: string;
}

/** Office hours, and the zone of recipients whose country gives none. */
export interface DeliveryWindow {
  hours: OfficeHours;
  zone: string;
}

/** What staff need of a plan once it is stored: when the send-out should start and finish. */
export interface PlanSummary {
  computedAt: string;
  feasible: boolean;
  letters: number;
  start?: string;
  finish?: string;
  deadline: string;
  rate: number;
  quota?: number;
  zones: { zone: string; letters: number; first?: string; last?: string }[];
}

export interface CampaignRecipient extends Recipient {
  campaignId: string;
  state: SendState;
  messageId?: string;
  sentAt?: string;
  failure?: string;
  claimId?: string;
  claimedAt?: string;
  /** Set when an SES event, not the sender, recorded the letter as sent (core/reconcile.ts). */
  reconciledAt?: string;
  /** A follow-up's recipient: the Message-ID of the letter it follows up (In-Reply-To, References). */
  threadRef?: string;
  /** The content hash of the approved version this letter was sent from, and its exact subject. */
  versionHash?: string;
  subject?: string;
  /** Which address the letter now goes to: 0 the primary, n the n-th fallback (core/governance/fallback.ts). */
  attempt?: number;
  /** Each move to a fallback: which address got which message, when, and why the letter moved on. */
  fallbackHistory?: FallbackMove[];
  /** A held letter (state `held`): the opening of the recipient's office it waits for. */
  holdUntil?: string;
}

/** Counter names kept per campaign (as sharded counter items, never computed by a scan). */
export const COUNTERS = [
  // sending
  'queued',
  'sent',
  'failed',
  'expired',
  'suppressed',
  'unknown',
  // delivery events
  'delivered',
  'bouncedHard',
  'bouncedSoft',
  'complained',
  'rejected',
  'delayed',
  // engagement ("opened" means a person unless stated: machine opens are counted apart)
  'openedUnique',
  'openedTotal',
  'openedMachine',
  'clickedUnique',
  'clickedTotal',
  'clickedMachine',
  // recipients whose latest own choice is to stop every letter, or this campaign's follow-ups
  // only (an undo takes the count back), and the undos themselves
  'unsubscribed',
  'unsubscribedFollowUps',
  'unsubscribeUndone',
  'replied',
  // letters re-sent to a fallback address after the primary hard-bounced: a
  // recipient's letter counts once in `sent`, whichever address it finally went to
  'fallbacks',
] as const;
export type CounterName = (typeof COUNTERS)[number];
export type Counters = Record<CounterName, number>;

export function emptyCounters(): Counters {
  return Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Counters;
}

/** Letters that reached a final state: when they add up to the recipients, the campaign is done. */
export function settled(c: Counters): number {
  return c.sent + c.failed + c.expired + c.suppressed + c.unknown;
}

/** A sortable, URL-safe id: time first so listings come out in creation order. */
export function newCampaignId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 12);
  return `c${stamp}${randomBytes(3).toString('hex')}`;
}

/** Allowed status transitions; anything else is a CampaignStateError. */
export const TRANSITIONS: Record<CampaignStatus, CampaignStatus[]> = {
  draft: ['scheduled', 'sending', 'cancelled'],
  scheduled: ['sending', 'draft', 'cancelled', 'expired'],
  sending: ['paused', 'completed', 'cancelled', 'expired'],
  paused: ['sending', 'cancelled', 'expired'],
  completed: [],
  cancelled: [],
  expired: [],
};

/** Statuses a campaign may be in when it moves to `to`. */
export function allowedFrom(to: CampaignStatus): CampaignStatus[] {
  return CAMPAIGN_STATUSES.filter((s) => TRANSITIONS[s].includes(to));
}

export interface GroupCount {
  group: Group;
  count: number;
}
