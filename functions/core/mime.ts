/**
 * The raw MIME message of a letter, built by nodemailer once per compiled
 * letter and filled per recipient.
 *
 * MailComposer builds the whole structure (headers, multipart/alternative,
 * boundaries, encoded From and Subject) around placeholder values; the
 * placeholders become merge slots. Per recipient, only the slots are filled,
 * each encoded by nodemailer's own encoders (base64 bodies, RFC 2047 words),
 * so a message costs a base64 pass instead of a MailComposer run. No value
 * reaches a header without losing its control characters, so nothing a
 * recipient row or statement says can add or split a header.
 */
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { encode as base64 } from 'nodemailer/lib/base64/index.js';
import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp/index.js';
import { encodeWord, foldLines, isPlainText } from 'nodemailer/lib/mime-funcs/index.js';
import { oneLine } from './html.js';

export const MIME_SLOTS = ['to', 'replyTo', 'date', 'messageId', 'extra', 'text', 'html'] as const;
export type MimeSlot = (typeof MIME_SLOTS)[number];

/**
 * Builds the message skeleton: every header and part that is the same for
 * every recipient of one compiled letter, with `%%marker:slot%%` where the
 * recipient's own values go.
 */
export async function mimeSkeleton(input: {
  from: { name: string; address: string };
  subject: string;
  language: string;
  marker: string;
}): Promise<string> {
  const m = input.marker;
  const token = (s: MimeSlot | 'from' | 'subject') => `${m}${s}`;
  // From and Subject are written by mimeAddress/mimeText below, like the per-recipient headers.
  const composer = new MailComposer({
    from: `${token('from')}@slot.invalid`,
    to: `${token('to')}@slot.invalid`,
    replyTo: `${token('replyTo')}@slot.invalid`,
    subject: token('subject'),
    headers: { 'Content-Language': input.language, 'X-Dm-Extra': token('extra') },
    text: token('text'),
    html: token('html'),
  });
  const root = composer.compile();
  root.setHeader('Date', token('date'));
  root.setHeader('Message-ID', `<${token('messageId')}@slot.invalid>`);
  // Bodies are quoted-printable: the letter's fixed text is encoded once, each
  // recipient's values alone per message (mimeParts); lines stay within 76.
  for (const child of root.childNodes)
    child.setHeader('Content-Transfer-Encoding', 'quoted-printable');
  let raw = (await root.build()).toString('latin1');
  const slot = (s: MimeSlot) => `%%${m}:${s}%%`;
  const swaps: [string, string][] = [
    [`X-Dm-Extra: ${token('extra')}\r\n`, slot('extra')],
    [`${token('to')}@slot.invalid`, slot('to')],
    [`${token('replyTo')}@slot.invalid`, slot('replyTo')],
    [`<${token('messageId')}@slot.invalid>`, slot('messageId')],
    [`Date: ${token('date')}`, `Date: ${slot('date')}`],
    [token('text'), slot('text')],
    [token('html'), slot('html')],
    [`${token('from')}@slot.invalid`, mimeAddress(input.from.name, input.from.address)],
    [`Subject: ${token('subject')}`, foldLines(`Subject: ${mimeText(input.subject)}`, 76)],
  ];
  for (const [from, to] of swaps) {
    if (raw.split(from).length !== 2)
      throw new Error(`MIME skeleton: placeholder ${from} not found once`);
    // A function, so that "$&" and the like in a value are never replacement patterns.
    raw = raw.replace(from, () => to);
  }
  return raw;
}

const prepared = new Map<string, string[]>();

/** Fills a skeleton's slots with values already encoded for their place (see the helpers below). */
export function fillMime(
  skeleton: string,
  marker: string,
  values: Record<MimeSlot, string>,
): string {
  let parts = prepared.get(skeleton);
  if (!parts) {
    parts = skeleton.split(new RegExp(`%%${marker}:(\\w+)%%`, 'g'));
    if (prepared.size > 64) prepared.clear();
    prepared.set(skeleton, parts);
  }
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    out += i % 2 === 0 ? parts[i]! : values[parts[i] as MimeSlot];
  }
  return out;
}

