/**
 * Names, subjects and attachment names from a stranger's message, made safe
 * to show on one line: bidirectional overrides and isolates (which can make
 * "invoice‮fdp.exe" read as "invoiceexe.pdf"), zero-width and other invisible
 * format characters, and control characters are replaced by a visible marker
 * naming the code point, e.g. ⟨U+202E⟩. Every place that shows these values
 * (dashboard, CLI, report, staff forward, CSV) shows the marked text, since
 * the marking happens when the reply is stored; the raw message keeps the
 * original bytes.
 */

// Bidi controls (U+061C, U+200E-F, U+202A-E, U+2066-9), zero-width and other invisible
// format characters (U+200B-D, U+2060-4, U+FEFF, U+180E, U+00AD), line/paragraph
// separators, C0/C1 controls.

const INVISIBLE =
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

const marker = (c: string) =>
  `⟨U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`;

/**
 * One line of text with every invisible or direction-changing character shown
 * as ⟨U+XXXX⟩; tabs and line breaks become one space; cut to `max` characters.
 */
export function visible(value: string, max = 500): string {
  const oneLine = value.replace(/[\t\r\n]+/g, ' ').trim();
  return oneLine.slice(0, max).replace(INVISIBLE, marker);
}
