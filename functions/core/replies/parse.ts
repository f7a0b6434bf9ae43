/**
 * Reading an inbound message with postal-mime under hard limits: total size,
 * header size, number of parts and MIME nesting depth. Anything outside the
 * limits or unreadable comes back as a rejection with a reason (never an
 * exception), so one bad message can neither crash the handler nor block the
 * next one.
 */
import PostalMime, { type Address, type Email } from 'postal-mime';

export interface InboundLimits {
  /** Whole raw message, bytes. */
  maxBytes: number;
  /** Top-level header section, bytes. */
  maxHeaderBytes: number;
  /** MIME parts (Content-Type headers) in the whole message. */
  maxParts: number;
  /** Nesting depth of multipart containers. */
  maxDepth: number;
}

export const DEFAULT_LIMITS: InboundLimits = {
  maxBytes: 10 * 1024 * 1024,
  maxHeaderBytes: 64 * 1024,
  maxParts: 100,
  maxDepth: 12,
};

export interface ParsedPart {
  filename: string | null;
  mimeType: string;
  disposition: string | null;
  size: number;
  content: Uint8Array;
}

export interface ParsedMessage {
  /** Lower-cased header name → values, in order. */
  headers: Map<string, string[]>;
  /** Top-level Content-Type, lower-cased, parameters included. */
  contentType: string;
  from?: { name: string; address: string };
  to: string[];
  subject?: string;
  date?: string;
  messageId?: string;
  inReplyTo?: string;
  /** Message-IDs named by In-Reply-To and References, angle brackets removed. */
  referenced: string[];
  text: string;
  html?: string;
  parts: ParsedPart[];
}

export type ParseResult = { ok: true; message: ParsedMessage } | { ok: false; reason: string };

const HEADER_LINE = /^[!-9;-~]+[ \t]*:/;

/** Finds the end of the top header section: the first empty line. */
function headerEnd(raw: Uint8Array, max: number): number | undefined {
  const limit = Math.min(raw.length, max + 4);
  for (let i = 0; i < limit; i++) {
    if (raw[i] !== 0x0a) continue;
    if (raw[i + 1] === 0x0a) return i + 1;
    if (raw[i + 1] === 0x0d && raw[i + 2] === 0x0a) return i + 1;
  }
  return undefined;
}

/** Checks the top header section line by line; returns a reason when it is not a header section. */
function checkHeaderSection(raw: Uint8Array, limits: InboundLimits): string | undefined {
  const end = headerEnd(raw, limits.maxHeaderBytes);
  if (end === undefined) {
    return raw.length > limits.maxHeaderBytes
      ? `header section is over the ${limits.maxHeaderBytes}-byte limit (or has no blank line ending it)`
      : 'no blank line ends the header section: not a MIME message';
  }
  if (end > limits.maxHeaderBytes)
    return `header section is ${end} bytes, over the ${limits.maxHeaderBytes}-byte limit`;
  const head = Buffer.from(raw.subarray(0, end)).toString('latin1');
  if (head.includes('\0')) return 'header section contains a NUL byte';
  const lines = head.split(/\r?\n/).filter((l) => l.length > 0);
  if (lines.length === 0) return 'empty header section';
  for (const [i, line] of lines.entries()) {
    if (/^[ \t]/.test(line)) {
      if (i === 0) return 'header line 1 is a continuation with nothing to continue';
      continue;
    }
    if (!HEADER_LINE.test(line))
      return `malformed header line ${i + 1}: ${JSON.stringify(line.slice(0, 60))}`;
  }
  return undefined;
}

/** Counts Content-Type header lines anywhere in the message: an upper bound of its parts. */
function countParts(raw: Uint8Array): number {
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('latin1');
  return (text.match(/(?:^|\n)content-type[ \t]*:/gi) ?? []).length;
}

