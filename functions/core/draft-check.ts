/**
 * The workspace's check as a campaigner types: what the statement says (or
 * each problem with its field and line), and what a recipients list would
 * import (rows accepted, each refused row with its line, column and reason,
 * duplicates, and the list by group, country, language and verification
 * date), with the warnings that matter before approval: officials' addresses
 * not checked recently, and recipients whose language has no translation.
 * Nothing is stored. Pure: the route parses, this summarises.
 */
import type { StatementIssue, RowProblem } from './errors.js';
import type { Recipient, RecipientImport } from './recipients.js';
import type { Statement } from './statement.js';
import { checkTargets, targetWarning } from './governance/targets.js';

export interface StatementCheck {
  ok: boolean;
  issues: StatementIssue[];
  title?: string;
  subject?: string;
  deadline?: string;
  meeting?: string;
  language?: string;
  from?: { name: string; address: string };
  replyToDomain?: string;
  signatories?: { name: string; organisation?: string }[];
  postalAddress?: string;
  translations?: { language: string; title: string; subject: string }[];
}

export interface ListCheck {
  rows: number;
  accepted: number;
  refused: RowProblem[];
  /** Rows refused because their address was already on an earlier line. */
  duplicates: number;
  byGroup: Record<string, number>;
  byCountry: Record<string, number>;
  byLanguage: Record<string, number>;
  /** Officials by the month their address was last verified ("2026-11", or "never"). */
  byVerified: Record<string, number>;
  staleWarning?: string;
  /** Recipients asking for a language the statement has no translation for: they get the main one. */
  untranslated?: { count: number; languages: string[]; fallback: string; text: string };
}

export function statementCheck(
  statement: Statement | undefined,
  issues: StatementIssue[],
): StatementCheck {
  if (!statement) return { ok: false, issues };
  return {
    ok: issues.length === 0,
    issues,
    title: statement.title,
    subject: statement.subject,
    deadline: statement.deadline,
    ...(statement.meeting ? { meeting: statement.meeting } : {}),
    language: statement.language,
    from: statement.from,
    replyToDomain: statement.replyToDomain,
    signatories: statement.signatories,
    ...(statement.postalAddress ? { postalAddress: statement.postalAddress } : {}),
    translations: (statement.translations ?? []).map((t) => ({
      language: t.language,
      title: t.title,
      subject: t.subject,
    })),
  };
}

const bump = (m: Record<string, number>, k: string) => {
  m[k] = (m[k] ?? 0) + 1;
};

/** Recipients whose language is none of the statement's, in one sentence. */
export function untranslated(
  recipients: Pick<Recipient, 'language'>[],
  languages: string[],
  fallback: string,
): ListCheck['untranslated'] {
  const missing = new Map<string, number>();
  for (const r of recipients) {
    const lang = r.language?.toLowerCase();
    if (lang && !languages.includes(lang)) missing.set(lang, (missing.get(lang) ?? 0) + 1);
  }
  if (!missing.size) return undefined;
  const count = [...missing.values()].reduce((a, b) => a + b, 0);
  const names = [...missing.keys()].sort();
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0];
  return {
    count,
    languages: names,
    fallback,
    text: `${count} recipient${count === 1 ? '' : 's'} asked for ${list}: ${count === 1 ? 'it' : 'they'} will get the ${fallback} letter.`,
  };
}

export function listCheck(
  imported: RecipientImport,
  statement: Statement | undefined,
  now: Date,
  verifyWindowDays: number,
): ListCheck {
  const out: ListCheck = {
    rows: imported.rows,
    accepted: imported.recipients.length,
    refused: imported.problems,
    // A repeated address is refused as "email x repeats line N" (core/recipients.ts).
    duplicates: imported.problems.filter((p) => / repeats line \d+$/.test(p.message)).length,
    byGroup: {},
    byCountry: {},
    byLanguage: {},
    byVerified: {},
  };
  for (const r of imported.recipients) {
    bump(out.byGroup, r.group);
    bump(out.byCountry, r.country ?? 'not given');
    bump(out.byLanguage, r.language ?? 'not given');
    if (r.group === 'minister' || r.group === 'eu-institution')
      bump(out.byVerified, r.lastVerified ? r.lastVerified.slice(0, 7) : 'never');
  }
  const warning = targetWarning(checkTargets(imported.recipients, now, verifyWindowDays));
  if (warning) out.staleWarning = warning;
  if (statement) {
    const langs = [statement.language, ...(statement.translations ?? []).map((t) => t.language)];
    const missing = untranslated(imported.recipients, langs, statement.language);
    if (missing) out.untranslated = missing;
  }
  return out;
}
