/**
 * The MIME tree of a message, found in one forward pass over its bytes. Only
 * lines that start with "--" are compared with the boundaries of the open
 * multipart containers (found with a native search, never line by line), so
 * the pass costs O(bytes) whatever the shape: millions of empty lines, one
 * line of ten megabytes, a boundary repeated two hundred thousand times. The
 * part count and the nesting depth are counted on the tree as it is built, and
 * the pass stops at the first limit it crosses: a part without headers counts
 * as much as one with them.
 */
import type { Budget } from './budget.js';
import { breathe } from './budget.js';
import { type HeaderField, parseStructured, readFields } from './headers.js';

export interface StructureLimits {
  maxParts: number;
  maxDepth: number;
  /** Header bytes of one part below the top. */
  maxPartHeaderBytes: number;
  /** Header bytes of all the parts together. */
  maxTotalHeaderBytes: number;
}

export interface MimePart {
  fields: HeaderField[];
  /** Lower-cased media type, `text/plain` when none was given. */
  type: string;
  params: Record<string, string>;
  /** Lower-cased disposition (`inline`, `attachment`) or ''. */
  disposition: string;
  dispositionParams: Record<string, string>;
  /** Lower-cased Content-Transfer-Encoding, `7bit` when none was given. */
  encoding: string;
  /** Content-ID without angle brackets, lower-cased. */
  contentId?: string;
  /** Byte range of the body in the raw message. */
  bodyStart: number;
  bodyEnd: number;
  children: MimePart[];
  /** What is wrong with the part, when something is (a multipart without a boundary …). */
  defect?: string;
}

export type StructureResult =
  { ok: true; root: MimePart; parts: number; depth: number } | { ok: false; reason: string };

const NL_DASH = Buffer.from('\n--');
const SLICE = 1 << 20;

/** The value of the first field called `name`. */
export const field = (fields: HeaderField[], name: string): string | undefined =>
  fields.find((f) => f.name === name)?.value;

