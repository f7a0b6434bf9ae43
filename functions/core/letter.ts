/**
 * Letters: compile once per (campaign, language), merge per recipient.
 *
 * `compileLetter` runs MJML on the template with the statement (in one
 * language) already rendered and escaped into it, leaving merge slots for what
 * differs between recipients: the address lines and salutation, the link
 * targets (click redirects or the original links), the "view in browser"
 * link, the unsubscribe footer and the open pixel. It also builds the MIME
 * skeleton of the message. `mergeLetter` fills the slots with escaped values;
 * it is a join over pre-split parts, so per-recipient cost is a few string
 * copies and never an MJML run.
 */
import { randomBytes } from 'node:crypto';
import { TemplateError } from './errors.js';
import { escapeHtml, oneLine } from './html.js';
import { dirFor, formatDeadline, wordsFor, type LetterWords } from './i18n.js';
import { bodyHtml, bodyText, LinkCollector } from './letter-blocks.js';
import { mimeSkeleton } from './mime.js';
import { cosignBlock, LETTER_HTML_BUDGET } from './signon/letter-list.js';
import { statementIn, statementLanguages, type Statement } from './statement.js';

/** What varies per recipient as text. Every value is escaped when merged. */
export const SLOTS = ['salutation', 'name', 'title', 'organisation', 'why'] as const;
export type Slot = (typeof SLOTS)[number];
/** `why` is optional: a bare merge (tests, a letter without a recipient's row) has none. */
export type MergeValues = Record<Exclude<Slot, 'why'>, string> & { why?: string };

/** A compiled letter: HTML, text and MIME skeleton with merge slots, held in memory or stored as a value. */
export interface LetterTemplate {
  language: string;
  subject: string;
  html: string;
  text: string;
  /** The random marker that delimits slots, so no statement text can forge one. */
  marker: string;
  /** The body's links in order of appearance: link N of a click redirect is `links[N]`. */
  links: string[];
  /** The raw message with slots (mime.ts); absent on letters compiled before it existed. */
  mime?: string;
}

/** Where a recipient's links lead; all optional, so a bare merge shows the original links only. */
export interface LetterLinks {
  /** The signed "view in browser" address. */
  webUrl?: string;
  /** The signed one-click unsubscribe address (NGO members only). */
  unsubscribeUrl?: string;
  /** The signed open pixel, when opens are tracked for this recipient. */
  pixelUrl?: string;
  /** The deployment's privacy page, linked after the "why you received this" line. */
  privacyUrl?: string;
  /** The address link `index` points at (a click redirect); the original link when absent. */
  link?: (index: number) => string;
}

export interface RenderedLetter {
  subject: string;
  html: string;
  text: string;
  /**
   * The same HTML and text as pieces: the compiled letter's fixed text at even
   * indexes (the very same strings for every recipient), merged values at odd
   * ones. The MIME body encodes the fixed pieces once per letter (core/mime.ts).
   */
  parts: { html: string[]; text: string[] };
}

/** How many times MJML ran, per language: the "once per language, never per recipient" rule, observable. */
export const compileStats = { count: 0, byLanguage: new Map<string, number>() };

/**
 * Compiles the statement into a letter template for one language (its
 * translation when it has one). MJML validation is strict: a template that
 * MJML would silently mangle is refused.
 */
