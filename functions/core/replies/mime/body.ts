/**
 * The content of one MIME leaf: transfer decoding (base64, quoted-printable),
 * charset decoding and format=flowed unwrapping, each a single pass over at
 * most the bytes it is given. Callers cut what they pass (a text part is read
 * up to a fixed number of bytes), so no part can cost more than that.
 */
import type { Budget } from './budget.js';
import { decodeBytes } from './headers.js';
import type { MimePart } from './structure.js';

const hex = (c: number) =>
  c >= 0x30 && c <= 0x39
    ? c - 0x30
    : c >= 0x41 && c <= 0x46
      ? c - 55
      : c >= 0x61 && c <= 0x66
        ? c - 87
        : -1;

/** Quoted-printable to bytes: `=XX` escapes, `=` line ends as soft breaks, anything else as it is. */
export function decodeQuotedPrintable(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(input.length);
  let n = 0;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (c !== 0x3d) {
      out[n++] = c;
      continue;
    }
    const a = input[i + 1];
    if (a === 0x0a) {
      i += 1;
      continue;
    }
    if (a === 0x0d && input[i + 2] === 0x0a) {
      i += 2;
      continue;
    }
    const hi = a === undefined ? -1 : hex(a);
    const lo = input[i + 2] === undefined ? -1 : hex(input[i + 2]!);
    if (hi >= 0 && lo >= 0) {
      out[n++] = hi * 16 + lo;
      i += 2;
    } else out[n++] = c;
  }
  return out.subarray(0, n);
}

/** The transfer-decoded bytes of `body` in the part's encoding. */
export function transferDecode(body: Uint8Array, encoding: string): Uint8Array {
  if (encoding === 'base64')
    return Buffer.from(
      Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('latin1'),
      'base64',
    );
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

/**
 * Decoded size of a part without decoding it: for base64 the count of
 * alphabet characters (one pass), else the byte count.
 */
export function decodedSize(raw: Uint8Array, part: MimePart, budget: Budget): number {
  const length = part.bodyEnd - part.bodyStart;
  if (part.encoding !== 'base64') return length;
  let chars = 0;
  let pad = 0;
  for (let i = part.bodyStart; i < part.bodyEnd; i++) {
    const c = raw[i]!;
    if (c === 0x3d) pad++;
    else if (
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x2b ||
      c === 0x2f
    )
      chars++;
  }
  budget.ops += length;
  return Math.max(0, Math.floor(((chars + Math.min(pad, 2)) * 3) / 4) - Math.min(pad, 2));
}

/**
 * RFC 3676: a line that ends in a space continues on the next one (the space
 * removed with DelSp=yes); space-stuffing is undone; the "-- " signature line
 * and quote-depth changes always break.
 */
export function unflow(text: string, delsp: boolean): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let current: string | undefined;
  let currentDepth = 0;
  for (const rawLine of lines) {
    let depth = 0;
    while (depth < rawLine.length && rawLine.charCodeAt(depth) === 0x3e) depth++;
    let line = rawLine.slice(depth);
    if (line.startsWith(' ')) line = line.slice(1);
    const prefix = depth ? `${'>'.repeat(Math.min(depth, 20))} ` : '';
    if (current !== undefined && depth === currentDepth) {
      current += line;
    } else {
      if (current !== undefined) out.push(current);
      current = prefix + line;
      currentDepth = depth;
    }
    const flowed = line.endsWith(' ') && line !== '-- ';
    if (!flowed) {
      out.push(current);
      current = undefined;
    } else if (delsp) current = current.slice(0, -1);
  }
  if (current !== undefined) out.push(current);
  return out.join('\n');
}

/**
 * The text of a text/* leaf, reading at most `maxBytes` of its body. Returns
 * whether the body was cut.
 */
export function leafText(
  raw: Uint8Array,
  part: MimePart,
  maxBytes: number,
): { text: string; cut: boolean } {
  const end = Math.min(part.bodyEnd, part.bodyStart + maxBytes);
  const bytes = transferDecode(raw.subarray(part.bodyStart, end), part.encoding);
  let text = decodeBytes(bytes, part.params.charset).replace(/\r\n?/g, '\n');
  if (part.type === 'text/plain' && part.params.format?.toLowerCase() === 'flowed')
    text = unflow(text, part.params.delsp?.toLowerCase() === 'yes');
  return { text, cut: end < part.bodyEnd };
}
