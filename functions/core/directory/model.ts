/**
 * The target directory: the people and offices a coalition writes to, kept
 * as records of their own that outlive any campaign. A campaign copies the
 * targets it selects into its own recipients (and its content version), so
 * a directory edit never changes a letter already approved. Every change
 * to a target is a numbered version saying who changed which field, when.
 * Pure values and rules.
 */
import type { Group } from '../recipients.js';

export const TARGET_KINDS = ['person', 'office'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/** Where in government or civil society the target sits. */
export const INSTITUTION_TYPES = [
  'ministry',
  'permanent-representation',
  'commission',
  'council',
  'parliament',
  'eeas',
  'ngo',
  'other',
] as const;
export type InstitutionType = (typeof INSTITUTION_TYPES)[number];

/** The fields a person edits (or an import sets); everything a target *is*. */
export interface TargetFields {
  kind: TargetKind;
  name: string;
  /** The form of address the letter opens with ("Dear Minister", "Excellency"). */
  salutation?: string;
  title?: string;
  organisation?: string;
  institutionType?: InstitutionType;
  /** ISO 3166-1 alpha-2. */
  country?: string;
  language?: string;
  group: Group;
  email: string;
  fallbackEmails?: string[];
  /** Curated subsets: "FAC", "EaP focal points". Kept as written, compared case-insensitively. */
  tags: string[];
  source?: string;
  /** YYYY-MM-DD: the day the address was last checked. */
  lastVerified?: string;
  notes?: string;
  /** A stable id from the coalition's own list (a spreadsheet row id, a CRM id). */
  externalId?: string;
}

/** The fields in the order people read them (diffs, exports, the CSV columns). */
export const TARGET_FIELDS = [
  'externalId',
  'kind',
  'name',
  'salutation',
  'title',
  'organisation',
  'institutionType',
  'country',
  'language',
  'group',
  'email',
  'fallbackEmails',
  'tags',
  'source',
  'lastVerified',
  'notes',
] as const satisfies readonly (keyof TargetFields)[];
export type TargetField = (typeof TARGET_FIELDS)[number];

/** What a hard bounce in a campaign said about the target's primary address. */
export interface PrimaryFailing {
  at: string;
  campaignId: string;
  reason: string;
}

export interface Target extends TargetFields {
  id: string;
  /** 1 when created; +1 on every change. */
  version: number;
  createdAt: string;
  updatedAt: string;
  /** The sub of who made the latest version. */
  updatedBy: string;
  /** Set by a hard bounce (or a move to a fallback) of a letter to the primary; cleared by an edit of the email. */
  failing?: PrimaryFailing;
  /** Present-before-but-missing from an import, and archived on purpose: kept, not selected. */
  archived?: boolean;
  /**
   * Archived: when the table's TTL deletes it with its versions (epoch
   * seconds), the retention after it was archived; restoring it removes it.
   */
  expiresAt?: number;
}

/** One field's change, as words: absent means the field was empty. */
export interface FieldChange {
  field: TargetField | 'archived';
  before?: string;
  after?: string;
}

/** One version of one target: who made it, when, why, and what changed. */
export interface TargetVersion {
  targetId: string;
  number: number;
  at: string;
  by: string;
  byEmail?: string;
  /** created, edited, imported from FILE, archived, fallback promoted … */
  reason: string;
  changes: FieldChange[];
}

/** A field as one line of text (lists joined by "; "), or undefined when empty. */
export function fieldText(t: Partial<TargetFields>, f: TargetField): string | undefined {
  const v = t[f];
  if (v === undefined || v === '') return undefined;
  if (Array.isArray(v)) return v.length ? v.join('; ') : undefined;
  return String(v);
}

/** The fields that differ between two states of a target (only `fields` when given). */
export function fieldChanges(
  before: Partial<TargetFields> | undefined,
  after: Partial<TargetFields>,
  fields: readonly TargetField[] = TARGET_FIELDS,
): FieldChange[] {
  const out: FieldChange[] = [];
  for (const field of fields) {
    const b = before ? fieldText(before, field) : undefined;
    const a = fieldText(after, field);
    if (b === a) continue;
    out.push({
      field,
      ...(b !== undefined ? { before: b } : {}),
      ...(a !== undefined ? { after: a } : {}),
    });
  }
  return out;
}

/** Only the fields of a target (no id, version, stamps). */
export function fieldsOf(t: Target): TargetFields {
  const out: Record<string, unknown> = {};
  for (const f of TARGET_FIELDS) if (t[f] !== undefined) out[f] = t[f];
  return out as unknown as TargetFields;
}

/** Whole days since the target was verified, or undefined when it never was. */
export function verifiedAgeDays(
  t: Pick<TargetFields, 'lastVerified'>,
  now: Date,
): number | undefined {
  if (!t.lastVerified) return undefined;
  return Math.floor((now.getTime() - Date.parse(`${t.lastVerified}T00:00:00Z`)) / 86_400_000);
}

/** Not verified within the window (or never): the directory flags it, campaigns warn about it. */
export function isStale(
  t: Pick<TargetFields, 'lastVerified'>,
  now: Date,
  windowDays: number,
): boolean {
  const age = verifiedAgeDays(t, now);
  return age === undefined || age > windowDays;
}
