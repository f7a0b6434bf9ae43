/**
 * Bytes of a recipients file to text, as spreadsheets save them: UTF-8 with
 * or without a byte-order mark (Excel's "CSV UTF-8", LibreOffice, Google
 * Sheets), Windows-1252 (Excel's plain "CSV" in Western European locales;
 * Latin-1 files read the same), UTF-16 with a byte-order mark (Excel's
 * "Unicode Text"). Line ends become LF: CRLF (Windows), LF, and CR alone in a
 * file whose lines all end so (old Mac exports).
 *
 * The encoding is decided at the first byte that is not ASCII, so a file of
 * any length streams: a valid UTF-8 sequence there means UTF-8 from then on,
 * anything else means Windows-1252. A UTF-8 file that later breaks is refused
 * with the line where it broke. Workbooks (.xlsx, .ods, .xls) are recognised
 * by their first bytes and refused with how to save them as CSV.
 */
import { TextDecoder } from 'node:util';
import { RecipientsFileError } from '../errors.js';

export type Encoding = 'UTF-8' | 'Windows-1252' | 'UTF-16LE' | 'UTF-16BE';
export type LineEnd = 'CRLF' | 'LF' | 'CR';

export interface Decoded {
  encoding: Encoding;
  bom: boolean;
  lineEnd?: LineEnd;
}

/** How to get a CSV out of each program campaigners use. */
export const EXPORT_HINT =
  'save it as CSV and upload that: in Excel, File › Save As › "CSV UTF-8 (Comma delimited)"; ' +
  'in LibreOffice, File › Save As › "Text CSV"; in Google Sheets, File › Download › ' +
  '"Comma-separated values"';

const hex = (b: number) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;

/** Length of the UTF-8 sequence starting at `i`: >0 valid, 0 incomplete (bytes run out), -1 invalid. */
function utf8Sequence(b: Uint8Array, i: number): number {
  const lead = b[i]!;
  const n =
    lead >= 0xc2 && lead <= 0xdf
      ? 2
      : lead >= 0xe0 && lead <= 0xef
        ? 3
        : lead >= 0xf0 && lead <= 0xf4
          ? 4
          : -1;
  if (n < 0) return -1;
  for (let k = 1; k < n; k++) {
    if (i + k >= b.length) return 0;
    const c = b[i + k]!;
    if (c < 0x80 || c > 0xbf) return -1;
  }
  return n;
}

function startsWith(b: Uint8Array, sig: number[]): boolean {
  return sig.every((x, i) => b[i] === x);
}

export class CsvDecoder {
  readonly format: Decoded = { encoding: 'UTF-8', bom: false };
  private mode: 'start' | 'ascii' | 'utf8' | 'cp1252' | 'utf16' | 'text' = 'start';
  private pending: Uint8Array = new Uint8Array(0);
  private decoder?: TextDecoder;
  /** Lines already handed out, to name the line where the encoding broke. */
  private lines = 0;
  /** A CR at the end of the last chunk, waiting to see whether an LF follows. */
  private cr = false;

  constructor(private readonly file: string) {}

  /** Decodes one chunk; strings are taken as already-decoded text (UTF-8 bodies). */
  write(chunk: Uint8Array | string): string {
    if (typeof chunk === 'string') return this.text(chunk);
    let bytes: Uint8Array = chunk;
    if (this.pending.length) {
      const joined = new Uint8Array(this.pending.length + chunk.length);
      joined.set(this.pending);
      joined.set(chunk, this.pending.length);
      bytes = joined;
      this.pending = new Uint8Array(0);
    }
    if (this.mode === 'start') {
      if (bytes.length < 4) {
        this.pending = bytes;
        return '';
      }
      bytes = this.sniff(bytes);
    }
    return this.lineEnds(this.decode(bytes));
  }

  /** The text still held back at the end of the input. */
  end(): string {
    let out = '';
    if (this.pending.length) {
      const rest = this.pending;
      this.pending = new Uint8Array(0);
      if (this.mode === 'start') this.sniff(rest);
      out = this.decode(rest, true);
    } else if (this.decoder) out = this.decoder.decode();
    out = this.lineEnds(out);
    if (this.cr) {
      this.cr = false;
      out += '\n';
    }
    return out;
  }

  private text(s: string): string {
    if (this.mode === 'start') {
      this.mode = 'text';
      if (s.startsWith('\uFEFF')) {
        this.format.bom = true;
        s = s.slice(1);
      }
      if (s.startsWith('PK\u0003\u0004')) this.workbook('an Excel or LibreOffice workbook');
    }
    const lost = s.indexOf('\uFFFD');
    if (lost >= 0) {
      throw new RecipientsFileError(
        this.file,
        'has a character that was lost when the file was decoded (shown as �): the file was probably ' +
          'saved as Windows-1252 and read as UTF-8. Upload the file itself, or save it as "CSV UTF-8"',
        this.lines + countLf(s.slice(0, lost)) + 1,
      );
    }
    return this.lineEnds(s);
  }

