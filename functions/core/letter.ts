/**
 * Letters: compile once per (campaign, language), merge per recipient.
 *
 * `compileLetter` runs MJML on the template with the statement already
 * rendered and escaped into it, leaving merge slots for what differs between
 * recipients. `mergeLetter` fills those slots with escaped values; it is a
 * join over pre-split parts, so per-recipient cost is a few string copies and
 * never an MJML run.
 */
import { randomBytes } from 'node:crypto';
import mjml2html from 'mjml';
import { TemplateError } from './errors.js';
import { escapeHtml, oneLine } from './html.js';
import { formatDeadline, wordsFor } from './i18n.js';
import type { Block, Inline, Statement } from './statement.js';

/** What varies per recipient. Every value is escaped when merged. */
export const SLOTS = ['salutation', 'name', 'title', 'organisation'] as const;
export type Slot = (typeof SLOTS)[number];
export type MergeValues = Record<Slot, string>;

/** A compiled letter: HTML and text with merge slots, held in memory or stored as a value. */
export interface LetterTemplate {
  language: string;
  subject: string;
  html: string;
  text: string;
  /** The random marker that delimits slots, so no statement text can forge one. */
  marker: string;
}

export interface RenderedLetter {
  subject: string;
  html: string;
  text: string;
}

/**
 * Compiles the statement into a letter template for one language. MJML
 * validation is strict: a template that MJML would silently mangle is refused.
 */
export async function compileLetter(
  statement: Statement,
  mjmlSource: string,
  language = statement.language,
): Promise<LetterTemplate> {
  const marker = `dm${randomBytes(6).toString('hex')}`;
  const slot = (name: Slot) => `%%${marker}:${name}%%`;
  const words = wordsFor(language);
  const meetingParts = [
    statement.meeting ? words.ahead(statement.meeting) : undefined,
    `${words.deadline} ${formatDeadline(statement.deadline, language)}`,
  ].filter(Boolean);

  const fields: Record<string, string> = {
    lang: escapeHtml(language),
    dir: words.dir,
    subject: escapeHtml(statement.subject),
    preheader: escapeHtml(`${statement.title} — ${meetingParts.join(' · ')}`),
    sender: escapeHtml(statement.from.name),
    addressBlock: [slot('name'), slot('title'), slot('organisation')].join('<br />'),
    salutationLine: slot('salutation'),
    title: escapeHtml(statement.title),
    meetingLine: escapeHtml(meetingParts.join(' · ')),
    body: statement.body.map(blockHtml).join('\n'),
    signatories:
      `<p style="margin:0 0 8px 0;font-weight:700;">${escapeHtml(words.signedBy)}</p>` +
      statement.signatories
        .map(
          (s) =>
            `<p style="margin:0 0 4px 0;">${escapeHtml(s.name)}${
              s.organisation
                ? `, <span style="color:#57606a;">${escapeHtml(s.organisation)}</span>`
                : ''
            }</p>`,
        )
        .join(''),
    footer: `${escapeHtml(words.sentBy(statement.from.name))}<br />${escapeHtml(words.replyNote)}`,
  };

  const source = mjmlSource.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => {
    const value = fields[key];
    if (value === undefined)
      throw new TemplateError(`template uses unknown field {{${key}}}`, { key });
    return value;
  });
  const result = await mjml2html(source, { validationLevel: 'strict', keepComments: false });
  if (result.errors.length > 0) {
    throw new TemplateError(
      `MJML refused the letter template: ${result.errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}`,
      { errors: result.errors },
    );
  }
  const text = letterText(statement, language, slot);
  for (const name of SLOTS) {
    if (!result.html.includes(slot(name))) {
      throw new TemplateError(`the compiled letter lost its ${name} slot`, { slot: name });
    }
  }
  return { language, subject: oneLine(statement.subject), html: result.html, text, marker };
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

function fill(parts: string[], values: MergeValues, escape: (s: string) => string): string {
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    out += i % 2 === 0 ? parts[i]! : escape(values[parts[i] as Slot] ?? '');
  }
  return out;
}

/**
 * Personalises a compiled letter. Values are made single-line and
 * HTML-escaped, so nothing in a CSV row can add markup or break a line.
 */
export function mergeLetter(template: LetterTemplate, values: MergeValues): RenderedLetter {
  const p = prepare(template);
  return {
    subject: template.subject,
    html: fill(p.html, values, (v) => escapeHtml(oneLine(v))),
    text: fill(p.text, values, oneLine),
  };
}

function inlineHtml(runs: Inline[]): string {
  return runs
    .map((r) => {
      let h = escapeHtml(r.text);
      if (r.em) h = `<em>${h}</em>`;
      if (r.strong) h = `<strong>${h}</strong>`;
      if (r.href) h = `<a href="${escapeHtml(r.href)}">${h}</a>`;
      return h;
    })
    .join('');
}

function blockHtml(block: Block): string {
  switch (block.type) {
    case 'heading':
      return `<h2 style="font-size:18px;line-height:1.3;margin:16px 0 8px 0;">${inlineHtml(block.inlines)}</h2>`;
    case 'paragraph':
      return `<p style="margin:0 0 12px 0;">${inlineHtml(block.inlines)}</p>`;
    case 'quote':
      return `<blockquote>${inlineHtml(block.inlines)}</blockquote>`;
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul';
      return `<${tag}>${block.items.map((i) => `<li>${inlineHtml(i)}</li>`).join('')}</${tag}>`;
    }
  }
}

function inlineText(runs: Inline[]): string {
  return runs.map((r) => (r.href && r.href !== r.text ? `${r.text} <${r.href}>` : r.text)).join('');
}

function letterText(statement: Statement, language: string, slot: (s: Slot) => string): string {
  const words = wordsFor(language);
  const lines: string[] = [];
  lines.push(slot('name'), slot('title'), slot('organisation'), '', slot('salutation'), '');
  lines.push(statement.title.toUpperCase(), '');
  if (statement.meeting) lines.push(words.ahead(statement.meeting));
  lines.push(`${words.deadline} ${formatDeadline(statement.deadline, language)}`, '');
  for (const b of statement.body) {
    if (b.type === 'list') {
      b.items.forEach((item, i) =>
        lines.push(`${b.ordered ? `${i + 1}.` : '•'} ${inlineText(item)}`),
      );
      lines.push('');
    } else if (b.type === 'quote') {
      lines.push(`> ${inlineText(b.inlines)}`, '');
    } else {
      lines.push(inlineText(b.inlines), '');
    }
  }
  lines.push(`${words.signedBy}:`);
  for (const s of statement.signatories)
    lines.push(`- ${s.name}${s.organisation ? `, ${s.organisation}` : ''}`);
  lines.push('', '-- ', words.sentBy(statement.from.name), words.replyNote, '');
  return lines.join('\n');
}
