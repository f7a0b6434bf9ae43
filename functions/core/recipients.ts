/**
 * Recipients: reading a campaigner's list, as spreadsheets export it, into
 * validated, normalised, de-duplicated rows. The file's encoding
 * (recipients/decode.ts) and separator (`,` `;` or tab, from the header line)
 * are detected and reported. A bad row is reported once, at the line where it
 * starts, with every problem it has, and the import goes on with the good
 * ones; only a file that cannot be read as a recipients table at all (a
 * workbook, no header, no email column, a quote that swallows the rest of the
 * file) is refused whole.
 */
import { createHash } from 'node:crypto';
import { parse as parseStream, type Options as CsvOptions } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { RecipientsFileError, type RowProblem } from './errors.js';
import { countLf, CsvDecoder, type Decoded, describeEncoding } from './recipients/decode.js';
import {
  COLUMNS,
  normaliseEmail,
  type RecipientRow,
  recipientRowSchema,
} from './recipients/fields.js';
import type { Group } from './recipients/values.js';

export { COLUMNS, MAX_FALLBACKS, normaliseEmail, recipientRowSchema } from './recipients/fields.js';
export { GROUPS, GROUP_SPELLINGS, parseGroup, type Group } from './recipients/values.js';

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
  /** Where the address comes from (a ministry website, a phone call …). */
  source?: string;
  /** YYYY-MM-DD: the day the address was last checked. */
  lastVerified?: string;
  /**
   * Addresses to try, in order, when the primary hard-bounces before the deadline
   * (a ministry's general office …): the letter goes to the next one.
   */
  fallbackEmails?: string[];
}

export type Delimiter = ',' | ';' | '\t';

/** How the file was read: said in the import summary, so a wrong guess shows. */
export interface CsvFormat extends Decoded {
  delimiter: Delimiter;
}

/** A short, stable, non-reversible-at-a-glance id for a recipient within a campaign. */
export function recipientId(email: string): string {
  return 'r' + createHash('sha256').update(normaliseEmail(email)).digest('base64url').slice(0, 20);
}

export interface RecipientImport {
  recipients: Recipient[];
  /**
   * With `keepColumns`: each good row's cells by header name (known columns
   * by their name, others as `_ignored_<name>`), in the order of `recipients`,
   * for readers that take more columns than a campaign does (the directory).
   */
  columns?: Record<string, string>[];
  /** With `keepColumns`: the line each good row starts on, in the order of `recipients`. */
  lines?: number[];
  problems: RowProblem[];
  /** Number of data rows read (good and bad; blank rows not counted). */
  rows: number;
  format: CsvFormat;
}

/** One outcome of reading a row: a recipient, or the reason the row was skipped. */
export type RowOutcome =
  | { recipient: Recipient; columns?: Record<string, string>; line?: number }
  | { problem: RowProblem };

const DELIMITER_NAMES: Record<Delimiter, string> = {
  ',': 'comma',
  ';': 'semicolon',
  '\t': 'tab',
};

/** "semicolon-separated, UTF-8 with BOM, CRLF line ends". */
export function describeFormat(f: CsvFormat): string {
  return [
    `${DELIMITER_NAMES[f.delimiter]}-separated`,
    describeEncoding(f),
    ...(f.lineEnd ? [`${f.lineEnd} line ends`] : []),
  ].join(', ');
}

/** The line a campaigner reads after an import: counts, each bad row once, and how the file was read. */
export function importSummary(good: number, bad: number, format?: CsvFormat): string {
  const rows = (n: number) => `${n} row${n === 1 ? '' : 's'}`;
  return `Read ${good} recipient${good === 1 ? '' : 's'}${bad ? `, ${rows(bad)} skipped` : ''}${
    format ? ` (${describeFormat(format)})` : ''
  }.`;
}

/**
 * The separator of a header line: the most frequent of `,` `;` and tab
 * outside quotes (a comma when none is found). Excel's `sep=;` first line is
 * honoured.
 */