export async function compileLetter(
  statement: Statement,
  mjmlSource: string,
  language = statement.language,
): Promise<LetterTemplate> {
  const s = statementIn(statement, language);
  const marker = `dm${randomBytes(6).toString('hex')}`;
  const slot = (name: string) => `%%${marker}:${name}%%`;
  const words = wordsFor(language);
  const meetingLine = meetingParts(s, words, language).join(' · ');
  const links = new LinkCollector(slot);

  const fields: Record<string, string> = {
    lang: escapeHtml(language),
    dir: dirFor(language),
    subject: escapeHtml(s.subject),
    preheader: escapeHtml(`${s.title} — ${meetingLine}`),
    sender: escapeHtml(s.from.name),
    webLink: slot('webLink'),
    // One slot for the lines, so a row without a title leaves no empty line.
    addressBlock: slot('address'),
    salutationLine: slot('salutation'),
    title: escapeHtml(s.title),
    meetingLine: escapeHtml(meetingLine),
    body: bodyHtml(s.body, links),
    signatories:
      `<p style="margin:0 0 8px 0;font-weight:700;">${escapeHtml(words.signedBy)}</p>` +
      s.signatories
        .map(
          (x) =>
            `<p style="margin:0 0 4px 0;">${escapeHtml(x.name)}${
              x.organisation
                ? `, <span style="color:#57606a;">${escapeHtml(x.organisation)}</span>`
                : ''
            }</p>`,
        )
        .join('') +
      // The co-signing organisations go in once MJML has run, sized to what is left (signon/letter-list.ts).
      (s.cosign?.signatories.length ? slot('cosign') : ''),
    footer: [
      escapeHtml(words.sentBy(s.from.name)),
      ...(s.postalAddress ? [escapeHtml(s.postalAddress)] : []),
      escapeHtml(words.replyNote),
    ].join('<br />'),
    why: slot('why'),
    unsubscribe: slot('unsubscribe'),
    pixel: slot('pixel'),
  };

  const source = mjmlSource.replace(/\{\{\s*(\w+)\s*\}\}/g, (_whole, key: string) => {
    const value = fields[key];
    if (value === undefined)
      throw new TemplateError(`template uses unknown field {{${key}}}`, { key });
    return value;
  });
  compileStats.count++;
  compileStats.byLanguage.set(language, (compileStats.byLanguage.get(language) ?? 0) + 1);
  // Loaded here, not at the top: only the functions that compile letters
  // (API, CLI) carry MJML; the sender's Lambda bundle tree-shakes it away.
  const { default: mjml2html } = await import('mjml');
  let result: { html: string; errors: { line: number; message: string }[] };
  try {
    result = await mjml2html(source, { validationLevel: 'strict', keepComments: false });
  } catch (err) {
    // At level strict MJML throws a ValidationError carrying the same list it returns otherwise.
    result = { html: '', errors: mjmlErrors(err) };
  }
  if (result.errors.length > 0) {
    throw new TemplateError(
      `MJML refused the letter template (${language}): ${result.errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}`,
      { errors: result.errors, language },
    );
  }
  let text = letterText(s, words, language, slot, links.textPass());
  const html = withCosign(result.html, s, language, slot('cosign'), (block) => {
    text = text.replace(slot('cosign'), () => block);
  });
  for (const name of ['salutation', 'address', 'webLink', 'why', 'unsubscribe', 'pixel']) {
    if (!html.includes(slot(name))) {
      throw new TemplateError(`the compiled letter lost its ${name} slot`, { slot: name });
    }
  }
  const subject = oneLine(s.subject);
  const mime = await mimeSkeleton({ from: s.from, subject, language, marker });
  return { language, subject, html, text, marker, links: links.links, mime };
}

/** The compiled HTML with the co-signatories in their slot, as many as the size budget holds. */
function withCosign(
  html: string,
  s: Statement,
  language: string,
  slotText: string,
  setText: (block: string) => void,
): string {
  if (!html.includes(slotText)) return html;
  const rest = Buffer.byteLength(html, 'utf8') - Buffer.byteLength(slotText, 'utf8');
  const block = cosignBlock(s.cosign, language, LETTER_HTML_BUDGET - rest);
  setText(block.text);
  return html.replace(slotText, () => block.html);
}

/** Compiles the letter once for each language the statement has, the default first. */
export async function compileLetters(
  statement: Statement,
  mjmlSource: string,
): Promise<LetterTemplate[]> {
  const out: LetterTemplate[] = [];
  for (const language of statementLanguages(statement)) {
    out.push(await compileLetter(statement, mjmlSource, language));
  }
  return out;
}

function mjmlErrors(err: unknown): { line: number; message: string }[] {
  const list = (err as { errors?: { line?: number; message?: string }[] }).errors;
  if (Array.isArray(list) && list.length > 0) {
    return list.map((e) => ({ line: e.line ?? 0, message: e.message ?? String(e) }));
  }
  return [{ line: 0, message: (err as Error).message ?? String(err) }];
}

function meetingParts(s: Statement, words: LetterWords, language: string): string[] {
  return [
    ...(s.meeting ? [words.ahead(s.meeting)] : []),
    `${words.deadline} ${formatDeadline(s.deadline, language, s.zone)}`,
  ];
}

interface Prepared {
  html: string[];
  text: string[];
}
const prepared = new WeakMap<LetterTemplate, Prepared>();

function prepare(template: LetterTemplate): Prepared {
  let p = prepared.get(template);
  if (!p) {
    // Splitting on the capture group leaves literals at even and slot names at odd indexes.
    const re = new RegExp(`%%${template.marker}:(\\w+)%%`, 'g');
    p = { html: template.html.split(re), text: template.text.split(re) };
    prepared.set(template, p);
  }
  return p;
}

