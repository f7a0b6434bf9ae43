/**
 * Recipients: reading a campaigner's CSV into validated, normalised,
 * de-duplicated rows. A bad row is reported with its line and reason and the
 * import goes on with the good ones; only a file that cannot be read as a
 * recipients table at all (no header, no email column) is refused whole.
 */
import { createHash } from 'node:crypto';
import { parse as parseStream, type Options as CsvOptions } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { hasControl } from './html.js';
import { RecipientsFileError, type RowProblem } from './errors.js';

export const GROUPS = ['minister', 'eu-institution', 'ngo', 'other'] as const;
export type Group = (typeof GROUPS)[number];

const GROUP_ALIASES: Record<string, Group> = {
  minister: 'minister',
  ministers: 'minister',
  ministry: 'minister',
  government: 'minister',
  official: 'minister',
  eu: 'eu-institution',
  'eu-institution': 'eu-institution',
  'eu-institutions': 'eu-institution',
  'eu institution': 'eu-institution',
  'eu institutions': 'eu-institution',
  institution: 'eu-institution',
  ngo: 'ngo',
  ngos: 'ngo',
  member: 'ngo',
  members: 'ngo',
  other: 'other',
};

export interface Recipient {
  /** Stable id derived from the normalised email; unique within a campaign. */
  id: string;
  email: string;
  name: string;
  title?: string;
  organisation?: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country?: string;
  language?: string;
  group: Group;
  salutation?: string;
  /** Where the address comes from (a ministry website, a phone call …) and the day it was last checked (issue 11). */
  source?: string;
  /** YYYY-MM-DD */
  lastVerified?: string;
  /**
   * Addresses to try, in order, when the primary hard-bounces before the deadline
   * (a ministry's general office …): the letter goes to the next one (issue 11).
   */
  fallbackEmails?: string[];
}

export const COLUMNS = [
  'email',
  'name',
  'title',
  'organisation',
  'country',
  'language',
  'group',
  'salutation',
  'source',
  'lastVerified',
  'fallbackEmails',
] as const;

const noControl = (s: string) => !hasControl(s);
const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine(noControl, 'must not contain line breaks or control characters');
const optionalText = (max: number) => text(max).transform((s) => (s === '' ? undefined : s));

export const recipientRowSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1, 'is empty')
    .refine(noControl, 'must not contain line breaks or control characters')
    .transform(normaliseEmail)
    .pipe(z.email('is not a valid email address')),
  name: text(200).min(1, 'is empty'),
  title: optionalText(100),
  organisation: optionalText(200),
  country: optionalText(2)
    .transform((s) => s?.toUpperCase())
    .refine(
      (s) => s === undefined || /^[A-Z]{2}$/.test(s),
      'must be a two-letter country code such as FR',
    ),
  language: optionalText(10)
    .transform((s) => s?.toLowerCase())
    .refine(
      (s) => s === undefined || /^[a-z]{2,3}(-[a-z]{2})?$/.test(s),
      'must be a language code such as en or fr',
    ),
  group: optionalText(40).transform((s, ctx) => {
    if (s === undefined) return 'other' as Group;
    const g = GROUP_ALIASES[s.toLowerCase()];
    if (!g) {
      ctx.addIssue({ code: 'custom', message: `must be one of ${GROUPS.join(', ')}` });
      return z.NEVER;
    }
    return g;
  }),
  salutation: optionalText(200),
  source: optionalText(300),
  lastVerified: optionalText(40).transform((s, ctx) => {
    if (s === undefined) return undefined;
    const day = verifiedDay(s);
    if (!day) {
      ctx.addIssue({ code: 'custom', message: 'must be a date such as 2026-03-01' });
      return z.NEVER;
    }
    // A day later than tomorrow (any zone) is a typo, not a verification.
    if (Date.parse(day) > Date.now() + 2 * 86_400_000) {
      ctx.addIssue({ code: 'custom', message: `is in the future (${day})` });
      return z.NEVER;
    }
    return day;
  }),
  fallbackEmails: optionalText(2000).transform((s, ctx) => fallbackList(s, ctx)),
});

