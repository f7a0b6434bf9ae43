/**
 * Merging one recipient's values and links into a compiled letter: a join
 * over the template's pre-split parts, never an MJML run. Apart from the
 * compiler (letter.ts) so that what only shows a letter (the web version)
 * loads no statement parser, MJML or MIME code.
 */
import { escapeHtml, oneLine } from './html.js';
import { wordsFor } from './i18n.js';

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
