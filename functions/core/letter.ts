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
import type { LetterTemplate } from './letter-merge.js';

export {
  SLOTS,
  mergeLetter,
  type Slot,
  type MergeValues,
  type LetterTemplate,
  type LetterLinks,
  type RenderedLetter,
} from './letter-merge.js';

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