/** Builds a part from its header fields; `digest` parents make message/rfc822 the default type. */
export function partOf(fields: HeaderField[], bodyStart: number, digest = false): MimePart {
  const ct = parseStructured(field(fields, 'content-type') ?? '');
  const type = ct.value.includes('/') ? ct.value : digest ? 'message/rfc822' : 'text/plain';
  const cd = parseStructured(field(fields, 'content-disposition') ?? '');
  const cte = (field(fields, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase();
  const cid = field(fields, 'content-id')?.trim().replace(/^<|>$/g, '').toLowerCase();
  const part: MimePart = {
    fields,
    type,
    params: ct.params,
    disposition: cd.value,
    dispositionParams: cd.params,
    encoding: /^[a-z0-9-]{1,30}$/.test(cte) ? cte : '7bit',
    bodyStart,
    bodyEnd: bodyStart,
    children: [],
  };
  if (cid) part.contentId = cid.slice(0, 500);
  if (type.startsWith('multipart/')) {
    const b = part.params.boundary;
    if (!b) part.defect = `${type} without a boundary parameter`;
    else if (b.length > 200)
      part.defect = `${type} boundary is ${b.length} characters (at most 70 allowed)`;
  }
  return part;
}

/** True when the line at `start` looks like a header field (a name, then a colon). */
function looksLikeField(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end && i < start + 80; i++) {
    const c = buf[i]!;
    if (c === 0x3a) return i > start;
    if (c <= 0x20 || c > 0x7e) return false;
  }
  return false;
}

/**
 * Reads a part's header section from `start`: its fields and where its body
 * starts. A part whose first line is not a header field has no headers (its
 * body starts there). Returns the byte count too, for the header limits.
 */
function readSection(
  buf: Buffer,
  start: number,
  max: number,
  budget: Budget,
): { fields: HeaderField[]; bodyStart: number; bytes: number } | { over: true } {
  let pos = start;
  while (pos < buf.length) {
    let end = buf.indexOf(0x0a, pos);
    if (end < 0) end = buf.length;
    budget.ops++;
    const contentEnd = end > pos && buf[end - 1] === 0x0d ? end - 1 : end;
    if (contentEnd === pos) {
      // The blank line: headers end here.
      return {
        fields: readFields(buf.subarray(start, pos)),
        bodyStart: end + 1,
        bytes: pos - start,
      };
    }
    if (pos === start && !looksLikeField(buf, pos, contentEnd))
      return { fields: [], bodyStart: start, bytes: 0 };
    if (end + 1 - start > max) return { over: true };
    pos = end + 1;
  }
  return {
    fields: readFields(buf.subarray(start, buf.length)),
    bodyStart: buf.length,
    bytes: buf.length - start,
  };
}

interface Open {
  part: MimePart;
  boundary: Buffer;
  /** The child being read, closed by the next boundary line. */
  child?: MimePart;
}

/** Ends `part`'s body before the line break that precedes the boundary line at `lineStart`. */
function close(buf: Buffer, part: MimePart | undefined, lineStart: number): void {
  if (!part) return;
  let end = lineStart - 1;
  if (end > 0 && buf[end - 1] === 0x0d) end--;
  part.bodyEnd = Math.max(part.bodyStart, end);
}

/**
 * Scans the tree below the top header section (already read: `root`).
 * Resolves `{ ok: false, reason }` at the first limit crossed.
 */
export async function scanStructure(
  raw: Uint8Array,
  root: MimePart,
  limits: StructureLimits,
  budget: Budget,
): Promise<StructureResult> {
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  root.bodyEnd = buf.length;
  let parts = 1;
  let depth = 0;
  let headerBytes = 0;
  const stack: Open[] = [];
  const open = (part: MimePart): string | undefined => {
    if (!part.type.startsWith('multipart/') || part.defect) return undefined;
    if (stack.length + 1 > limits.maxDepth)
      return `multipart nesting depth is over the limit of ${limits.maxDepth}`;
    stack.push({ part, boundary: Buffer.from(part.params.boundary!, 'latin1') });
    depth = Math.max(depth, stack.length);
    return undefined;
  };
  const problem = open(root);
  if (problem) return { ok: false, reason: problem };

  let pos = root.bodyStart;
  let sliceEnd = pos + SLICE;
  while (stack.length && pos < buf.length) {
    if (pos > sliceEnd) {
      budget.check('reading the MIME structure');
      await breathe();
      sliceEnd = pos + SLICE;
    }
    // The next line that starts with "--": this one, or the one after the next "\n--".
    let lineStart = pos;
    if (!(buf[pos] === 0x2d && buf[pos + 1] === 0x2d)) {
      const at = buf.indexOf(NL_DASH, pos);
      if (at < 0) break;
      lineStart = at + 1;
    }
    let lineEnd = buf.indexOf(0x0a, lineStart);
    if (lineEnd < 0) lineEnd = buf.length;
    budget.ops += 1 + stack.length;
    let matched = -1;
    let terminator = false;
    for (let k = stack.length - 1; k >= 0 && matched < 0; k--) {
      const b = stack[k]!.boundary;
      const after = lineStart + 2 + b.length;
      if (after > lineEnd || buf.compare(b, 0, b.length, lineStart + 2, after) !== 0) continue;
      const term = buf[after] === 0x2d && buf[after + 1] === 0x2d && after + 2 <= lineEnd;
      let rest = term ? after + 2 : after;
      while (rest < lineEnd && (buf[rest] === 0x20 || buf[rest] === 0x09 || buf[rest] === 0x0d))
        rest++;
      budget.ops += rest - after;
      if (rest !== lineEnd) continue;
      matched = k;
      terminator = term;
    }
    pos = lineEnd + 1;
    if (matched < 0) continue;

    // Everything opened inside the matched container ends at this line.
    while (stack.length - 1 > matched) {
      const inner = stack.pop()!;
      close(buf, inner.child, lineStart);
      close(buf, inner.part, lineStart);
    }
    const container = stack[matched]!;
    close(buf, container.child, lineStart);
    container.child = undefined;
    if (terminator) {
      stack.pop();
      close(buf, container.part, lineStart);
      continue;
    }
    parts++;
    if (parts > limits.maxParts)
      return { ok: false, reason: `message has more than ${limits.maxParts} MIME parts` };
    const section = readSection(buf, pos, limits.maxPartHeaderBytes, budget);
    if ('over' in section)
      return {
        ok: false,
        reason: `the header section of MIME part ${parts} is over the ${limits.maxPartHeaderBytes}-byte limit`,
      };
    headerBytes += section.bytes;
    if (headerBytes > limits.maxTotalHeaderBytes)
      return {
        ok: false,
        reason: `the parts' header sections are over ${limits.maxTotalHeaderBytes} bytes together`,
      };
    const child = partOf(
      section.fields,
      section.bodyStart,
      container.part.type === 'multipart/digest',
    );
    child.bodyEnd = buf.length;
    container.part.children.push(child);
    container.child = child;
    const deeper = open(child);
    if (deeper) return { ok: false, reason: deeper };
    pos = section.bodyStart;
  }
  // A message that ends without its closing boundaries: what is open ends with it.
  for (const o of stack) if (o.child) o.child.bodyEnd = Math.max(o.child.bodyStart, buf.length);
  return { ok: true, root, parts, depth };
}
