/**
 * Reading an inbound message under hard limits: total size, header sizes,
 * MIME parts and nesting depth (counted on the tree as it is built), a time
 * budget, and a fixed amount of text handed on to the reply extractor. Every
 * stage is one forward pass (mime/structure.ts, mime/body.ts, html-text.ts),
 * so the cost of any message is bounded by its size. Anything outside the
 * limits comes back as a rejection, anything unreadable as malformed, each
 * with a reason (never an exception), so one bad message can neither crash
 * the handler nor hold up the next one. postal-mime supplies the address and
 * encoded-word parsers.
 */
import { type Address, addressParser } from 'postal-mime';
import { leafText, decodedSize, transferDecode } from './mime/body.js';
import { type Budget, BudgetExceeded, breathe, timeBudget } from './mime/budget.js';
import { headerText, type HeaderField, readFields } from './mime/headers.js';
import { field, type MimePart, partOf, scanStructure } from './mime/structure.js';
import { htmlToText } from './html-text.js';

export { htmlToText };

export interface InboundLimits {
  /** Whole raw message, bytes. */
  maxBytes: number;
  /** Top-level header section, bytes. */
  maxHeaderBytes: number;
  /** MIME parts in the whole message, counted on its tree (a part without headers counts too). */
  maxParts: number;
  /** Nesting depth of multipart containers. */
  maxDepth: number;
  /** Time to read one message, milliseconds. */
  maxParseMs: number;
  /** Characters of text handed to the reply extractor and the classifier. */
  maxTextChars: number;
}

export const DEFAULT_LIMITS: InboundLimits = {
  maxBytes: 10 * 1024 * 1024,
  maxHeaderBytes: 64 * 1024,
  maxParts: 100,
  maxDepth: 12,
  maxParseMs: 1000,
  maxTextChars: 256 * 1024,
};

/** Raw bytes of a text part read at most (base64 and quoted-printable make text longer). */
const MAX_PART_TEXT_BYTES = 512 * 1024;
/** Raw bytes of all text parts read together: many parts of HTML that yields no text stop here. */
const MAX_TEXT_BYTES = 1024 * 1024;
/** Bytes of a returned or attached message read for its Message-ID. */
const EMBEDDED_BYTES = 64 * 1024;

export interface ParsedPart {
  filename: string | null;
  mimeType: string;
  disposition: string | null;
  size: number;
  contentId?: string;
}

/** A part read for its content: a bounce's delivery-status, a returned or attached message. */
export interface EmbeddedPart {
  mimeType: string;
  text: string;
}

export interface ParsedMessage {
  /** Lower-cased header name → values, in order. */
  headers: Map<string, string[]>;
  /** The top header fields in their order (authentication results are trusted by position). */
  fields: HeaderField[];
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
  /** The body text (HTML converted), at most `maxTextChars`. */
  text: string;
  /** True when the text was cut to `maxTextChars` or a part was read only in part. */
  textCut: boolean;
  /** Attachments: neither a body text part, nor an image the HTML shows by its cid:. */
  parts: ParsedPart[];
  /** Images the HTML references by cid: (shown inline, not attachments). */
  inlineImages: number;
  embedded: EmbeddedPart[];
}

export type ParseResult =
  | { ok: true; message: ParsedMessage }
  | { ok: false; kind: 'rejected' | 'malformed'; reason: string };

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
    if (line[0] === ' ' || line[0] === '\t') {
      if (i === 0) return 'header line 1 is a continuation with nothing to continue';
      continue;
    }
    if (!HEADER_LINE.test(line))
      return `malformed header line ${i + 1}: ${JSON.stringify(line.slice(0, 60))}`;
  }
  return undefined;
}

const mailbox = (list: Address[]): { name: string; address: string } | undefined => {
  for (const a of list) {
    const m = a.address ? a : a.group?.[0];
    if (m?.address) return { name: m.name ?? '', address: m.address.toLowerCase() };
  }
  return undefined;
};

const flatAddresses = (list: Address[]): string[] =>
  list.flatMap((a) =>
    a.address ? [a.address.toLowerCase()] : (a.group ?? []).map((m) => m.address.toLowerCase()),
  );

