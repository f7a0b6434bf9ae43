/**
 * The staff API's responses as the page reads them (functions/api/*-routes.ts
 * build them). Only the fields the page uses; the browser tests run the page
 * against the real API, so a field renamed there fails them.
 */

export type Role = 'viewer' | 'campaigner';
export interface Me {
  sub: string;
  email?: string;
  role: Role;
}

export interface PlanSummary {
  computedAt: string;
  feasible: boolean;
  letters: number;
  start?: string;
  finish?: string;
  deadline: string;
  rate: number;
  zones: { zone: string; letters: number; first?: string; last?: string }[];
}

export interface CampaignSummary {
  id: string;
  status: string;
  title: string;
  subject: string;
  meeting?: string;
  deadline: string;
  recipientCount: number;
  dryRun: boolean;
  createdAt: string;
  launchedAt?: string;
  completedAt?: string;
  scheduledAt?: string;
  plan?: PlanSummary;
  delivery?: { hours: { start: number; end: number; days: number[] }; zone: string };
  followUpOf?: string;
  followUpAudience?: string;
}

export interface CampaignDetail extends CampaignSummary {
  languages: string[];
  statement: { from: { name: string; address: string }; language?: string };
  /** Per group, whether opens and clicks are tracked (absent from older servers: tracked). */
  tracking?: Record<string, { opens: boolean; clicks: boolean }>;
}

export interface Funnel {
  recipients: number;
  sent: number;
  delivered: number;
  opened: number;
  openedMachine: number;
  clicked: number;
  replied: number;
  bounced: number;
  bouncedHard: number;
  bouncedSoft: number;
  complained: number;
  failed: number;
  suppressed: number;
  expired: number;
  unknown: number;
  unsubscribed: number;
}

export interface Stats {
  campaignId: string;
  status: string;
  deadline: string;
  funnel: Funnel;
  counters: Record<string, number>;
  readAt: string;
}

export interface SplitRow {
  key: string;
  recipients: number;
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  replied: number;
  bounced: number;
  complained: number;
}
export interface Splits {
  scanned: number;
  complete: boolean;
  byGroup: SplitRow[];
  byCountry: SplitRow[];
}

export interface Series {
  scanned: number;
  complete: boolean;
  /** Seconds since the epoch, launch to now (or the deadline). */
  t: number[];
  sent: number[];
  delivered: number[];
  opened: number[];
  replied: number[];
  deadline: number;
}

export interface RecipientRow {
  id: string;
  email: string;
  name: string;
  title?: string;
  organisation?: string;
  country?: string;
  language?: string;
  group: string;
  state: string;
  deliveryState?: string;
  failure?: string;
  holdUntil?: string;
  attempt?: number;
  sentAt?: string;
  openedAt?: string;
  firstOpenedAt?: string;
  repliedAt?: string;
  firstRepliedAt?: string;
  unsubscribedAt?: string;
}
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

export interface ReplyMatch {
  by: string;
  strength: string;
  detail?: string;
}
export interface ReplySummary {
  id: string;
  recipientId?: string;
  kind: string;
  match?: ReplyMatch;
  receivedAt: string;
  from?: { name: string; address: string };
  subject?: string;
  excerpt?: string;
}
export interface ReplyDetail extends ReplySummary {
  text: string;
  attachments?: { filename: string; mimeType?: string; size: number }[];
  verdicts?: Record<string, string>;
  rawUrl: string;
}

export interface PlanView {
  plan?: PlanSummary;
  source?: 'stored' | 'draft';
  text?: string;
  marginMinutes?: number;
  held: number;
  officeHours?: { hours: { start: number; end: number; days: number[] }; zone: string };
  followUps: {
    id: string;
    status: string;
    subject: string;
    audience?: string;
    scheduledAt?: string;
    recipientCount: number;
  }[];
}

export interface Version {
  number: number;
  hash: string;
  author: string;
  createdAt: string;
  reason: string;
  recipientCount: number;
}
export interface Versions {
  versions: Version[];
  approvals: { approver: string; hash: string; at: string }[];
  mode: 'two-person' | 'single';
}

export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  versionHash?: string;
  detail?: string;
}

export interface Targets {
  warning?: string;
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
