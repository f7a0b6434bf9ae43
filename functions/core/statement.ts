/**
 * Statements: the text a coalition signs, with what the letter needs to know
 * about it (subject, sender, meeting, deadline, language, signatories).
 *
 * Two inputs are accepted: Markdown with YAML front matter, and plain text in
 * the shape NGOs usually circulate (title on the first line, "•" bullets,
 * blank-line paragraphs). Both become the same `Statement` value, whose body is
 * a small block structure rather than HTML: the letter renders and escapes it,
 * so no statement text can ever carry markup into a letter.
 */
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { z } from 'zod';
import { hasControl } from './html.js';
import { StatementInvalidError, type StatementIssue } from './errors.js';

/** A run of inline text; `href` is only ever an http(s) or mailto URL. */
export interface Inline {
  text: string;
  strong?: boolean;
  em?: boolean;
  href?: string;
}

export type Block =
  | { type: 'heading'; level: number; inlines: Inline[] }
  | { type: 'paragraph'; inlines: Inline[] }
  | { type: 'list'; ordered: boolean; items: Inline[][] }
  | { type: 'quote'; inlines: Inline[] };

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
  language: string;
  signatories: Signatory[];
  body: Block[];
  /** The coalition's postal address, shown in the letter's footer. */
  postalAddress?: string;
  /** The statement in other languages; `language` above is the campaign default. */
  translations?: Translation[];
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
    'subject' | 'deadline' | 'meeting' | 'language' | 'replyToDomain' | 'from' | 'postalAddress'
  >
> & { signatories?: Signatory[] };

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const noControl = (s: string) => !hasControl(s);
const singleLine = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(500, 'must be at most 500 characters')
  .refine(noControl, 'must be a single line without control characters');

const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'must be a domain name such as replies.example.org',
  );

const fromSchema = z.union([
  z.object({ name: singleLine, address: z.email('must be an email address') }),
  singleLine.transform((s, ctx) => {
    const m = /^(.*?)\s*<([^<>]+)>$/.exec(s);
    const parsed = m && z.email().safeParse(m[2]);
    if (!m || !parsed?.success) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be "Name <address@example.org>" or {name, address}',
      });
      return z.NEVER;
    }
    return { name: m[1]!.replace(/^"|"$/g, '') || m[2]!, address: m[2]! };
  }),
]);

const signatorySchema = z.union([
  singleLine.transform((name) => ({ name })),
  z.object({ name: singleLine, organisation: singleLine.optional() }),
]);

/** The front matter, as written by a campaigner. */
export const frontMatterSchema = z.object({
  title: singleLine,
  subject: singleLine,
  from: fromSchema,
  replyToDomain: domain,
  meeting: singleLine.optional(),
  deadline: z
    .string({ error: (i) => (i.input === undefined ? 'is required' : 'must be a string') })
    .trim()
    .regex(ISO_WITH_ZONE, {
      message: 'must be an ISO 8601 date-time with a zone, e.g. 2027-03-17T09:00:00+01:00',
      abort: true,
    })
    .refine((s) => !Number.isNaN(Date.parse(s)), 'is not a real date-time'),
  language: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'must be a language code such as en, fr or pt-BR'),
  signatories: z.array(signatorySchema).min(1, 'must name at least one signatory'),
  postalAddress: singleLine.optional(),
});

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

/**
 * Parses a statement file. Markdown is recognised by its front matter; any
 * other text is read as a plain-text statement. Throws StatementInvalidError
 * listing every problem with its field and line.
 */
export function parseStatement(
  source: string,
  file = 'statement',
  overrides: StatementOverrides = {},
): Statement {
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (/^---\n/.test(text)) return parseMarkdownStatement(text, file, overrides);
  return parsePlainStatement(text, file, overrides);
}

function parseMarkdownStatement(
  text: string,
  file: string,
  overrides: StatementOverrides,
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
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false });
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
  const data: unknown = doc.toJS() ?? {};
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new StatementInvalidError(file, [
      { field: 'front matter', line: 2, message: 'must be a YAML mapping of fields' },
    ]);
  }
  const merged = { ...(data as Record<string, unknown>), ...definedOnly(overrides) };
  const result = frontMatterSchema.safeParse(merged);
  const issues: StatementIssue[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.map(String);
      const node = doc.getIn(issue.path as (string | number)[], true);
      const offset = isNode(node) && node.range ? node.range[0] : undefined;
      const line = offset !== undefined ? lineCounter.linePos(offset).line + 1 : undefined;
      issues.push({
        field: path.join('.') || 'front matter',
        line: line ?? 1,
        message:
          issue.code === 'invalid_type' && issue.input === undefined
            ? 'is required'
            : issue.message,
      });
    }
  }
  const body = markdownBlocks(text.slice(end + 4));
  if (body.length === 0) issues.push({ field: 'body', line: bodyStartLine, message: 'is empty' });
  if (issues.length > 0 || !result.success) throw new StatementInvalidError(file, issues);
  return { ...result.data, signatories: result.data.signatories, body };
}

