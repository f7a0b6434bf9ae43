/**
 * Statements: the text a coalition signs, with what the letter needs to know
 * about it (subject, sender, meeting, deadline, language, signatories).
 *
 * Two inputs are accepted: Markdown with YAML front matter, and plain text in
 * the shape NGOs usually circulate (title on the first line, "•" bullets,
 * blank-line paragraphs). Both become the same `Statement` value, whose body is
 * a small block structure rather than HTML (statement/blocks.ts): the letter
 * renders and escapes it, so no statement text can ever carry markup into a
 * letter. Parsing hostile input is bounded: a size limit, YAML alias limits,
 * and every failure a StatementInvalidError naming the field and line.
 */
import { isAlias, isMap, isNode, isScalar, LineCounter, parseDocument, visit } from 'yaml';
import { StatementInvalidError, type StatementIssue } from './errors.js';
import type { TrackingPolicy } from './events/tracking.js';
import { plainText, type Block } from './statement/blocks.js';
import {
  canonicalKey,
  closestKey,
  frontMatterSchema,
  fromSchema,
} from './statement/front-matter.js';
import { markdownBlocks } from './statement/markdown.js';
import { plainBlocks } from './statement/plain.js';
import { cleanSource } from './statement/source.js';

export type { Align, Block, Inline, ListBlock } from './statement/blocks.js';
export { frontMatterSchema } from './statement/front-matter.js';
export { MAX_STATEMENT_BYTES } from './statement/source.js';

export interface Signatory {
  name: string;
  organisation?: string;
}

export interface Statement {
  title: string;
  subject: string;
  from: { name: string; address: string };
  replyToDomain: string;
  meeting?: string;
  /** ISO 8601 date-time with an explicit zone, as written. */
  deadline: string;
  /**
   * The IANA zone the meeting's clock is in (Europe/Brussels): the letter
   * names it ("heure de Bruxelles"); without it the letter shows the offset.
   */
  zone?: string;
  language: string;
  signatories: Signatory[];
  body: Block[];
  /** The coalition's postal address, shown in the letter's footer. */
  postalAddress?: string;
  /** Where people's replies are forwarded. */
  staffAddress?: string;
  /** Open and click tracking switches (docs/tracking.md). */
  tracking?: TrackingPolicy;
  /** The statement in other languages; `language` above is the campaign default. */
  translations?: Translation[];
  /**
   * The organisations that co-signed through sign-on, locked when it closed
   * (core/signon/lock.ts). Part of the statement, so inside the content hash
   * that is approved: a change after approval is a new version.
   */
  cosign?: CoSign;
}

/** The approved co-signatories, in the letter's order, and where the full list is online. */
export interface CoSign {
  signatories: CoSignatory[];
  /** The public page with the whole list, for letters that cannot hold it all. */
  listUrl?: string;
}

export interface CoSignatory {
  /** As the organisation gave it (or as staff edited it), in its own script. */
  name: string;
  /** Its Latin transliteration, when given. */
  latin?: string;
  /** ISO 3166-1 alpha-2: each letter names the country in its own language. */
  country: string;
}

/** One translation of a statement: what a reader sees in their language. */
export interface Translation {
  language: string;
  title: string;
  subject: string;
  meeting?: string;
  body: Block[];
}

/** Values a caller (the CLI's options, the local config) supplies for fields a file lacks or overrides. */
export type StatementOverrides = Partial<
  Pick<
    Statement,
    | 'subject'
    | 'deadline'
    | 'zone'
    | 'meeting'
    | 'language'
    | 'replyToDomain'
    | 'from'
    | 'postalAddress'
    | 'staffAddress'
  >
> & { signatories?: Signatory[] };

export interface ParseOptions {
  /**
   * How a person gave an override, for messages that blame the right place:
   * the CLI's "--deadline" (the default), an API field "overrides.deadline" …
   */
  overrideName?: (field: string) => string;
}

/** A statement and what a person should know about how it was read. */
export interface ParsedStatement {
  statement: Statement;
  /** Changes made (control characters removed) and keys not understood, each with its line. */
  warnings: StatementIssue[];
}

const OPTION_NAMES: Record<string, string> = {
  replyToDomain: 'reply-domain',
  signatories: 'signatory',
  postalAddress: 'address',
  staffAddress: 'staff-address',
};

const cliOption = (field: string) => `--${OPTION_NAMES[field] ?? field}`;

