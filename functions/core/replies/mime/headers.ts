/**
 * Header sections of a MIME part, read in one pass: lines unfolded into
 * fields, and the structured values (Content-Type, Content-Disposition) split
 * into a value and parameters, RFC 2231 continuations and charsets included.
 * Every loop here walks its input once; nothing backtracks.
 */
import { decodeWords } from 'postal-mime';

export interface HeaderField {
  /** Lower-cased field name. */
  name: string;
  /** The value with folding removed, not decoded. */
  value: string;
}

const isWsp = (c: number) => c === 0x20 || c === 0x09;

/**
 * Splits a header section (bytes, without the blank line that ends it) into
 * fields. Bytes are read as latin1 so every byte survives; 8-bit values are
 * re-read as UTF-8 by `headerText`.
 */
export function readFields(section: Uint8Array): HeaderField[] {
  const text = Buffer.from(section.buffer, section.byteOffset, section.byteLength).toString(
    'latin1',
  );
  const fields: HeaderField[] = [];
  let current: string[] | undefined;
  let start = 0;
  const flush = () => {
    if (!current) return;
    const line = current.join(' ');
    const colon = line.indexOf(':');
    if (colon > 0)
      fields.push({
        name: line.slice(0, colon).trim().toLowerCase(),
        value: line.slice(colon + 1).trim(),
      });
    current = undefined;
  };
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(
      start,
      end > start && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end,
    );
    if (line.length && isWsp(line.charCodeAt(0)) && current) current.push(line.trim());
    else if (line.length) {
      flush();
      current = [line];
    }
    start = end + 1;
  }
  flush();
  return fields;
}

/** A header value as text: 8-bit bytes read as UTF-8 when they are, encoded words decoded. */
export function headerText(value: string, max = 4096): string {
  const raw = value.slice(0, max);

  const utf8 = /[\u0080-\u00ff]/.test(raw) ? Buffer.from(raw, 'latin1').toString('utf8') : raw;
  const text = utf8.includes('\ufffd') ? raw : utf8;
  return text.includes('=?') ? decodeWords(text) : text;
}

export interface Structured {
  /** Lower-cased value before the first `;` (e.g. `text/plain`, `attachment`). */
  value: string;
  /** Lower-cased parameter names → decoded values. */
  params: Record<string, string>;
}

/** Decodes an RFC 2231 extended value `charset'lang'%xx…` (its percent-encoded bytes in `charset`). */
function decode2231(value: string, withCharset: boolean): string {
  let charset = 'utf-8';
  let data = value;
  if (withCharset) {
    const first = value.indexOf("'");
    const second = first >= 0 ? value.indexOf("'", first + 1) : -1;
    if (second > first) {
      charset = value.slice(0, first) || 'utf-8';
      data = value.slice(second + 1);
    }
  }
  const bytes: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const c = data.charCodeAt(i);
    if (c === 0x25 && i + 2 < data.length && /^[0-9a-fA-F]{2}$/.test(data.slice(i + 1, i + 3))) {
      bytes.push(parseInt(data.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(c & 0xff);
  }
  return decodeBytes(Uint8Array.from(bytes), charset);
}

/** Text of bytes in a declared charset; an unknown or missing one reads as UTF-8, then windows-1252. */
export function decodeBytes(bytes: Uint8Array, charset: string | undefined): string {
  const label = (charset ?? '').trim().toLowerCase();
  if (label && label !== 'utf-8' && label !== 'utf8' && label !== 'us-ascii') {
    try {
      return new TextDecoder(label).decode(bytes);
    } catch {
      // an unknown label: fall through
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/**
 * Splits `type/subtype; a=b; c="d; e"` into value and parameters, in one pass
 * over at most `max` characters. Comments in parentheses are dropped; RFC 2231
 * continuations (`name*0*=`, `name*1=`) are joined and decoded.
 */
export function parseStructured(input: string, max = 8192): Structured {
  const s = input.slice(0, max);
  const tokens: string[] = [];
  let buf = '';
  let inQuote = false;
  let comment = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (inQuote) {
      if (ch === '\\' && i + 1 < s.length) buf += s[++i];
      else if (ch === '"') inQuote = false;
      else buf += ch;
    } else if (comment) {
      if (ch === '(') comment++;
      else if (ch === ')') comment--;
    } else if (ch === '"') inQuote = true;
    else if (ch === '(') comment = 1;
    else if (ch === ';') {
      tokens.push(buf);
      buf = '';
    } else buf += ch;
  }
  tokens.push(buf);
  const value = (tokens.shift() ?? '').trim().toLowerCase();
  const params: Record<string, string> = {};
  const continued = new Map<string, { parts: string[]; encoded: boolean[] }>();
  for (const token of tokens) {
    const eq = token.indexOf('=');
    if (eq <= 0) continue;
    const key = token.slice(0, eq).trim().toLowerCase();
    const val = token.slice(eq + 1).trim();
    const m = /^([^*]+)\*(\d{1,3})?(\*)?$/.exec(key);
    if (!m) {
      params[key] = val;
      continue;
    }
    const name = m[1]!;
    const index = m[2] === undefined ? 0 : Number(m[2]);
    const entry = continued.get(name) ?? { parts: [], encoded: [] };
    if (index < 64) {
      entry.parts[index] = val;
      entry.encoded[index] = m[3] === '*' || (m[2] === undefined && key.endsWith('*'));
    }
    continued.set(name, entry);
  }
  for (const [name, entry] of continued) {
    const joined = entry.parts
      .map((p, i) => (entry.encoded[i] ? p : encodeURIComponent(p ?? '')))
      .join('');
    const anyEncoded = entry.encoded.some(Boolean);
    params[name] = anyEncoded
      ? decode2231(joined, entry.encoded[0] === true)
      : entry.parts.join('');
  }
  return { value, params };
}
