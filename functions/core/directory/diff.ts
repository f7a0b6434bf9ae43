/**
 * An import as a reviewed change. A directory CSV is compared with the
 * directory before anything is written: each row is new, changed (field by
 * field) or unchanged, and each target the file does not mention is
 * "missing" (present before, not in this file). A row is matched by its
 * external id when it has one, else by its email. Each entry has a key that
 * names the exact change (a target's key includes the version it was
 * compared with), so applying a chosen subset later applies what the person
 * reviewed, or nothing for an entry whose target changed meanwhile. Pure.
 */
import type { DirectoryFile, DirectoryRow } from './csv.js';
import {
  type FieldChange,
  fieldChanges,
  type Target,
  type TargetField,
  type TargetFields,
} from './model.js';

export interface NewEntry {
  key: string;
  line: number;
  fields: TargetFields;
}
export interface ChangedEntry {
  key: string;
  line: number;
  targetId: string;
  /** The version the change was computed against. */
  version: number;
  name: string;
  /** How the row was matched to the target. */
  matchedBy: 'externalId' | 'email';
  changes: FieldChange[];
  /** The target's fields once the change is applied. */
  fields: TargetFields;
}
export interface MissingEntry {
  key: string;
  targetId: string;
  version: number;
  name: string;
  email: string;
}

export interface DirectoryDiff {
  added: NewEntry[];
  changed: ChangedEntry[];
  unchanged: number;
  missing: MissingEntry[];
  /** The fields the file has columns for; the others were left as they are. */
  columns: TargetField[];
}

/** Keys: `new:<email>`, `change:<target>@<version>`, `missing:<target>@<version>`. */
export const newKey = (email: string) => `new:${email}`;
export const changeKey = (t: Pick<Target, 'id' | 'version'>) => `change:${t.id}@${t.version}`;
export const missingKey = (t: Pick<Target, 'id' | 'version'>) => `missing:${t.id}@${t.version}`;

/** The row's values over the target's, for the columns the file has (a column it lacks changes nothing). */
function merged(t: Target, row: DirectoryRow, columns: readonly TargetField[]): TargetFields {
  const out = { ...t } as unknown as Record<string, unknown>;
  for (const f of columns) {
    const v = (row.fields as unknown as Record<string, unknown>)[f];
    if (v === undefined || (Array.isArray(v) && !v.length)) delete out[f];
    else out[f] = v;
  }
  if (!out.tags) out.tags = [];
  return out as unknown as TargetFields;
}

/**
 * Compares a read file with the directory (`targets`, archived ones
 * included: a row for an archived target brings it back).
 */
export function diffDirectory(targets: readonly Target[], file: DirectoryFile): DirectoryDiff {
  const byExternal = new Map<string, Target>();
  const byEmail = new Map<string, Target>();
  for (const t of targets) {
    if (t.externalId) byExternal.set(t.externalId, t);
    byEmail.set(t.email, t);
  }
  const seen = new Set<string>();
  const out: DirectoryDiff = {
    added: [],
    changed: [],
    unchanged: 0,
    missing: [],
    columns: file.columns,
  };
  for (const row of file.rows) {
    const ext = row.fields.externalId;
    let target = ext ? byExternal.get(ext) : undefined;
    let matchedBy: ChangedEntry['matchedBy'] = 'externalId';
    // A row with an external id the directory does not know yet may still be a target
    // kept by its address (one imported before the column existed), but not one that has
    // another external id: that is another person at the same address.
    if (!target) {
      const e = byEmail.get(row.fields.email);
      if (e && (!ext || !e.externalId)) {
        target = e;
        matchedBy = 'email';
      }
    }
    if (!target || seen.has(target.id)) {
      out.added.push({ key: newKey(row.fields.email), line: row.line, fields: row.fields });
      continue;
    }
    seen.add(target.id);
    const fields = merged(target, row, file.columns);
    const changes = fieldChanges(target, fields, file.columns);
    if (target.archived) changes.push({ field: 'archived', before: 'yes' });
    if (!changes.length) {
      out.unchanged++;
      continue;
    }
    out.changed.push({
      key: changeKey(target),
      line: row.line,
      targetId: target.id,
      version: target.version,
      name: target.name,
      matchedBy,
      changes,
      fields,
    });
  }
  for (const t of targets)
    if (!seen.has(t.id) && !t.archived)
      out.missing.push({
        key: missingKey(t),
        targetId: t.id,
        version: t.version,
        name: t.name,
        email: t.email,
      });
  return out;
}

/** "3 new, 2 changed, 40 unchanged, 1 missing". */
export function diffSummary(d: DirectoryDiff): string {
  return `${d.added.length} new, ${d.changed.length} changed, ${d.unchanged} unchanged, ${d.missing.length} missing`;
}

/** The entries of `diff` chosen by `keys` (all of them when `keys` is undefined), and the keys not found. */
export function chooseEntries(diff: DirectoryDiff, keys?: readonly string[]) {
  const wanted = keys ? new Set(keys) : undefined;
  const take = <E extends { key: string }>(xs: E[]) =>
    xs.filter((x) => !wanted || wanted.has(x.key));
  const chosen = {
    added: take(diff.added),
    changed: take(diff.changed),
    missing: take(diff.missing),
  };
  const all = new Set([...diff.added, ...diff.changed, ...diff.missing].map((e) => e.key));
  const notFound = keys ? keys.filter((k) => !all.has(k)) : [];
  return { ...chosen, notFound };
}