/**
 * Parses a statement file. Markdown is recognised by its front matter; any
 * other text is read as a plain-text statement. Throws StatementInvalidError
 * listing every problem with its field and line.
 */
export function parseStatement(
  source: string,
  file = 'statement',
  overrides: StatementOverrides = {},
  options: ParseOptions = {},
): Statement {
  return readStatementSource(source, file, overrides, options).statement;
}

/** As parseStatement, with the warnings a preview or plan shows. */
export function readStatementSource(
  source: string,
  file = 'statement',
  overrides: StatementOverrides = {},
  options: ParseOptions = {},
): ParsedStatement {
  const { text, warnings } = cleanSource(source, file);
  const given = definedOnly(overrides);
  const blame = (issue: StatementIssue): StatementIssue => {
    const key = issue.field.split('.')[0]!;
    if (!(key in given)) return issue;
    const { line: _line, ...rest } = issue;
    return { ...rest, from: (options.overrideName ?? cliOption)(key) };
  };
  const parsed = /^---\n/.test(text)
    ? parseMarkdownStatement(text, file, given, warnings, blame)
    : parsePlainStatement(text, file, given, warnings, blame);
  return { statement: parsed, warnings };
}

type Blame = (issue: StatementIssue) => StatementIssue;

function yamlLine(lineCounter: LineCounter, offset: number | undefined): number | undefined {
  return offset !== undefined ? lineCounter.linePos(offset).line + 1 : undefined;
}

function parseMarkdownStatement(
  text: string,
  file: string,
  overrides: StatementOverrides,
  warnings: StatementIssue[],
  blame: Blame,
): Statement {
  const end = text.indexOf('\n---', 4);
  if (end < 0) {
    throw new StatementInvalidError(file, [
      { field: 'front matter', line: 1, message: 'is opened with --- but never closed' },
    ]);
  }
  const yamlText = text.slice(4, end + 1);
  const bodyStartLine = yamlText.split('\n').length + 2;
  const lineCounter = new LineCounter();
  // Offsets are in the YAML text, which starts on line 2 of the file.
  const line = (offset: number | undefined) => yamlLine(lineCounter, offset);
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new StatementInvalidError(
      file,
      doc.errors.map((e) => ({
        field: 'front matter',
        line: (e.linePos?.[0]?.line ?? 0) + 1,
        message: `is not valid YAML: ${e.message.split('\n')[0]}`,
      })),
    );
  }
  // Keys as people write them (reply_to_domain) become the known ones; unknown ones are warned about.
  const keyLine = new Map<string, number | undefined>();
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      if (!isScalar(pair.key)) continue;
      const written = String(pair.key.value);
      const known = canonicalKey(written);
      keyLine.set(known, line(pair.key.range?.[0]));
      if (known !== written) {
        pair.key.value = known;
        continue;
      }
      if (!(frontMatterSchema.shape as Record<string, unknown>)[known]) {
        const near = closestKey(written);
        warnings.push({
          field: written,
          line: line(pair.key.range?.[0]),
          message: `is not a front-matter key demarche knows, and is ignored${near ? ` (did you mean ${near}?)` : ''}`,
        });
      }
    }
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (err) {
    let aliasLine: number | undefined;
    visit(doc, {
      Alias: (_k, node) => {
        if (isAlias(node)) aliasLine = line(node.range?.[0]);
        return visit.BREAK;
      },
    });
    throw new StatementInvalidError(file, [
      {
        field: 'front matter',
        line: aliasLine ?? 2,
        message: /alias/i.test((err as Error).message)
          ? 'expands its aliases (*name) too many times to read safely: write the values out'
          : `cannot be read: ${(err as Error).message.split('\n')[0]}`,
      },
    ]);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new StatementInvalidError(file, [
      { field: 'front matter', line: 2, message: 'must be a YAML mapping of fields' },
    ]);
  }
  const written = data as Record<string, unknown>;
  const issues: StatementIssue[] = [];
  const body = markdownBlocks(text.slice(end + 4), bodyStartLine - 1, issues);
  // The letter shows its title above the body: a first `#` that repeats it (or gives it) is not shown twice.
  const first = body[0];
  if (first?.type === 'heading' && first.level === 1) {
    const heading = plainText(first.inlines).trim();
    if (written.title === undefined) {
      written.title = heading;
      body.shift();
    } else if (typeof written.title === 'string' && sameText(written.title, heading)) {
      body.shift();
    }
  }
  const merged = { ...written, ...overrides };
  const result = frontMatterSchema.safeParse(merged);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.map(String);
      const node = doc.getIn(issue.path as (string | number)[], true);
      const offset = isNode(node) && node.range ? node.range[0] : undefined;
      issues.push(
        blame({
          field: path.join('.') || 'front matter',
          line: line(offset) ?? keyLine.get(path[0] ?? '') ?? 1,
          message:
            issue.code === 'invalid_type' && issue.input === undefined
              ? 'is required'
              : issue.message,
        }),
      );
    }
  }
  if (body.length === 0) issues.push({ field: 'body', line: bodyStartLine, message: 'is empty' });
  if (issues.length > 0 || !result.success) throw new StatementInvalidError(file, issues);
  return { ...result.data, body };
}

