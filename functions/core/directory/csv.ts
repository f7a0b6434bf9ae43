/**
 * Reading a directory CSV. It is a recipients list (the same reader, the
 * same encodings, separators and refused rows, word for word: see
 * core/recipients.ts) with the directory's own columns beside it: kind,
 * institution type, tags, notes and an external id. A row whose recipient
 * columns are fine but whose directory columns are not is refused the same
 * way, at its line.
 */
import type { RowProblem } from '../errors.js';
import { importRecipients, type CsvFormat } from '../recipients.js';
import { closest } from '../suggest.js';
import {
  INSTITUTION_TYPES,
  type InstitutionType,
  TARGET_FIELDS,
  type TargetField,
  type TargetFields,
  type TargetKind,
} from './model.js';

/** One good row: its fields, its line, and which fields the file has at all. */
export interface DirectoryRow {
  line: number;
  fields: TargetFields;
}

export interface DirectoryFile {
  rows: DirectoryRow[];
  problems: RowProblem[];
  /** Data rows read, good and bad. */
  read: number;
  format: CsvFormat;
  /** The fields the file's header names: a column the file lacks is left as it is on import. */
  columns: TargetField[];
}

/** Spellings of the institution types people write, normalised (lower case, letters only). */
const INSTITUTION_WORDS: Record<string, InstitutionType> = {
  ministry: 'ministry',
  ministryofforeignaffairs: 'ministry',
  mfa: 'ministry',
  government: 'ministry',
  permanentrepresentation: 'permanent-representation',
  permrep: 'permanent-representation',
  pr: 'permanent-representation',
  commission: 'commission',
  europeancommission: 'commission',
  ec: 'commission',
  council: 'council',
  councilofeu: 'council',
  counciloftheeu: 'council',
  councilofthe: 'council',
  parliament: 'parliament',
  europeanparliament: 'parliament',
  ep: 'parliament',
  eeas: 'eeas',
  europeanexternalactionservice: 'eeas',
  ngo: 'ngo',
  cso: 'ngo',
  civilsociety: 'ngo',
  other: 'other',
};

const squash = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

/** The institution type a spelling names, or undefined. */
export function parseInstitutionType(s: string): InstitutionType | undefined {
  return INSTITUTION_WORDS[squash(s)] ?? INSTITUTION_WORDS[squash(s).replace(/s$/, '')];
}

/** Tags: separated by `;` or `,`, trimmed, repeats (any case) dropped, at most 30 of 60 characters. */
export function parseTags(s: string): { tags: string[] } | { problem: string } {
  const tags: string[] = [];
  for (const raw of s.split(/[;,|]/)) {
    const t = raw.trim().replace(/\s+/g, ' ');
    if (!t) continue;
    if (t.length > 60)
      return { problem: `tag "${t.slice(0, 40)}…" is ${t.length} characters; at most 60` };
    if (!tags.some((x) => x.toLowerCase() === t.toLowerCase())) tags.push(t);
  }
  if (tags.length > 30) return { problem: `has ${tags.length} tags; at most 30` };
  return { tags };
}

const EXTRA = {
  kind: '_ignored_kind',
  institutionType: '_ignored_institutiontype',
  tags: '_ignored_tags',
  notes: '_ignored_notes',
  externalId: '_ignored_externalid',
} as const;
/** Other spellings of the directory's own columns (after lower-casing and dropping separators). */
const EXTRA_ALIASES: Record<string, keyof typeof EXTRA> = {
  _ignored_type: 'kind',
  _ignored_institution: 'institutionType',
  _ignored_institutiontypes: 'institutionType',
  _ignored_tag: 'tags',
  _ignored_note: 'notes',
  _ignored_id: 'externalId',
  _ignored_externalref: 'externalId',
};

/** The cell of a directory column under any of its header spellings, or undefined when absent. */
function cell(columns: Record<string, string>, field: keyof typeof EXTRA): string | undefined {
  if (EXTRA[field] in columns) return columns[EXTRA[field]];
  for (const [alias, f] of Object.entries(EXTRA_ALIASES))
    if (f === field && alias in columns) return columns[alias];
  return undefined;
}