export function detectDelimiter(line: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c in counts) counts[c as Delimiter]++;
  }
  return (Object.keys(counts) as Delimiter[]).reduce(
    (a, b) => (counts[b] > counts[a] ? b : a),
    ',',
  );
}

/** The dialect of a text from its first line, and how much of it to skip (a `sep=` line). */
function dialect(head: string, file: string): { delimiter: Delimiter; skip: number } {
  const first = head.slice(0, head.indexOf('\n') >= 0 ? head.indexOf('\n') : undefined);
  const sep = /^"?sep=([,;\t|])"?\s*$/i.exec(first);
  if (sep) {
    if (sep[1] === '|') {
      throw new RecipientsFileError(file, 'sep=| is not accepted: use , ; or a tab', 1);
    }
    return { delimiter: sep[1] as Delimiter, skip: first.length + 1 };
  }
  return { delimiter: detectDelimiter(first), skip: 0 };
}

/** A row longer than this is a quote left open, not a recipient. */
const MAX_RECORD = 64 * 1024;

type RawRecord = { record: string[]; raw: string };

/**
 * Turns parsed records into outcomes, in file order, counting physical lines
 * itself (csv-parse counts the line a record ends on, and counts a CR alone
 * as a line): a problem names the line where its record starts.
 */
class RowReader {
  private header?: string[];
  private next: number;
  rows = 0;
  readonly seen = new Map<string, number>();

  constructor(
    private readonly file: string,
    firstLine: number,
    private readonly onSkip: (p: RowProblem) => void,
    private readonly keepColumns = false,
    private readonly withIds = true,
  ) {
    this.next = firstLine;
  }

  /** Start and end line of a raw record (leading blank lines are the ones skipped before it). */
  private span(raw: string): { start: number; end: number } {
    let lead = 0;
    while (raw[lead] === '\n') lead++;
    const body = raw.slice(lead);
    const start = this.next + lead;
    const end = start + Math.max(0, countLf(body) - (body.endsWith('\n') ? 1 : 0));
    this.next = end + 1;
    return { start, end };
  }

  onRecord({ record, raw }: RawRecord): RowOutcome | undefined {
    const { start, end } = this.span(raw);
    if (!this.header) {
      this.header = normaliseHeader(record, this.file, start);
      return undefined;
    }
    // Excel writes a row of separators for a blank row that once had formatting.
    if (record.every((f) => f.trim() === '')) return undefined;
    this.rows++;
    const lines = end > start ? { line: start, endLine: end } : { line: start };
    if (record.length !== this.header.length) {
      return {
        problem: {
          ...lines,
          field: '',
          message: `has ${record.length} fields but the header has ${this.header.length}: a value with the separator inside it needs quotes ("…"), or a separator is missing`,
        },
      };
    }
    const row: Record<string, string> = {};
    this.header.forEach((name, i) => (row[name] = record[i]!));
    const outcome = readRow(row, start, this.seen, this.withIds);
    if ('problem' in outcome && end > start) outcome.problem.endLine = end;
    if ('recipient' in outcome && this.keepColumns) {
      outcome.columns = row;
      outcome.line = start;
    }
    return outcome;
  }

  onError(err: Error & { code?: string }, raw: string | undefined): void {
    const { start, end } = this.span(raw ?? '');
    if (err.code === 'CSV_MAX_RECORD_SIZE') {
      throw new RecipientsFileError(
        this.file,
        `the row starting here is longer than ${MAX_RECORD / 1024} KB: a quote is probably left open`,
        start,
      );
    }
    if (err.code === 'CSV_QUOTE_NOT_CLOSED' && end > start) {
      throw new RecipientsFileError(
        this.file,
        `a quote opened on this line is never closed, so lines ${start}–${end} cannot be read as rows: close it (a quote inside a value is written twice, "")`,
        start,
      );
    }
    this.rows++;
    this.onSkip({
      line: start,
      field: '',
      message:
        err.code === 'CSV_QUOTE_NOT_CLOSED'
          ? 'has a quote that is never closed: close it (a quote inside a value is written twice, "")'
          : `cannot be read as a row (${err.message.replace(/\s+/g, ' ').slice(0, 120)})`,
    });
  }