const sameText = (a: string, b: string) =>
  a.replace(/\s+/g, ' ').trim().toLowerCase() === b.replace(/\s+/g, ' ').trim().toLowerCase();

function parsePlainStatement(
  text: string,
  file: string,
  overrides: StatementOverrides,
  warnings: StatementIssue[],
  blame: Blame,
): Statement {
  const lines = text.split('\n');
  const titleIndex = lines.findIndex((l) => l.trim() !== '');
  if (titleIndex < 0) {
    throw new StatementInvalidError(file, [{ field: 'body', line: 1, message: 'is empty' }]);
  }
  for (const w of warnings) {
    if (w.line === titleIndex + 1) {
      w.field = 'title';
      w.message = `${w.message}: the title is one line`;
    }
  }
  const title = lines[titleIndex]!.trim().replace(/\s{2,}/g, ' ');
  const body = plainBlocks(lines.slice(titleIndex + 1));
  const fields: Record<string, unknown> = { title, subject: title, ...overrides };
  // Plain text names no signatories: unless told otherwise, the sender signs.
  const sender = fromSchema.safeParse(fields.from);
  if (fields.signatories === undefined && sender.success)
    fields.signatories = [{ name: sender.data.name }];
  const result = frontMatterSchema.safeParse(fields);
  const issues: StatementIssue[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = issue.path.map(String).join('.');
      // Signatories default to the sender: when the sender is what is wrong, say only that.
      if (field === 'signatories' && !sender.success && overrides.signatories === undefined)
        continue;
      const missing = issue.code === 'invalid_type' && issue.input === undefined;
      issues.push(
        blame({
          field,
          line: field === 'title' ? titleIndex + 1 : undefined,
          message: missing
            ? `is required (a plain-text statement cannot say it: pass ${cliOption(field)})`
            : issue.message,
        }),
      );
    }
  }
  if (body.length === 0) issues.push({ field: 'body', line: titleIndex + 2, message: 'is empty' });
  if (issues.length > 0 || !result.success) throw new StatementInvalidError(file, issues);
  return { ...result.data, body };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A language code as used in translation file names and recipient rows. */
export const LANGUAGE_CODE = /^[a-z]{2,3}(-[A-Z]{2})?$/;

/**
 * Parses one translation of `base` (a file such as statement.fr.md next to
 * statement.md). Markdown translations give their own `title` and `subject`
 * (and may give `meeting`) in front matter; plain-text ones have the title on
 * the first line. Sender, deadline and signatories always come from `base`,
 * so a translation cannot contradict the statement it translates.
 */
export function parseTranslation(
  source: string,
  file: string,
  language: string,
  base: Statement,
): Translation {
  if (!LANGUAGE_CODE.test(language)) {
    throw new StatementInvalidError(file, [
      { field: 'language', message: `"${language}" is not a language code such as fr or pt-BR` },
    ]);
  }
  if (language === base.language || base.translations?.some((t) => t.language === language)) {
    throw new StatementInvalidError(file, [
      { field: 'language', message: `the statement already has a ${language} version` },
    ]);
  }
  const parsed = parseStatement(source, file, {
    from: base.from,
    replyToDomain: base.replyToDomain,
    deadline: base.deadline,
    language,
    signatories: base.signatories,
  });
  return {
    language,
    title: parsed.title,
    subject: parsed.subject,
    ...((parsed.meeting ?? base.meeting) ? { meeting: parsed.meeting ?? base.meeting } : {}),
    body: parsed.body,
  };
}

export { statementIn, statementLanguages } from './statement-in.js';
