/**
 * A statement file as text a parser can trust: bounded in size, one kind of
 * line end, and no control characters. What is changed is said, with the
 * line, as a warning; what cannot be read is a StatementInvalidError.
 */
import { StatementInvalidError, type StatementIssue } from '../errors.js';

/** Statements are letters, not books: a file larger than this is refused before it is parsed. */
export const MAX_STATEMENT_BYTES = 512 * 1024;

/** C0 controls except tab and LF, DEL, and C1 controls (what a copy from a PDF or terminal leaves). */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** ANSI control sequences: ESC [ parameters intermediates final. */
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]/g;

const NAMES: Record<number, string> = {
  0x00: 'NUL',
  0x07: 'BEL',
  0x08: 'BS',
  0x0b: 'VT',
  0x0c: 'FF (page break)',
  0x0d: 'CR',
  0x1b: 'ESC',
  0x7f: 'DEL',
};
const describe = (c: string) => {
  const code = c.charCodeAt(0);
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}${NAMES[code] ? ` ${NAMES[code]}` : ''}`;
};

export interface CleanSource {
  text: string;
  warnings: StatementIssue[];
}

/**
 * Normalises a statement's text: BOM dropped; CRLF to LF; CR alone to LF in
 * a file whose lines all end so (old Mac files), else a CR alone inside a
 * line is a control character like the others: replaced by a space (a page
 * break by a line end), with a warning naming each line. A bare CR in a
 * plain-text title therefore never splits it into title and body text.
 */
export function cleanSource(source: string, file: string): CleanSource {
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > MAX_STATEMENT_BYTES) {
    throw new StatementInvalidError(file, [
      {
        field: 'file',
        message: `is ${Math.ceil(bytes / 1024)} KB; a statement may be at most ${MAX_STATEMENT_BYTES / 1024} KB`,
      },
    ]);
  }
  let text = source.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  if (!text.includes('\n') && (text.match(/\r/g)?.length ?? 0) > 1)
    text = text.replace(/\r/g, '\n');
  const warnings: StatementIssue[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    // Terminal colour codes (ESC [ 0 m) go whole: their letters are no more text than the ESC.
    const escapes = lines[i]!.match(ANSI);
    if (escapes) {
      lines[i] = lines[i]!.replace(ANSI, '');
      warnings.push({
        field: 'text',
        line: i + 1,
        message: `${escapes.length === 1 ? 'a terminal escape sequence' : `${escapes.length} terminal escape sequences`} (${[...new Set(escapes.map((e) => `ESC${e.slice(1)}`))].join(', ')}) removed`,
      });
    }
    const found = lines[i]!.match(CONTROL);
    if (!found) continue;
    const kinds = [...new Set(found.map(describe))];
    warnings.push({
      field: 'text',
      line: i + 1,
      message: `${found.length === 1 ? 'a control character' : `${found.length} control characters`} (${kinds.join(', ')}) replaced by ${found.every((c) => c === '\f' || c === '\v') ? 'a line break' : 'a space'}`,
    });
    lines[i] = lines[i]!.replace(/[\f\v]/g, '\n').replace(CONTROL, ' ');
  }
  return { text: lines.join('\n'), warnings };
}
