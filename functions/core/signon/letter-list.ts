/**
 * The co-signing organisations as the letter shows them, in HTML and text,
 * in the letter's language (countries named in it), within a size budget.
 *
 * Gmail clips a message whose HTML passes 102 KB behind a "[Message
 * clipped]" link, and a clipped letter loses its footer, its unsubscribe
 * link and its signatures' end. The letter is compiled with a placeholder
 * where the list goes; once MJML has run, what is left of the budget is
 * known exactly, and the list takes as many organisations as fit, then says
 * how many more there are and links to the full list online.
 */
import { escapeHtml, oneLine } from '../html.js';
import { cosignLetterWords, countryName } from '../i18n-signon.js';
import type { CoSign, CoSignatory } from '../statement.js';

/** Gmail's clipping threshold (102 KB of HTML). */
export const GMAIL_CLIP_BYTES = 102 * 1024;
/**
 * What a letter's HTML may weigh at compile time: the clip less room for
 * what each recipient's merge adds (address lines, salutation, signed links,
 * the footer's why line: under 3 KB even with long names and titles).
 */
export const LETTER_HTML_BUDGET = GMAIL_CLIP_BYTES - 4 * 1024;

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** Right-to-left letters: a name holding them is isolated in the text part, so it cannot reorder its line. */
const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/;

function htmlRow(s: CoSignatory, language: string): string {
  const latin = s.latin
    ? ` <span style="color:#57606a;">(${escapeHtml(oneLine(s.latin))})</span>`
    : '';
  return (
    `<span dir="auto">${escapeHtml(oneLine(s.name))}</span>${latin}` +
    ` <span style="color:#57606a;">— ${escapeHtml(countryName(s.country, language))}</span><br />`
  );
}

function textRow(s: CoSignatory, language: string): string {
  const name = oneLine(s.name);
  const shown = RTL.test(name) ? `\u2068${name}\u2069` : name;
  return `- ${shown}${s.latin ? ` (${oneLine(s.latin)})` : ''} — ${countryName(s.country, language)}`;
}

export interface CosignBlock {
  html: string;
  text: string;
  /** How many organisations the letter lists by name (the rest are behind the link). */
  shown: number;
}

/**
 * The block for `available` bytes of HTML: every organisation when they
 * fit, else as many as fit with "and N more" and the full list's link (a
 * letter without a list URL lists as many as fit and says how many more).
 */
export function cosignBlock(
  cosign: CoSign | undefined,
  language: string,
  available: number,
): CosignBlock {
  const list = cosign?.signatories ?? [];
  if (!list.length) return { html: '', text: '', shown: 0 };
  const w = cosignLetterWords(language);
  const head = `<p style="margin:16px 0 8px 0;font-weight:700;">${escapeHtml(w.heading(list.length))}</p><p style="margin:0;line-height:1.5;">`;
  const tail = '</p>';
  const rows = list.map((s) => htmlRow(s, language));
  const all = head + rows.join('') + tail;
  if (bytes(all) <= available) {
    return {
      html: all,
      text: [`${w.heading(list.length)}:`, ...list.map((s) => textRow(s, language))].join('\n'),
      shown: list.length,
    };
  }
  const link = cosign?.listUrl
    ? ` <a href="${escapeHtml(cosign.listUrl)}">${escapeHtml(w.fullList)}</a>`
    : '';
  // The "and N more" line at its longest (N with as many digits as the whole count).
  const moreLine = (n: number) =>
    `<p style="margin:8px 0 0 0;">${escapeHtml(w.more(n))}.${link}</p>`;
  let used = bytes(head) + bytes(tail) + bytes(moreLine(list.length));
  let shown = 0;
  for (const row of rows) {
    const b = bytes(row);
    if (used + b > available) break;
    used += b;
    shown++;
  }
  const rest = list.length - shown;
  return {
    html: head + rows.slice(0, shown).join('') + tail + moreLine(rest),
    text: [
      `${w.heading(list.length)}:`,
      ...list.slice(0, shown).map((s) => textRow(s, language)),
      `${w.more(rest)}.${cosign?.listUrl ? ` ${w.fullList}: ${cosign.listUrl}` : ''}`,
    ].join('\n'),
    shown,
  };
}