  /** Reads the file's first bytes: byte-order marks and workbook signatures. Returns the bytes after a BOM. */
  private sniff(b: Uint8Array): Uint8Array {
    if (startsWith(b, [0x50, 0x4b, 0x03, 0x04]))
      this.workbook('an Excel (.xlsx) or LibreOffice (.ods) workbook');
    if (startsWith(b, [0xd0, 0xcf, 0x11, 0xe0])) this.workbook('an old Excel (.xls) workbook');
    if (startsWith(b, [0xef, 0xbb, 0xbf])) {
      this.format.bom = true;
      this.mode = 'utf8';
      this.decoder = new TextDecoder('utf-8', { fatal: true });
      return b.subarray(3);
    }
    for (const [sig, enc] of [
      [[0xff, 0xfe], 'UTF-16LE'],
      [[0xfe, 0xff], 'UTF-16BE'],
    ] as const) {
      if (startsWith(b, [...sig])) {
        Object.assign(this.format, { bom: true, encoding: enc });
        this.mode = 'utf16';
        this.decoder = new TextDecoder(enc === 'UTF-16LE' ? 'utf-16le' : 'utf-16be');
        return b.subarray(2);
      }
    }
    if (b[1] === 0 && b[3] === 0 && b[0] !== 0) {
      throw new RecipientsFileError(
        this.file,
        `looks like UTF-16 text without a byte-order mark, which cannot be read safely: ${EXPORT_HINT}`,
        1,
      );
    }
    this.mode = 'ascii';
    return b;
  }

  private workbook(what: string): never {
    throw new RecipientsFileError(this.file, `is ${what}, not a CSV file: ${EXPORT_HINT}`);
  }

  private decode(b: Uint8Array, last = false): string {
    if (this.mode === 'ascii') {
      let i = 0;
      while (i < b.length && b[i]! < 0x80) i++;
      const ascii = Buffer.from(b.buffer, b.byteOffset, i).toString('latin1');
      if (i === b.length) return this.count(ascii);
      const n = utf8Sequence(b, i);
      if (n === 0 && !last) {
        this.pending = b.slice(i);
        return this.count(ascii);
      }
      if (n > 0) {
        this.mode = 'utf8';
        this.decoder = new TextDecoder('utf-8', { fatal: true });
      } else {
        this.mode = 'cp1252';
        this.format.encoding = 'Windows-1252';
        this.decoder = new TextDecoder('windows-1252');
      }
      this.count(ascii);
      return ascii + this.decode(b.subarray(i), last);
    }
    if (this.mode === 'utf8') {
      try {
        return this.count(this.decoder!.decode(b, { stream: !last }));
      } catch {
        throw this.brokenUtf8(b);
      }
    }
    return this.count(this.decoder!.decode(b, { stream: !last }));
  }

  private brokenUtf8(b: Uint8Array): RecipientsFileError {
    let i = 0;
    while (i < b.length) {
      if (b[i]! < 0x80) i++;
      else {
        const n = utf8Sequence(b, i);
        if (n <= 0) break;
        i += n;
      }
    }
    const before = Buffer.from(b.buffer, b.byteOffset, i).toString('utf8');
    return new RecipientsFileError(
      this.file,
      `is not valid UTF-8 (byte ${hex(b[i] ?? 0)}): the file starts as UTF-8 but this line is in another ` +
        'encoding. Save the whole file again as "CSV UTF-8"',
      this.lines + countLf(before) + 1,
    );
  }

  private count(s: string): string {
    this.lines += countLf(s);
    return s;
  }

  /** CRLF and LF to LF; CR alone to LF only in a file whose first line ends with a CR alone. */
  private lineEnds(s: string): string {
    if (this.cr) {
      this.cr = false;
      s = `\r${s}`;
    }
    if (s.endsWith('\r')) {
      this.cr = true;
      s = s.slice(0, -1);
    }
    if (!this.format.lineEnd) {
      const i = s.search(/[\r\n]/);
      if (i >= 0 && (s[i] === '\n' || i + 1 < s.length)) {
        this.format.lineEnd = s[i] === '\n' ? 'LF' : s[i + 1] === '\n' ? 'CRLF' : 'CR';
      }
    }
    return this.format.lineEnd === 'CR' ? s.replace(/\r\n?/g, '\n') : s.replace(/\r\n/g, '\n');
  }
}

export function countLf(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** "UTF-8 with BOM", "Windows-1252" … as the import summary says it. */
export function describeEncoding(d: Decoded): string {
  return `${d.encoding}${d.bom && d.encoding === 'UTF-8' ? ' with BOM' : ''}`;
}
