/**
 * The staff API's responses as the page reads them. Where the server has a
 * type for what it sends, it is imported from there (type-only: nothing of
 * the server reaches the bundle), so a field renamed on the server fails the
 * page's type check; what a route assembles on the fly is written out here.
 * Times are ISO strings, as JSON carries them.
 */
import type { Staff } from '../../../../functions/api/auth.js';
import type { summary } from '../../../../functions/api/campaign-routes.js';
import type { PlanView } from '../../../../functions/api/plan-routes.js';
import type { Funnel, SeriesBuilder, SplitRow } from '../../../../functions/api/view.js';
import type { CampaignRecipient, PlanSummary } from '../../../../functions/core/campaign.js';
import type {
  Approval,
  AuditEntry,
  CampaignVersion,
} from '../../../../functions/core/governance/model.js';
import type { Statement } from '../../../../functions/core/statement.js';
import type { PreflightReport } from '../../../../functions/core/preflight.js';
import type { Reply, ReplyMatch as StoredMatch } from '../../../../functions/core/replies/types.js';
import type { StuckState } from '../../../../functions/core/stuck.js';
import type { ListCheck, StatementCheck } from '../../../../functions/core/draft-check.js';
import type { VersionChanges } from '../../../../functions/core/governance/changes.js';

export type { ListCheck, StatementCheck, VersionChanges };
export type { AuditEntry, Funnel, PlanSummary, PlanView, PreflightReport, SplitRow, StuckState };

export type Role = Staff['role'];
export type Me = Staff;

/** GET /api/campaigns (items), and the head of GET /api/campaigns/:id. */
export type CampaignSummary = ReturnType<typeof summary>;

export interface CampaignDetail extends CampaignSummary {
  languages: string[];
  statement: Statement;
  /** Per group, whether opens and clicks are tracked. */
  tracking?: Record<string, { opens: boolean; clicks: boolean }>;
}

export interface Stats {
  campaignId: string;
  status: string;
  /** Why a paused campaign is paused (a person, the reputation guard, SES refusing to send) and what fixes it. */
  pausedReason?: string;
  deadline: string;
  funnel: Funnel;
  counters: Record<string, number>;
  readAt: string;
}

interface Scan {
  scanned: number;
  complete: boolean;
}
export type Splits = Scan & { byGroup: SplitRow[]; byCountry: SplitRow[] };
/** Seconds since the epoch (t, deadline) and cumulative counts, from the launch to now or the deadline. */
export type Series = Scan &
  Pick<ReturnType<SeriesBuilder['result']>, 't' | 'deadline'> &
  Record<'sent' | 'delivered' | 'opened' | 'replied', number[]>;

/**
 * A recipient row: the stored recipient, and the attributes the events and
 * replies handlers write on it (read by name in functions/core/engagement.ts).
 */
export type RecipientRow = Omit<CampaignRecipient, 'claimId'> & {
  deliveryState?: string;
  openedAt?: string;
  firstOpenedAt?: string;
  repliedAt?: string;
  firstRepliedAt?: string;
  unsubscribedAt?: string;
};
export interface RecipientsPage {
  items: RecipientRow[];
  cursor?: string;
  scanned: number;
}
export interface RecipientDetail {
  recipient: RecipientRow;
  timeline: { at: string; what: string; detail?: string; anomaly?: boolean }[];
  fallbacks?: string[];
}

/** A reply's match as the API sends it: with the words staff read, and whether it counts (strong or confirmed). */
export type ReplyMatch = StoredMatch & { label: string; counts: boolean };
/** GET …/replies (items): the list's fields of a reply, with the first 200 characters of its text. */
export type ReplySummary = Pick<
  Reply,
  | 'id'
  | 'recipientId'
  | 'kind'
  | 'receivedAt'
  | 'from'
  | 'subject'
  | 'rejectReason'
  | 'readBy'
  | 'readAt'
  | 'handledBy'
  | 'handledAt'
> & {
  match: ReplyMatch;
  excerpt?: string;
  sender?: string;
  attachments?: { filename: string; size: number }[];
  person?: { name: string; title?: string; organisation?: string; country?: string; group: string };
};
/** GET …/replies/:replyId: the whole reply, and where its raw message is. */
export type ReplyDetail = Omit<Reply, 'match'> & { match: ReplyMatch; rawUrl: string };

/** GET …/letters/stuck: failed and unknown letters, each with its reason. */
export interface StuckLetter {
  recipientId: string;
  name: string;
  email: string;
  organisation?: string;
  group: string;
  state: StuckState;
  reason?: string;
}
export interface StuckList {
  whatToDo: Record<StuckState, string>;
  items: StuckLetter[];
  more?: boolean;
}
/** POST …/letters/resend and …/letters/mark-sent. */
export interface StuckResult {
  resent?: string[];
  marked?: string[];
  refused: { recipientId: string; reason: string }[];
  more: boolean;
}

export type Version = CampaignVersion;
export interface Versions {
  versions: Version[];
  approvals: Approval[];
  mode: 'two-person' | 'single';
}

export interface Targets {
  warning?: string;
  /** Rows asking for a language the statement has no translation for ("3 recipients asked for de …"). */
  untranslated?: { count: number; languages: string[]; fallback: string; text: string };
  /** Other warnings about the stored rows (a group their title contradicts). */
  listWarnings?: { code: string; message: string; count?: number }[];
}

export interface Preview {
  recipientId: string;
  to: string;
  from: { name: string; address: string };
  replyTo: string;
  subject: string;
  html: string;
  text: string;
  /** Extra headers of the message (List-Unsubscribe …). */
  headers?: Record<string, string>;
}

export interface LoginSettings {
  authorizeUrl: string;
  tokenUrl: string;
  logoutUrl: string;
  clientId: string;
  scope: string;
}

/** POST /api/drafts/check. */
export interface DraftCheck {
  statement: StatementCheck;
  recipients?: ListCheck | { error: string };
}

/** GET /api/settings: the deployment's rules the workspace shows before anyone writes. */
export interface Settings {
  approval: 'two-person' | 'single';
  senders: string[];
  replyDomain: string;
  defaultFrom: { name: string; address: string };
  sendRate?: number;
  plan: { window: string; days: string; zone: string };
}