const encodedPieces = new Map<string, string>();

/** One piece of a body, quoted-printable (nodemailer's encoder), ending at a line end or a soft break. */
function qpPiece(piece: string): string {
  if (!piece) return '';
  // 75, so that the soft break's "=" keeps the line within 76.
  // Line ends become CRLF, as a message body has them (mail clients give them back as the text's).
  const q = qpWrap(qpEncode(Buffer.from(piece.replace(/\r?\n/g, '\r\n'), 'utf8')), 75);
  return q.endsWith('\r\n') ? q : `${q}=\r\n`;
}

/**
 * A body part's content from its pieces (RenderedLetter.parts: fixed text at
 * even indexes, merged values at odd ones), quoted-printable. The fixed
 * pieces are the same strings for every recipient of a letter, so each is
 * encoded once and looked up after (V8 keeps a string's hash); only the
 * values are encoded per message. Each piece ends with a line end or a soft
 * line break, so pieces join without a line over 76 characters, and the
 * decoded body is the pieces joined.
 */
export function mimeParts(pieces: string[]): string {
  let out = '';
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    if (i % 2 === 1) {
      out += qpPiece(piece);
      continue;
    }
    let encoded = encodedPieces.get(piece);
    if (encoded === undefined) {
      encoded = qpPiece(piece);
      if (encodedPieces.size > 512) encodedPieces.clear();
      encodedPieces.set(piece, encoded);
    }
    out += encoded;
  }
  // The body ends with a soft line break ("="): the CRLF before the boundary
  // then adds nothing, whether a decoder counts it as the body's or not.
  return out.endsWith('=\r\n') ? out.slice(0, -2) : `${out}=`;
}

/** True for a skeleton built before bodies were quoted-printable (a letter stored earlier): base64 then. */
export function isBase64Skeleton(skeleton: string): boolean {
  return skeleton.includes('Content-Transfer-Encoding: base64');
}

/**
 * A body part's content: UTF-8, base64 (nodemailer's encoder), lines of 76.
 * The lines are cut by slicing rather than by nodemailer's `wrap`, whose
 * regex took ~180 µs for an 18 KB letter (measured, bench/cases/letters.ts):
 * most of the per-message budget.
 */
export function mimeBody(content: string): string {
  const encoded = base64(Buffer.from(content, 'utf8'));
  let out = encoded.slice(0, 76);
  for (let i = 76; i < encoded.length; i += 76) out += `\r\n${encoded.slice(i, i + 76)}`;
  return out;
}

/**
 * Header text: as is when plain ASCII, else RFC 2047 encoded words. Text that
 * merely looks like an encoded word ("=?UTF-8?B?…?=") is encoded too, so a
 * mail client shows what was written rather than decoding it into something else.
 */
export function mimeText(value: string): string {
  const clean = oneLine(value);
  if (isPlainText(clean) && !clean.includes('=?')) return clean;
  return encodeWord(clean, 'B', 52);
}

/** `Name <address>` for a header: a quoted name when plain ASCII, else encoded words. */
export function mimeAddress(name: string, address: string): string {
  const clean = oneLine(name);
  const addr = oneLine(address);
  if (!clean) return addr;
  if (isPlainText(clean) && !clean.includes('=?')) {
    return `"${clean.replace(/["\\]/g, '\\$&')}" <${addr}>`;
  }
  return `${mimeText(clean)} <${addr}>`;
}

/** Extra header lines (name: value CRLF), folded; values lose control characters, names are checked. */
export function mimeHeaderLines(headers: Record<string, string>): string {
  let out = '';
  for (const [name, value] of Object.entries(headers)) {
    if (!/^[A-Za-z0-9-]+$/.test(name))
      throw new Error(`not a header name: ${JSON.stringify(name)}`);
    const v = value;
    out += `${foldLines(`${name}: ${mimeText(v)}`, 76)}\r\n`;
  }
  return out;
}

/** The Date header value (RFC 5322), as nodemailer writes it. */
export function mimeDate(d: Date): string {
  return d.toUTCString().replace(/GMT/, '+0000');
}