/** At most this many fallback addresses per recipient. */
export const MAX_FALLBACKS = 5;

/**
 * Fallback addresses, separated by `;`, `,` or spaces: each normalised and
 * validated like the primary, repeats dropped, at most MAX_FALLBACKS.
 */
function fallbackList(s: string | undefined, ctx: z.RefinementCtx): string[] | undefined {
  if (s === undefined) return undefined;
  const out: string[] = [];
  for (const part of s.split(/[;,\s]+/).filter(Boolean)) {
    const email = normaliseEmail(part);
    if (!z.email().safeParse(email).success) {
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(part)} is not a valid email address`,
      });
      return z.NEVER;
    }
    if (!out.includes(email)) out.push(email);
  }
  if (out.length > MAX_FALLBACKS) {
    ctx.addIssue({
      code: 'custom',
      message: `has ${out.length} addresses; at most ${MAX_FALLBACKS}`,
    });
    return z.NEVER;
  }
  return out.length ? out : undefined;
}

/** YYYY-MM-DD of a date or an ISO timestamp with a zone; undefined when it is not a real day. */
function verifiedDay(s: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(s);
  if (!m) return undefined;
  const day = `${m[1]}-${m[2]}-${m[3]}`;
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day ? day : undefined;
}

/** Lower-cases and trims an address, and drops a mailto: prefix; the id of a recipient hangs on this. */
export function normaliseEmail(email: string): string {
  return email
    .trim()
    .replace(/^mailto:/i, '')
    .toLowerCase();
}

/** A short, stable, non-reversible-at-a-glance id for a recipient within a campaign. */
export function recipientId(email: string): string {
  return 'r' + createHash('sha256').update(normaliseEmail(email)).digest('base64url').slice(0, 20);
}

export interface RecipientImport {
  recipients: Recipient[];
  problems: RowProblem[];
  /** Number of data rows read (good and bad). */
  rows: number;
}

/** One outcome of reading a row: a recipient, or the reason the row was skipped. */
export type RowOutcome = { recipient: Recipient } | { problem: RowProblem };

type CsvRecord = { record: Record<string, string>; info: { lines: number } };

function csvOptions(file: string, onSkip: (p: RowProblem) => void): CsvOptions {
  return {
    bom: true,
    columns: (header: string[]) => normaliseHeader(header, file),
    skip_empty_lines: true,
    relax_column_count: true,
    info: true,
    skip_records_with_error: true,
    on_skip: (err) => {
      if (err) onSkip({ line: (err as { lines?: number }).lines ?? 0, message: csvMessage(err) });
      return undefined;
    },
  };
}

function fileError(err: unknown, file: string): Error {
  if (err instanceof RecipientsFileError) return err;
  const e = err as Error & { lines?: number };
  return new RecipientsFileError(file, `cannot be read as CSV: ${csvMessage(e)}`, e.lines);
}

/**
 * Validates one parsed CSV record. `seen` maps emails already imported to
 * their line, so a repeated address is reported against its first line.
 */
export function readRow(
  record: Record<string, string>,
  line: number,
  seen: Map<string, number>,
): RowOutcome {
  const row0: Record<string, string> = {};
  for (const c of COLUMNS) row0[c] = record[c] ?? '';
  const result = recipientRowSchema.safeParse(row0);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = String(issue.path[0] ?? '');
    return {
      problem: {
        line,
        field,
        message: `${field} ${issue.code === 'invalid_type' ? 'is missing' : issue.message}`,
      },
    };
  }
  const row = result.data;
  const first = seen.get(row.email);
  if (first !== undefined) {
    return {
      problem: { line, field: 'email', message: `email ${row.email} repeats line ${first}` },
    };
  }
  if (row.fallbackEmails?.includes(row.email)) {
    return {
      problem: {
        line,
        field: 'fallbackEmails',
        message: `fallbackEmails repeats the primary address ${row.email}`,
      },
    };
  }
  seen.set(row.email, line);
  const recipient: Recipient = { id: recipientId(row.email), ...row };
  for (const k of Object.keys(recipient) as (keyof Recipient)[]) {
    if (recipient[k] === undefined) delete recipient[k];
  }
  return { recipient };
}

/**
 * Reads a recipients CSV held in memory (header row required; column names
 * are matched case-insensitively, unknown columns are ignored). Returns the
 * good rows in file order and one problem per bad row.
 */
export function importRecipients(csv: string, file = 'recipients.csv'): RecipientImport {
  const problems: RowProblem[] = [];
  let records: CsvRecord[];
  try {
    records = parse(
      csv,
      csvOptions(file, (p) => problems.push(p)),
    ) as unknown as CsvRecord[];
  } catch (err) {
    throw fileError(err, file);
  }
  const seen = new Map<string, number>();
  const recipients: Recipient[] = [];
  for (const { record, info } of records) {
    // info.lines is the line the record ends on; a record with quoted line breaks starts earlier.
    const outcome = readRow(record, info.lines, seen);
    if ('recipient' in outcome) recipients.push(outcome.recipient);
    else problems.push(outcome.problem);
  }
  problems.sort((a, b) => a.line - b.line);
  return { recipients, problems, rows: records.length + problems.filter((p) => !p.field).length };
}

/**
 * Streams a recipients CSV of any length: rows are parsed, validated and
 * yielded one by one, so a list of 100,000 never sits in memory (only the set
 * of addresses seen, for de-duplication).
 */
export async function* streamRecipients(
  chunks: AsyncIterable<string | Buffer>,
  file = 'recipients.csv',
): AsyncGenerator<RowOutcome> {
  const skipped: RowProblem[] = [];
  const parser = parseStream(csvOptions(file, (p) => skipped.push(p)));
  const feed = (async () => {
    try {
      for await (const chunk of chunks) {
        if (!parser.write(chunk)) await new Promise((r) => parser.once('drain', r));
      }
      parser.end();
    } catch (err) {
      parser.destroy(err as Error);
    }
  })();
  const seen = new Map<string, number>();
  try {
    for await (const { record, info } of parser as AsyncIterable<CsvRecord>) {
      while (skipped.length) yield { problem: skipped.shift()! };
      yield readRow(record, info.lines, seen);
    }
  } catch (err) {
    throw fileError(err, file);
  }
  await feed;
  while (skipped.length) yield { problem: skipped.shift()! };
}

function normaliseHeader(header: string[], file: string): string[] {
  const names = header.map((h) =>
    h
      .trim()
      .toLowerCase()
      .replace(/[\s_]+/g, ''),
  );
  const mapped = names.map((n) => {
    if (n === 'organization' || n === 'org') return 'organisation';
    if (n === 'lang') return 'language';
    if (n === 'lastverified' || n === 'verified' || n === 'verifiedon') return 'lastVerified';
    if (/^fallbacks?(emails?|addresses)?$/.test(n)) return 'fallbackEmails';
    return (COLUMNS as readonly string[]).includes(n) ? n : `_ignored_${n}`;
  });
  if (!mapped.includes('email')) {
    throw new RecipientsFileError(
      file,
      `the header row has no "email" column (found: ${header.join(', ')})`,
      1,
    );
  }
  if (!mapped.includes('name')) {
    throw new RecipientsFileError(
      file,
      `the header row has no "name" column (found: ${header.join(', ')})`,
      1,
    );
  }
  return mapped;
}

function csvMessage(err: Error): string {
  return err.message
    .replace(/^Invalid Record Length: /, '')
    .replace(/\s+/g, ' ')
    .trim();
}