/**
 * Personalises a compiled letter. Values are made single-line and
 * HTML-escaped, so nothing in a CSV row can add markup or break a line; link
 * addresses are escaped as attribute values.
 */
export function mergeLetter(
  template: LetterTemplate,
  values: MergeValues,
  links: LetterLinks = {},
): RenderedLetter {
  const p = prepare(template);
  const words = wordsFor(template.language);
  const href = (i: number) => links.link?.(i) ?? template.links[i] ?? '';
  const html = (name: string): string => {
    if (name.startsWith('link')) return escapeHtml(href(Number(name.slice(4))));
    switch (name) {
      case 'address':
        return addressLines(values)
          .map((l) => escapeHtml(l))
          .join('<br />');
      case 'webLink':
        return links.webUrl
          ? `<a href="${escapeHtml(links.webUrl)}" style="color:#57606a;">${escapeHtml(words.viewInBrowser)}</a>`
          : '';
      case 'why': {
        const why = escapeHtml(oneLine(values.why ?? ''));
        const privacy = links.privacyUrl
          ? ` <a href="${escapeHtml(links.privacyUrl)}" style="color:#57606a;">${escapeHtml(words.why.privacy)}</a>`
          : '';
        return why || privacy ? `<br /><br />${why}${privacy}` : '';
      }
      case 'unsubscribe':
        return links.unsubscribeUrl
          ? `<br />${escapeHtml(words.unsubscribeNote)} <a href="${escapeHtml(links.unsubscribeUrl)}" style="color:#57606a;">${escapeHtml(words.unsubscribe)}</a>`
          : '';
      case 'pixel':
        return links.pixelUrl
          ? `<img src="${escapeHtml(links.pixelUrl)}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0;" />`
          : '';
      default:
        return escapeHtml(oneLine(values[name as Slot] ?? ''));
    }
  };
  const text = (name: string): string => {
    if (name.startsWith('link')) return oneLine(href(Number(name.slice(4))));
    switch (name) {
      case 'address':
        return addressLines(values).join('\n');
      case 'webLink':
        return links.webUrl ? `${words.viewInBrowser}: ${oneLine(links.webUrl)}` : '';
      case 'why': {
        const why = oneLine(values.why ?? '');
        const privacy = links.privacyUrl
          ? `${words.why.privacy}: ${oneLine(links.privacyUrl)}`
          : '';
        return [why, privacy].filter(Boolean).join('\n');
      }
      case 'unsubscribe':
        return links.unsubscribeUrl
          ? `${words.unsubscribeNote} ${words.unsubscribe}: ${oneLine(links.unsubscribeUrl)}`
          : '';
      case 'pixel':
        return '';
      default:
        return oneLine(values[name as Slot] ?? '');
    }
  };
  const parts = { html: fill(p.html, html), text: fill(p.text, text) };
  return {
    subject: template.subject,
    html: parts.html.join(''),
    text: parts.text.join(''),
    parts,
  };
}

/**
 * Name, title and organisation, each on one line, the empty ones left out,
 * and a line said once: an organisation's row often names the organisation
 * as the recipient too.
 */
function addressLines(values: MergeValues): string[] {
  const lines = [values.name, values.title, values.organisation]
    .map((v) => oneLine(v ?? ''))
    .filter(Boolean);
  return lines.filter((l, i) => lines.findIndex((o) => o.toLowerCase() === l.toLowerCase()) === i);
}

/** The pieces with each slot (odd index) replaced by its value; the fixed pieces are shared. */
function fill(parts: string[], value: (slot: string) => string): string[] {
  const out = parts.slice();
  for (let i = 1; i < out.length; i += 2) out[i] = value(parts[i]!);
  return out;
}

function letterText(
  s: Statement,
  words: LetterWords,
  language: string,
  slot: (s: string) => string,
  link: (href: string) => string,
): string {
  const lines: string[] = [slot('webLink'), ''];
  lines.push(slot('address'), '', slot('salutation'), '');
  lines.push(s.title.toUpperCase(), '');
  lines.push(...meetingParts(s, words, language), '');
  lines.push(...bodyText(s.body, link));
  lines.push(`${words.signedBy}:`);
  for (const x of s.signatories)
    lines.push(`- ${x.name}${x.organisation ? `, ${x.organisation}` : ''}`);
  if (s.cosign?.signatories.length) lines.push('', slot('cosign'));
  lines.push('', '-- ', words.sentBy(s.from.name));
  if (s.postalAddress) lines.push(s.postalAddress);
  lines.push(words.replyNote, '', slot('why'), slot('unsubscribe'), '');
  return lines.join('\n');
}
