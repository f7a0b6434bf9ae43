/**
 * Plain text of an HTML reply, in one forward pass: each tag is found with
 * indexOf and read once (its quoted attributes skipped with indexOf too),
 * script, style and head contents are skipped to their closing tag, block
 * elements end lines, <blockquote> prefixes its lines with "> " (so the
 * quoted letter is recognised as quoted), and entities are decoded by the
 * `entities` package. The cost is O(length) for any input: unclosed tags,
 * a million nested divs or attributes without an end. The result is only
 * ever stored and shown as text, never as HTML.
 */
import { decodeHTML } from 'entities';
import type { Budget } from './mime/budget.js';

const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'div',
  'dl',
  'dt',
  'dd',
  'fieldset',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tr',
  'ul',
]);
const SKIP = new Set(['script', 'style', 'head', 'title', 'template', 'noscript', 'xml']);
const MAX_QUOTE_DEPTH = 8;

const isNameChar = (c: number) =>
  (c >= 0x61 && c <= 0x7a) ||
  (c >= 0x41 && c <= 0x5a) ||
  (c >= 0x30 && c <= 0x39) ||
  c === 0x2d ||
  c === 0x3a;

/**
 * Index just past the `>` that ends the tag whose name ends at `from`, or -1.
 * A quote right after `=` opens a value that may hold a `>`: the scan jumps to
 * its closing quote, so every character is looked at once.
 */
function tagEnd(html: string, from: number): number {
  let afterEquals = false;
  for (let i = from; i < html.length; i++) {
    const c = html.charCodeAt(i);
    if (c === 0x3e) return i + 1;
    if ((c === 0x22 || c === 0x27) && afterEquals) {
      const close = html.indexOf(html[i]!, i + 1);
      if (close < 0) return -1;
      i = close;
      afterEquals = false;
    } else if (c === 0x3d) afterEquals = true;
    else if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) afterEquals = false;
  }
  return -1;
}

const trimEnd = (s: string): string => {
  let end = s.length;
  while (end > 0) {
    const c = s.charCodeAt(end - 1);
    if (c !== 0x20 && c !== 0x09 && c !== 0xa0) break;
    end--;
  }
  return s.slice(0, end);
};

/** True when a line holds nothing but quote markers (read once per finished line). */
const onlyQuotes = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x3e && c !== 0x20) return false;
  }
  return true;
};

/** Converts HTML to text; see the file comment. */
export function htmlToText(html: string, budget?: Budget): string {
  const lines: string[] = [];
  // The current line as pieces (joined once): reading the end of a string built by `+=`
  // would flatten it each time, which is quadratic on a line of a million pieces.
  let parts: string[] = [];
  let content = false;
  let endsWithSpace = true;
  let quote = 0;
  let pre = 0;
  const prefix = () => (quote ? '> '.repeat(Math.min(quote, MAX_QUOTE_DEPTH)) : '');
  const startLine = () => {
    parts = [prefix()];
    content = false;
    endsWithSpace = true;
  };
  const newline = () => {
    lines.push(parts.join(''));
    startLine();
  };
  const block = () => {
    if (content) newline();
  };
  const add = (piece: string) => {
    if (!piece) return;
    parts.push(piece);
    content = true;
    endsWithSpace = piece.charCodeAt(piece.length - 1) === 0x20;
  };
  const text = (segment: string) => {
    if (!segment) return;
    const decoded = segment.includes('&') ? decodeHTML(segment) : segment;
    if (pre) {
      decoded.split('\n').forEach((p, i) => {
        if (i) newline();
        add(p);
      });
    } else {
      const collapsed = decoded.replace(/[ \t\r\n\f\u00a0]+/g, (m) =>
        m.includes('\u00a0') ? '\u00a0' : ' ',
      );
      add(endsWithSpace && collapsed.charCodeAt(0) === 0x20 ? collapsed.slice(1) : collapsed);
    }
  };
  startLine();

  let i = 0;
  // Where the text not yet emitted starts: a "<" that opens no tag stays part of it.
  let from = 0;
  const n = html.length;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    const first = html.charCodeAt(lt + 1);
    const closing = first === 0x2f;
    let j = lt + (closing ? 2 : 1);
    const nameStart = j;
    while (j < n && j - nameStart < 32 && isNameChar(html.charCodeAt(j))) j++;
    const comment = html.startsWith('<!--', lt);
    const declaration = !comment && (first === 0x21 || first === 0x3f);
    if (!comment && !declaration && j === nameStart) {
      i = lt + 1;
      continue;
    }
    text(html.slice(from, lt));
    if (comment) {
      const end = html.indexOf('-->', lt + 4);
      i = from = end < 0 ? n : end + 3;
      continue;
    }
    if (declaration) {
      // <!DOCTYPE …>, <![CDATA[ …, <?xml …?>
      const end = html.indexOf('>', lt + 2);
      i = from = end < 0 ? n : end + 1;
      continue;
    }
    const name = html.slice(nameStart, j).toLowerCase();
    const end = tagEnd(html, j);
    if (budget) budget.ops += 1;
    if (end < 0) {
      from = n;
      break;
    }
    i = from = end;
    if (!closing && SKIP.has(name)) {
      const re = new RegExp(`</${name}\\b`, 'gi');
      re.lastIndex = i;
      const found = re.exec(html);
      if (!found) {
        from = n;
        break;
      }
      const after = html.indexOf('>', found.index);
      i = from = after < 0 ? n : after + 1;
      continue;
    }
    if (name === 'br') newline();
    else if (name === 'blockquote') {
      block();
      quote = Math.max(0, quote + (closing ? -1 : 1));
      startLine();
    } else if (name === 'pre') {
      block();
      pre = Math.max(0, pre + (closing ? -1 : 1));
    } else if (name === 'td' || name === 'th') {
      if (closing && content && !endsWithSpace) add(' ');
    } else if (BLOCK.has(name)) block();
  }
  text(html.slice(from));
  lines.push(parts.join(''));
  if (budget) budget.ops += n;

  // Trailing spaces off, runs of blank lines down to one, and no blank edges.
  const out: string[] = [];
  for (const l of lines) {
    const trimmed = trimEnd(l);
    const t = onlyQuotes(trimmed) ? trimmed.replace(/ /g, '') : trimmed;
    if (t === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(t);
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}