function parsePlainStatement(text: string, file: string, overrides: StatementOverrides): Statement {
  const lines = text.split('\n');
  const titleIndex = lines.findIndex((l) => l.trim() !== '');
  if (titleIndex < 0) {
    throw new StatementInvalidError(file, [{ field: 'body', line: 1, message: 'is empty' }]);
  }
  const title = lines[titleIndex]!.trim();
  const body = plainBlocks(lines.slice(titleIndex + 1));
  const fields: Record<string, unknown> = { title, subject: title, ...definedOnly(overrides) };
  // Plain text names no signatories: unless told otherwise, the sender signs.
  const sender = fromSchema.safeParse(fields.from);
  if (fields.signatories === undefined && sender.success)
    fields.signatories = [{ name: sender.data.name }];
  const result = frontMatterSchema.safeParse(fields);
  const issues: StatementIssue[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = issue.path.map(String).join('.');
      const missing = issue.code === 'invalid_type' && issue.input === undefined;
      issues.push({
        field,
        line: field === 'title' ? titleIndex + 1 : undefined,
        message: missing
          ? `is required (a plain-text statement cannot say it: pass --${OPTION_NAMES[field] ?? field})`
          : issue.message,
      });
    }
  }
  if (body.length === 0) issues.push({ field: 'body', line: titleIndex + 2, message: 'is empty' });
  if (issues.length > 0 || !result.success) throw new StatementInvalidError(file, issues);
  return { ...result.data, body };
}

const OPTION_NAMES: Record<string, string> = {
  replyToDomain: 'reply-domain',
  signatories: 'signatory',
};

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const BULLET = /^\s*(?:[•·▪‣◦*-]|\d{1,2}[.)])\s+/;

/** Plain text: blank lines separate paragraphs; bullet lines (even blank-separated) form one list. */
function plainBlocks(lines: string[]): Block[] {
  const paragraphs: string[][] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (line.trim() === '') {
      if (current.length) paragraphs.push(current);
      current = [];
    } else if (BULLET.test(line) && current.length) {
      paragraphs.push(current);
      current = [line];
    } else {
      current.push(line);
    }
  }
  if (current.length) paragraphs.push(current);

  const blocks: Block[] = [];
  for (const para of paragraphs) {
    const joined = para
      .map((l) => l.trim())
      .join(' ')
      .replace(/\s{2,}/g, ' ');
    if (BULLET.test(para[0]!)) {
      const ordered = /^\s*\d/.test(para[0]!);
      const item = [{ text: joined.replace(BULLET, '') }];
      const last = blocks[blocks.length - 1];
      if (last?.type === 'list' && last.ordered === ordered) last.items.push(item);
      else blocks.push({ type: 'list', ordered, items: [item] });
    } else {
      blocks.push({ type: 'paragraph', inlines: [{ text: joined }] });
    }
  }
  return blocks;
}

/** Markdown (raw HTML disabled) to blocks, keeping only the structure a letter uses. */
function markdownBlocks(source: string): Block[] {
  const tokens = markdown.parse(source, {});
  const blocks: Block[] = [];
  const listStack: Extract<Block, { type: 'list' }>[] = [];
  let inQuote = 0;
  let heading = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    switch (t.type) {
      case 'bullet_list_open':
      case 'ordered_list_open': {
        // Nested lists are flattened into their parent: letters keep one level.
        if (listStack.length === 0) {
          const list = {
            type: 'list' as const,
            ordered: t.type === 'ordered_list_open',
            items: [],
          };
          blocks.push(list);
          listStack.push(list);
        } else listStack.push(listStack[listStack.length - 1]!);
        break;
      }
      case 'bullet_list_close':
      case 'ordered_list_close':
        listStack.pop();
        break;
      case 'blockquote_open':
        inQuote++;
        break;
      case 'blockquote_close':
        inQuote--;
        break;
      case 'heading_open':
        heading = Number(t.tag.slice(1));
        break;
      case 'heading_close':
        heading = 0;
        break;
      case 'inline': {
        const inlines = inlineRuns(t.children ?? []);
        if (inlines.length === 0) break;
        const list = listStack[listStack.length - 1];
        if (list) list.items.push(inlines);
        else if (heading) blocks.push({ type: 'heading', level: heading, inlines });
        else if (inQuote) blocks.push({ type: 'quote', inlines });
        else blocks.push({ type: 'paragraph', inlines });
        break;
      }
      case 'fence':
      case 'code_block':
        blocks.push({ type: 'paragraph', inlines: [{ text: t.content.trimEnd() }] });
        break;
      default:
        break;
    }
  }
  return blocks;
}

function inlineRuns(children: Token[]): Inline[] {
  const runs: Inline[] = [];
  let strong = 0;
  let em = 0;
  let href: string | undefined;
  const push = (text: string) => {
    if (!text) return;
    const run: Inline = { text };
    if (strong) run.strong = true;
    if (em) run.em = true;
    if (href) run.href = href;
    const last = runs[runs.length - 1];
    if (last && last.strong === run.strong && last.em === run.em && last.href === run.href)
      last.text += text;
    else runs.push(run);
  };
  for (const c of children) {
    switch (c.type) {
      case 'text':
      case 'code_inline':
        push(c.content);
        break;
      case 'softbreak':
      case 'hardbreak':
        push(' ');
        break;
      case 'strong_open':
        strong++;
        break;
      case 'strong_close':
        strong--;
        break;
      case 'em_open':
        em++;
        break;
      case 'em_close':
        em--;
        break;
      case 'link_open': {
        const url = String(c.attrGet('href') ?? '');
        href = /^(https?:|mailto:)/i.test(url) ? url : undefined;
        break;
      }
      case 'link_close':
        href = undefined;
        break;
      case 'image':
        push(c.content);
        break;
      default:
        if (c.content) push(c.content);
    }
  }
  return runs;
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

/** Every language a statement can be read in, the default first. */
export function statementLanguages(s: Statement): string[] {
  return [s.language, ...(s.translations ?? []).map((t) => t.language)];
}

/** The statement as a reader of `language` sees it; the default language when it has no translation. */
export function statementIn(s: Statement, language: string): Statement {
  const t = s.translations?.find((x) => x.language === language);
  if (!t) return s;
  const { meeting: _meeting, ...rest } = s;
  return {
    ...rest,
    language,
    title: t.title,
    subject: t.subject,
    ...(t.meeting ? { meeting: t.meeting } : {}),
    body: t.body,
  };
}