function extras(columns: Record<string, string>): {
  values: Partial<TargetFields>;
  issues: { field: string; message: string }[];
} {
  const values: Partial<TargetFields> = {};
  const issues: { field: string; message: string }[] = [];
  const kind = cell(columns, 'kind')?.trim().toLowerCase();
  if (kind) {
    if (kind === 'person' || kind === 'office') values.kind = kind as TargetKind;
    else issues.push({ field: 'kind', message: `kind "${kind}" is not one of person, office` });
  }
  const inst = cell(columns, 'institutionType')?.trim();
  if (inst) {
    const t = parseInstitutionType(inst);
    if (t) values.institutionType = t;
    else {
      const near = closest(inst.toLowerCase(), [...INSTITUTION_TYPES], (x) => x);
      issues.push({
        field: 'institutionType',
        message: `institutionType "${inst}" is not one of ${INSTITUTION_TYPES.join(', ')}${near ? ` (did you mean ${near}?)` : ''}`,
      });
    }
  }
  const tags = cell(columns, 'tags');
  if (tags !== undefined) {
    const t = parseTags(tags);
    if ('problem' in t) issues.push({ field: 'tags', message: `tags ${t.problem}` });
    else values.tags = t.tags;
  }
  const notes = cell(columns, 'notes')?.trim();
  if (notes) {
    if (notes.length > 2000)
      issues.push({ field: 'notes', message: `notes is ${notes.length} characters; at most 2000` });
    else values.notes = notes;
  }
  const ext = cell(columns, 'externalId')?.trim();
  if (ext) {
    if (!/^[\p{L}\p{N}._:/#-]{1,80}$/u.test(ext))
      issues.push({
        field: 'externalId',
        message: `externalId "${ext.slice(0, 40)}" must be 1 to 80 letters, digits or . _ : / # -`,
      });
    else values.externalId = ext;
  }
  return { values, issues };
}

/** Which target fields a header names (the recipients columns, and the directory's own). */
function presentFields(columns: Record<string, string> | undefined): TargetField[] {
  if (!columns) return [];
  const names = new Set(Object.keys(columns));
  return TARGET_FIELDS.filter((f) => {
    if (f in EXTRA) return cell(columns, f as keyof typeof EXTRA) !== undefined;
    return names.has(f);
  });
}

/**
 * Reads a directory CSV: good rows as target fields, bad rows as problems
 * (one per row, at its line, as campaign imports list them). External ids
 * repeated within the file are refused like repeated addresses.
 */
export function readDirectoryCsv(
  input: string | Uint8Array,
  file = 'directory.csv',
): DirectoryFile {
  const imported = importRecipients(input, file, { keepColumns: true, ids: false });
  const problems = [...imported.problems];
  const rows: DirectoryRow[] = [];
  const externalSeen = new Map<string, number>();
  imported.recipients.forEach((r, i) => {
    const columns = imported.columns![i]!;
    const line = imported.lines![i]!;
    const { values, issues } = extras(columns);
    if (values.externalId) {
      const first = externalSeen.get(values.externalId);
      if (first !== undefined)
        issues.push({
          field: 'externalId',
          message: `externalId ${values.externalId} repeats line ${first}`,
        });
      else externalSeen.set(values.externalId, line);
    }
    if (issues.length) {
      problems.push({
        line,
        field: issues[0]!.field,
        message: issues.map((x) => x.message).join('; '),
        ...(issues.length > 1 ? { issues } : {}),
      });
      return;
    }
    rows.push({ line, fields: { kind: 'person', tags: [], ...r, ...values } });
  });
  problems.sort((a, b) => a.line - b.line);
  return {
    rows,
    problems,
    read: imported.rows,
    format: imported.format,
    columns: presentFields(imported.columns?.[0]),
  };
}
