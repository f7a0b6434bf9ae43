/**
 * Governance: what a campaign's content is (a version with a
 * content hash), who approved which version, and the append-only audit log.
 * Pure values and rules; storage is behind ports.ts.
 */
import { createHash } from 'node:crypto';
import type { Statement } from '../statement.js';

export const APPROVAL_MODES = ['two-person', 'single'] as const;
/** `two-person` (default): a campaigner who is not the version's author approves it. `single`: small teams, the author may. */
export type ApprovalMode = (typeof APPROVAL_MODES)[number];

/**
 * Who did something: the verified token subject (compared: author ≠
 * approver is decided on it) and the verified email, a label shown beside it.
 * Processes act under a fixed name (`scheduler`, `demarche`) without email.
 */
export interface Actor {
  sub: string;
  email?: string;
}

/** How a person is shown where one string names them: "email (sub)", or the sub alone. */
export const actorLabel = (sub: string, email?: string): string =>
  email ? `${email} (${sub})` : sub;

/** One immutable version of a campaign's content; a new one on every change of statement, translations or recipients. */
export interface CampaignVersion {
  campaignId: string;
  /** 1, 2, 3 … in the order the versions were made. */
  number: number;
  /** sha256 (hex) of the canonical JSON of statement + translations + recipient ids and emails. */
  hash: string;
  /** The author's sub, and their email as a label. */
  author: string;
  authorEmail?: string;
  createdAt: string;
  /** What made this version (created, recipients added …), shown in the audit log. */
  reason: string;
  recipientCount: number;
  /** The subject each language's letter carries, as sent. */
  subjects: Record<string, string>;
}

export interface Approval {
  campaignId: string;
  hash: string;
  /** The approver's sub, and their email as a label. */
  approver: string;
  approverEmail?: string;
  at: string;
}

export const AUDIT_ACTIONS = [
  'created',
  'edited',
  /** A campaigner asked the others to approve the current version. */
  'approval-requested',
  'approved',
  'scheduled',
  'launched',
  'paused',
  'resumed',
  'cancelled',
  /** A follow-up letter of this campaign was written (its own campaign records its versions). */
  'followed-up',
  'exported',
  'viewed-replies',
  'erased',
  /** A letter moved to a recipient's fallback address after a hard bounce (fallback.ts). */
  'fallback',
  /** Staff confirmed a weak (sender-address) reply match by hand, which then counts (replies/confirm.ts). */
  'confirmed-reply',
  /** A failed or unknown letter sent again, by a person's decision (core/stuck.ts). */
  'resent',
  /** An unknown letter recorded as sent on a person's word (core/stuck.ts). */
  'marked-sent',
  /** A recipient stopped letters from their letter's unsubscribe page (all, or follow-ups only). */
  'unsubscribed',
  /** A recipient undid their own unsubscribe within its 30 days. */
  'unsubscribe-undone',
  /** Hidden from the campaigns list, or shown again (core/discard.ts). */
  'archived',
  'unarchived',
  /** A draft or dry run deleted: its recipients and letters removed (core/discard.ts). */
  'deleted',
  /** Coalition sign-on opened, closed (the approved list locked into the statement). */
  'signon-opened',
  'signon-closed',
  /** A co-signing organisation approved, rejected (or merged), reopened, renamed or reordered. */
  'signatory-approved',
  'signatory-rejected',
  'signatory-reopened',
  'signatory-edited',
  /** The public open-letter page (statement and signatories, after the send-out) turned on or off. */
  'open-letter',
  /** Staff marked a reply handled (answered, passed on), or took that back. */
  'handled-reply',
  /** The deployment's signing keys (recorded under KEY_AUDIT_ID, not a campaign): a new current key, a key retired. */
  'key-rotated',
  'key-retired',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One line of a campaign's audit log: who did what, when, to which version. Never changed once written. */
export interface AuditEntry {
  campaignId: string;
  at: string;
  /** The actor's sub (or the process's name), and their email as a label. */
  actor: string;
  actorEmail?: string;
  action: AuditAction;
  /** The content version the action concerned, when it concerned one. */
  versionHash?: string;
  detail?: string;
}

/** The part of a recipient that is content: who the letter goes to. */
export interface RecipientIdentity {
  id: string;
  /** The address the list gave (the primary, also after a move to a fallback). */
  email: string;
  /** Where the letter goes should the primary hard-bounce: content too. */
  fallbackEmails?: string[];
}

/**
 * JSON with object keys sorted at every level and no whitespace, so the same
 * content always gives the same bytes (and the same hash) whatever order its
 * fields were built in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * The content hash of a campaign version: the statement (its translations are
 * part of it) and the recipients' ids, emails and fallbacks, sorted by id, so reordering
 * the list changes nothing and changing any word or address changes the hash.
 */
export function contentHash(statement: Statement, recipients: RecipientIdentity[]): string {
  const people = [...recipients]
    // Fallbacks only when there are some, so lists without them hash as they always did.
    .map((r) => ({
      id: r.id,
      email: r.email,
      ...(r.fallbackEmails?.length ? { fallbackEmails: r.fallbackEmails } : {}),
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return createHash('sha256')
    .update(canonicalJson({ statement, recipients: people }))
    .digest('hex');
}

/** The first 12 hex digits: enough to tell versions apart on a screen. */
export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}