const mailbox = (a: Address | undefined): { name: string; address: string } | undefined => {
  if (!a) return undefined;
  if (a.address) return { name: a.name ?? '', address: a.address.toLowerCase() };
  const first = a.group?.[0];
  return first ? { name: first.name ?? '', address: first.address.toLowerCase() } : undefined;
};

const flatAddresses = (list: Address[] | undefined): string[] =>
  (list ?? []).flatMap((a) =>
    a.address ? [a.address.toLowerCase()] : (a.group ?? []).map((m) => m.address.toLowerCase()),
  );

/** Every `<id>` in a header value, brackets removed; bare ids are taken whole. */
export function messageIds(value: string | undefined): string[] {
  if (!value) return [];
  const bracketed = [...value.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]!);
  if (bracketed.length) return bracketed;
  return value
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s.includes('@'));
}

/**
 * Parses a raw message under `limits`. Resolves `{ ok: false, reason }` for
 * anything too large, too deep, with too many parts, without a header
 * section, or that postal-mime cannot read.
 */
export async function parseMessage(
  raw: Uint8Array,
  limits: InboundLimits = DEFAULT_LIMITS,
): Promise<ParseResult> {
  if (raw.length > limits.maxBytes)
    return {
      ok: false,
      reason: `message is ${raw.length} bytes, over the ${limits.maxBytes}-byte limit`,
    };
  if (raw.length === 0) return { ok: false, reason: 'empty message' };
  const headerProblem = checkHeaderSection(raw, limits);
  if (headerProblem) return { ok: false, reason: headerProblem };
  const parts = countParts(raw);
  if (parts > limits.maxParts)
    return {
      ok: false,
      reason: `message has ${parts} parts, over the limit of ${limits.maxParts}`,
    };

  let email: Email;
  try {
    email = await PostalMime.parse(raw, {
      maxNestingDepth: limits.maxDepth,
      // postal-mime counts every part's headers; allow each part its share of the top-level limit.
      maxHeadersSize: limits.maxHeaderBytes * 4,
      forceRfc822Attachments: true,
      attachmentEncoding: 'arraybuffer',
    });
  } catch (err) {
    return { ok: false, reason: `unreadable MIME: ${(err as Error).message}` };
  }

  const headers = new Map<string, string[]>();
  for (const h of email.headers) headers.set(h.key, [...(headers.get(h.key) ?? []), h.value]);
  const from = mailbox(email.from);
  if (!from) return { ok: false, reason: 'no From address' };
  const inReplyTo = messageIds(email.inReplyTo)[0];
  const referenced = [
    ...new Set([...messageIds(email.inReplyTo), ...messageIds(email.references)]),
  ];

  return {
    ok: true,
    message: {
      headers,
      contentType: (headers.get('content-type')?.[0] ?? 'text/plain').toLowerCase(),
      from,
      to: [...flatAddresses(email.to), ...flatAddresses(email.cc)],
      subject: email.subject,
      date: email.date,
      messageId: messageIds(email.messageId)[0],
      inReplyTo,
      referenced,
      text: email.text ?? (email.html ? htmlToText(email.html) : ''),
      html: email.html,
      parts: email.attachments.map((a) => {
        const content =
          a.content instanceof ArrayBuffer
            ? new Uint8Array(a.content)
            : typeof a.content === 'string'
              ? new TextEncoder().encode(a.content)
              : a.content;
        return {
          filename: a.filename,
          mimeType: a.mimeType,
          disposition: a.disposition,
          size: content.byteLength,
          content,
        };
      }),
    },
  };
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

/**
 * Plain text of an HTML-only message: scripts and styles dropped, block ends
 * as line breaks, tags removed, entities decoded. The result is only ever
 * stored and shown as text, never as HTML.
 */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h[1-6]|blockquote)\s*>/gi, '\n')
    .replace(/<blockquote\b[^>]*>/gi, '\n> ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const code =
          e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : '';
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The first value of a header, or undefined. */
export function header(m: ParsedMessage, name: string): string | undefined {
  return m.headers.get(name.toLowerCase())?.[0];
}