/** Every `<id>` in a header value, brackets removed; bare ids are taken whole. */
export function messageIds(value: string | undefined): string[] {
  if (!value) return [];
  const bracketed = [...value.slice(0, 16384).matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]!);
  if (bracketed.length) return bracketed;
  return value
    .slice(0, 16384)
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s.includes('@'));
}

/** Where the HTML points at inline images: the ids after each `cid:`, lower-cased. */
function cidReferences(html: string): Set<string> {
  const ids = new Set<string>();
  let at = html.indexOf('cid:');
  while (at >= 0 && ids.size < 1000) {
    let end = at + 4;
    while (end < html.length && end - at < 500 && !/["'\s>)]/.test(html[end]!)) end++;
    ids.add(html.slice(at + 4, end).toLowerCase());
    at = html.indexOf('cid:', end);
  }
  return ids;
}

interface BodyWalk {
  texts: MimePart[];
  others: MimePart[];
}

const isBodyText = (p: MimePart) =>
  (p.type === 'text/plain' || p.type === 'text/html') && p.disposition !== 'attachment';

/** Sorts the leaves into body text (one alternative of each multipart/alternative) and the rest. */
function walk(part: MimePart, out: BodyWalk): void {
  if (!part.type.startsWith('multipart/') || part.defect) {
    (isBodyText(part) && !part.defect ? out.texts : out.others).push(part);
    return;
  }
  if (part.type === 'multipart/alternative') {
    const pick =
      part.children.find((c) => c.type === 'text/plain' && isBodyText(c)) ??
      part.children.find((c) => c.type.startsWith('multipart/')) ??
      part.children.find(isBodyText);
    for (const c of part.children) {
      if (c === pick) walk(c, out);
      // The other renderings of the same text are neither text nor attachments; their images still count.
      else if (!isBodyText(c)) walk(c, { texts: [], others: out.others });
      else if (c.type === 'text/html') out.others.push({ ...c, type: 'text/html+alternative' });
    }
    return;
  }
  for (const c of part.children) walk(c, out);
}

/**
 * Parses a raw message under `limits`, within `limits.maxParseMs`. Resolves
 * `{ ok: false, kind, reason }` for anything too large, too deep, with too
 * many parts, too slow to read (rejected), or without a readable header
 * section, a From address or a text part (malformed).
 */
export async function parseMessage(
  raw: Uint8Array,
  limits: InboundLimits = DEFAULT_LIMITS,
  budget: Budget = timeBudget(limits.maxParseMs),
): Promise<ParseResult> {
  const reject = (reason: string) => ({ ok: false as const, kind: 'rejected' as const, reason });
  const malformed = (reason: string) => ({
    ok: false as const,
    kind: 'malformed' as const,
    reason,
  });
  if (raw.length > limits.maxBytes)
    return reject(`message is ${raw.length} bytes, over the ${limits.maxBytes}-byte limit`);
  if (raw.length === 0) return malformed('empty message');
  try {
    budget.check('starting');
    const headerProblem = checkHeaderSection(raw, limits);
    if (headerProblem)
      return headerProblem.includes('-byte limit')
        ? reject(headerProblem)
        : malformed(headerProblem);
    const end = headerEnd(raw, limits.maxHeaderBytes)!;
    const fields = readFields(raw.subarray(0, end));
    const bodyStart = raw[end] === 0x0d ? end + 2 : end + 1;
    const root = partOf(fields, bodyStart);
    const tree = await scanStructure(
      raw,
      root,
      {
        maxParts: limits.maxParts,
        maxDepth: limits.maxDepth,
        maxPartHeaderBytes: limits.maxHeaderBytes,
        maxTotalHeaderBytes: limits.maxHeaderBytes * 4,
      },
      budget,
    );
    if (!tree.ok) return reject(tree.reason);
    budget.check('reading the headers');

    const headers = new Map<string, string[]>();
    for (const f of fields) headers.set(f.name, [...(headers.get(f.name) ?? []), f.value]);
    const one = (name: string, max = 4096) => {
      const v = field(fields, name);
      return v === undefined ? undefined : headerText(v, max);
    };
    const from = mailbox(addressParser(one('from', 2048) ?? ''));
    if (!from) return malformed('no From address');
    const to = [
      ...flatAddresses(addressParser(one('to', 8192) ?? '')),
      ...flatAddresses(addressParser(one('cc', 8192) ?? '')),
    ].slice(0, 200);
    const inReplyTo = one('in-reply-to', 16384);
    const references = one('references', 16384);
    const dateValue = field(fields, 'date')?.slice(0, 200);
    const date =
      dateValue && !Number.isNaN(Date.parse(dateValue))
        ? new Date(dateValue).toISOString()
        : dateValue;

    const sorted: BodyWalk = { texts: [], others: [] };
    walk(root, sorted);
    if (!sorted.texts.length) {
      const kinds = [...new Set(sorted.others.map((p) => p.defect ?? p.type))].slice(0, 5);
      return malformed(
        `no text part: the message holds ${kinds.length ? kinds.join(', ') : 'nothing'} and no text/plain or text/html body`,
      );
    }
    await breathe();
    budget.check('decoding the text');
    const segments: string[] = [];
    const htmlSeen: string[] = [];
    let length = 0;
    let read = 0;
    let cut = false;
    for (const p of sorted.texts) {
      if (length >= limits.maxTextChars || read >= MAX_TEXT_BYTES) {
        cut = true;
        break;
      }
      const leaf = leafText(raw, p, Math.min(MAX_PART_TEXT_BYTES, MAX_TEXT_BYTES - read));
      read += Math.min(p.bodyEnd - p.bodyStart, MAX_PART_TEXT_BYTES);
      cut ||= leaf.cut;
      let text = leaf.text;
      if (p.type === 'text/html') {
        htmlSeen.push(text);
        text = htmlToText(text, budget);
      }
      budget.ops += text.length;
      segments.push(text);
      length += text.length + 1;
      budget.check('decoding the text');
    }
    let text = segments.join('\n');
    if (text.length > limits.maxTextChars) {
      text = text.slice(0, limits.maxTextChars);
      cut = true;
    }

    // Images the HTML shows by cid: are part of the body, not attachments.
    for (const p of sorted.others)
      if (p.type === 'text/html+alternative')
        htmlSeen.push(leafText(raw, { ...p, type: 'text/html' }, MAX_PART_TEXT_BYTES).text);
    const cids = cidReferences(htmlSeen.join('\n'));
    let inlineImages = 0;
    const parts: ParsedPart[] = [];
    const embedded: EmbeddedPart[] = [];
    for (const p of sorted.others) {
      if (p.type === 'text/html+alternative') continue;
      if (p.contentId && cids.has(p.contentId) && p.type.startsWith('image/')) {
        inlineImages++;
        continue;
      }
      if (
        [
          'message/delivery-status',
          'message/rfc822',
          'text/rfc822-headers',
          'message/global',
          'message/global-headers',
        ].includes(p.type)
      ) {
        const bytes = transferDecode(
          raw.subarray(p.bodyStart, Math.min(p.bodyEnd, p.bodyStart + EMBEDDED_BYTES * 2)),
          p.encoding,
        ).subarray(0, EMBEDDED_BYTES);
        embedded.push({ mimeType: p.type, text: Buffer.from(bytes).toString('utf8') });
      }
      if (p.type === 'message/delivery-status') continue;
      const name =
        p.dispositionParams.filename ?? p.params.name ?? p.dispositionParams.name ?? null;
      parts.push({
        filename: name === null ? null : headerText(name, 1024),
        mimeType: p.defect ? 'application/octet-stream' : p.type,
        disposition: p.disposition || null,
        size: decodedSize(raw, p, budget),
        ...(p.contentId ? { contentId: p.contentId } : {}),
      });
    }
    budget.check('listing the attachments');

    return {
      ok: true,
      message: {
        headers,
        fields,
        contentType: (field(fields, 'content-type') ?? 'text/plain').toLowerCase().slice(0, 1000),
        from,
        to,
        subject: one('subject'),
        ...(date ? { date } : {}),
        messageId: messageIds(field(fields, 'message-id'))[0],
        inReplyTo: messageIds(inReplyTo)[0],
        referenced: [...new Set([...messageIds(inReplyTo), ...messageIds(references)])].slice(
          0,
          50,
        ),
        text,
        textCut: cut,
        parts,
        inlineImages,
        embedded,
      },
    };
  } catch (err) {
    if (err instanceof BudgetExceeded) return reject(err.message);
    throw err;
  }
}

/** The first value of a header, or undefined. */
export function header(m: ParsedMessage, name: string): string | undefined {
  return m.headers.get(name.toLowerCase())?.[0];
}