  finish(): void {
    if (!this.header) throw new RecipientsFileError(this.file, 'is empty: it has no header row', 1);
  }
}

function csvOptions(delimiter: Delimiter, reader: RowReader): CsvOptions {
  return {
    delimiter,
    record_delimiter: '\n',
    raw: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD,
    // With `raw`, csv-parse hands each record as { record, raw }; what we return is what it yields.
    on_record: (record) =>
      reader.onRecord(record as unknown as RawRecord) as unknown as string[] | undefined,
    on_skip: (err, raw) => {
      if (err) reader.onError(err, raw);
      return undefined;
    },
  };
}

function fileError(err: unknown, file: string): Error {
  if (err instanceof RecipientsFileError) return err;
  const e = err as Error;
  return new RecipientsFileError(file, `cannot be read as CSV: ${e.message.replace(/\s+/g, ' ')}`);
}

/**
 * Validates one row (header names already mapped to columns). `seen` maps
 * emails already imported to their line, so a repeated address is reported
 * against its first line. Every problem of the row is in the message.
 */
export function readRow(
  record: Record<string, string>,
  line: number,
  seen: Map<string, number>,
  withId = true,
): RowOutcome {
  const row0: Record<string, string> = {};
  for (const c of COLUMNS) row0[c] = record[c] ?? '';
  const result = recipientRowSchema.safeParse(row0);
  if (!result.success) {
    const byField = new Map<string, string>();
    for (const issue of result.error.issues) {
      const field = String(issue.path[0] ?? '');
      if (!byField.has(field))
        byField.set(field, issue.code === 'invalid_type' ? 'is missing' : issue.message);
    }
    const issues = [...byField].map(([field, message]) => ({ field, message }));
    return {
      problem: {
        line,
        field: issues[0]!.field,
        message: issues.map((i) => `${i.field} ${i.message}`).join('; '),
        ...(issues.length > 1 ? { issues } : {}),
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
  // Only the fields that have a value (built, not deleted from: `delete` makes every row a slow object).
  // The id is a hash of the address: a reader that throws it away (the
  // directory's import) skips the hashing, a tenth of the row's cost.
  const recipient: Record<string, unknown> = withId ? { id: recipientId(row.email) } : {};
  for (const k of Object.keys(row) as (keyof RecipientRow)[])
    if (row[k] !== undefined) recipient[k] = row[k];
  return { recipient: recipient as unknown as Recipient };
}

/**
 * Reads a recipients list held in memory: bytes (the encoding is detected)
 * or text. Header row required; column names are matched case-insensitively,
 * unknown columns are ignored. Returns the good rows in file order and one
 * problem per bad row.
 */
export function importRecipients(
  input: string | Uint8Array,
  file = 'recipients.csv',
  opts: { keepColumns?: boolean; ids?: boolean } = {},
): RecipientImport {
  const decoder = new CsvDecoder(file);
  const text = decoder.write(input) + decoder.end();
  const problems: RowProblem[] = [];
  const recipients: Recipient[] = [];
  const columns: Record<string, string>[] = [];
  const lines: number[] = [];
  let format: CsvFormat;
  let reader: RowReader;
  try {
    const { delimiter, skip } = dialect(text, file);
    format = { ...decoder.format, delimiter };
    reader = new RowReader(
      file,
      skip ? 2 : 1,
      (p) => problems.push(p),
      opts.keepColumns,
      opts.ids ?? true,
    );
    const outcomes = parse(
      text.slice(skip),
      csvOptions(delimiter, reader),
    ) as unknown as RowOutcome[];
    reader.finish();
    for (const o of outcomes) {
      if ('recipient' in o) {
        recipients.push(o.recipient);
        if (o.columns) columns.push(o.columns);
        if (o.line !== undefined) lines.push(o.line);
      } else problems.push(o.problem);
    }
  } catch (err) {
    throw fileError(err, file);
  }
  problems.sort((a, b) => a.line - b.line);
  return {
    recipients,
    problems,
    rows: reader.rows,
    format,
    ...(opts.keepColumns ? { columns, lines } : {}),
  };
}

/**
 * Streams a recipients list of any length: rows are decoded, parsed,
 * validated and yielded one by one, so a list of 100,000 never sits in memory
 * (only the set of addresses seen, for de-duplication). `onFormat` hears how
 * the file was read once the last row is out.
 */
export async function* streamRecipients(
  chunks: AsyncIterable<string | Uint8Array>,
  file = 'recipients.csv',
  onFormat?: (format: CsvFormat) => void,
): AsyncGenerator<RowOutcome> {
  const skipped: RowProblem[] = [];
  const decoder = new CsvDecoder(file);
  let ready!: (p: ReturnType<typeof parseStream>) => void;
  let failed!: (err: unknown) => void;
  const opened = new Promise<ReturnType<typeof parseStream>>((res, rej) => {
    ready = res;
    failed = rej;
  });
  let reader: RowReader | undefined;
  let delimiter: Delimiter = ',';
  const open = (head: string) => {
    const d = dialect(head, file);
    delimiter = d.delimiter;
    const skip = d.skip;
    reader = new RowReader(file, skip ? 2 : 1, (p) => skipped.push(p));
    const parser = parseStream(csvOptions(delimiter, reader));
    parser.write(head.slice(skip));
    ready(parser);
    return parser;
  };
  const feed = (async () => {
    let parser: ReturnType<typeof parseStream> | undefined;
    let head = '';
    try {
      for await (const chunk of chunks) {
        const text = decoder.write(chunk);
        if (!parser) {
          head += text;
          if (head.includes('\n')) parser = open(head);
        } else if (text && !parser.write(text)) {
          await new Promise((r) => parser!.once('drain', r));
        }
      }
      const rest = decoder.end();
      if (!parser) parser = open(head + rest);
      else if (rest) parser.write(rest);
      parser.end();
    } catch (err) {
      if (parser) parser.destroy(err as Error);
      else failed(err);
    }
  })();
  try {
    const parser = await opened;
    for await (const outcome of parser as AsyncIterable<RowOutcome>) {
      while (skipped.length) yield { problem: skipped.shift()! };
      yield outcome;
    }
    reader?.finish();
  } catch (err) {
    throw fileError(err, file);
  }
  await feed;
  while (skipped.length) yield { problem: skipped.shift()! };
  // Only now: the encoding is decided at the first byte that is not ASCII, wherever it is.
  onFormat?.({ ...decoder.format, delimiter });
}

function normaliseHeader(header: string[], file: string, line: number): string[] {
  const names = header.map((h) =>
    h
      .trim()
      .toLowerCase()
      .replace(/[\s_-]+/g, ''),
  );
  const mapped = names.map((n) => {
    if (n === 'organization' || n === 'org') return 'organisation';
    if (n === 'lang') return 'language';
    if (n === 'lastverified' || n === 'verified' || n === 'verifiedon') return 'lastVerified';
    if (/^fallbacks?(emails?|addresses)?$/.test(n)) return 'fallbackEmails';
    if (n === 'e-mail' || n === 'emailaddress' || n === 'mail') return 'email';
    return (COLUMNS as readonly string[]).includes(n) ? n : `_ignored_${n}`;
  });
  const found = header.map((h) => JSON.stringify(h)).join(', ');
  for (const required of ['email', 'name']) {
    if (!mapped.includes(required)) {
      throw new RecipientsFileError(
        file,
        `the header row has no "${required}" column (found: ${found})`,
        line,
      );
    }
  }
  const twice = mapped.find((m, i) => !m.startsWith('_ignored_') && mapped.indexOf(m) !== i);
  if (twice) {
    throw new RecipientsFileError(file, `the header row names the "${twice}" column twice`, line);
  }
  return mapped;
}
