/**
 * Statement blocks to letter HTML and text. Every piece of statement text is
 * escaped here; every link becomes a numbered link slot, so the compiled
 * letter knows its links in the order they appear and each recipient's merge
 * can point them at a click redirect or at the original address.
 *
 * The HTML is what mail clients render reliably: inline styles, tables for
 * tables (no CSS grid), `<hr>` with a border for a rule, images with width
 * limits and alt text. The text part keeps the same structure in characters:
 * headings underlined, tables as aligned columns, nested items indented.
 */
import { escapeHtml } from './html.js';
import type { Align, Block, Inline, ListBlock } from './statement.js';

/** Collects the letter's links in order of appearance; `slot(i)` is the merge slot for link i. */
export class LinkCollector {
  readonly links: string[] = [];
  constructor(private readonly slot: (name: string) => string) {}

  /** Registers a link for the HTML part and returns its slot. */
  add(href: string): string {
    this.links.push(href);
    return this.slot(`link${this.links.length - 1}`);
  }

  /**
   * The text part lists the same links in the same order, so its slots are
   * taken by a second pass counting from zero again.
   */
  textPass(): (href: string) => string {
    let i = 0;
    return () => this.slot(`link${i++}`);
  }
}

function inlineHtml(runs: Inline[], link: (href: string) => string): string {
  return runs
    .map((r) => {
      let h = escapeHtml(r.text);
      if (r.em) h = `<em>${h}</em>`;
      if (r.strong) h = `<strong>${h}</strong>`;
      if (r.href) h = `<a href="${link(r.href)}" style="color:#0b57a4;">${h}</a>`;
      return h;
    })
    .join('');
}

/** Markdown `#` is the first heading under the letter's own title (its h1): one level down, sizes falling. */
const HEADING_SIZES = [20, 18, 16, 15, 14];

function listHtml(block: ListBlock, link: (href: string) => string): string {
  const tag = block.ordered ? 'ol' : 'ul';
  const type = block.marker === 'alpha' ? ' type="a"' : '';
  const items = block.items.map((item, i) => {
    const nested = block.nested?.[i];
    return `<li>${inlineHtml(item, link)}${nested ? listHtml(nested, link) : ''}</li>`;
  });
  return `<${tag}${type}>${items.join('')}</${tag}>`;
}

const CELL = 'padding:6px 10px;border:1px solid #d0d7de;vertical-align:top;';

function tableHtml(b: Extract<Block, { type: 'table' }>, link: (href: string) => string): string {
  const align = (i: number) => (b.align[i] ? `text-align:${b.align[i]};` : 'text-align:left;');
  const head = b.header
    .map((c, i) => `<th style="${CELL}${align(i)}background:#f6f8fa;">${inlineHtml(c, link)}</th>`)
    .join('');
  const rows = b.rows
    .map(
      (r) =>
        `<tr>${b.header.map((_, i) => `<td style="${CELL}${align(i)}">${inlineHtml(r[i] ?? [], link)}</td>`).join('')}</tr>`,
    )
    .join('');
  return (
    `<table role="table" cellpadding="0" cellspacing="0" border="0" ` +
    `style="border-collapse:collapse;margin:0 0 12px 0;font-size:14px;line-height:1.4;">` +
    `<thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`
  );
}

/** The body as HTML; links become slots registered with `links`. */
export function bodyHtml(blocks: Block[], links: LinkCollector): string {
  const link = (href: string) => links.add(href);
  return blocks
    .map((block) => {
      switch (block.type) {
        case 'heading': {
          const level = Math.min(6, block.level + 1);
          const size = HEADING_SIZES[Math.min(block.level, HEADING_SIZES.length) - 1];
          return `<h${level} style="font-size:${size}px;line-height:1.3;margin:16px 0 8px 0;">${inlineHtml(block.inlines, link)}</h${level}>`;
        }
        case 'paragraph':
          return `<p style="margin:0 0 12px 0;">${inlineHtml(block.inlines, link)}</p>`;
        case 'quote':
          return `<blockquote>${inlineHtml(block.inlines, link)}</blockquote>`;
        case 'list':
          return listHtml(block, link);
        case 'rule':
          return '<hr style="border:0;border-top:1px solid #d0d7de;margin:16px 0;height:0;" />';
        case 'table':
          return tableHtml(block, link);
        case 'image':
          return `<p style="margin:0 0 12px 0;"><img src="${escapeHtml(block.src)}" alt="${escapeHtml(block.alt)}" style="display:block;max-width:100%;height:auto;border:0;" /></p>`;
      }
    })
    .join('\n');
}

function inlineText(runs: Inline[], link: (href: string) => string): string {
  // A link whose text is its own address shows once; its slot keeps the click count honest.
  return runs.map((r) => (r.href ? `${r.text} <${link(r.href)}>` : r.text)).join('');
}

const cellText = (runs: Inline[]) => runs.map((r) => r.text).join('');
/** Characters a reader sees: combining marks take no column. */
const width = (s: string) => [...s.normalize('NFC')].length;

function pad(s: string, w: number, align: Align): string {
  const gap = Math.max(0, w - width(s));
  if (align === 'right') return ' '.repeat(gap) + s;
  if (align === 'center') return ' '.repeat(gap >> 1) + s + ' '.repeat(gap - (gap >> 1));
  return s + ' '.repeat(gap);
}

/**
 * A table as aligned columns. Cell links are listed under the table, in the
 * order the HTML has them, so the text part's link slots stay in step.
 */
function tableText(b: Extract<Block, { type: 'table' }>, link: (href: string) => string): string[] {
  const rows = [b.header, ...b.rows];
  const cols = b.header.length;
  const widths = Array.from({ length: cols }, (_, i) =>
    Math.max(3, ...rows.map((r) => width(cellText(r[i] ?? [])))),
  );
  const line = (r: Inline[][]) =>
    widths
      .map((w, i) => pad(cellText(r[i] ?? []), w, b.align[i]))
      .join(' | ')
      .trimEnd();
  const out = [line(b.header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...b.rows.map(line)];
  for (const r of rows) {
    for (let i = 0; i < cols; i++) {
      for (const run of r[i] ?? []) if (run.href) out.push(`  ${run.text}: <${link(run.href)}>`);
    }
  }
  return out;
}

function listText(b: ListBlock, link: (href: string) => string, indent = ''): string[] {
  const lines: string[] = [];
  b.items.forEach((item, i) => {
    const marker = !b.ordered
      ? '•'
      : b.marker === 'alpha'
        ? `${String.fromCharCode(97 + (i % 26))})`
        : `${i + 1}.`;
    lines.push(`${indent}${marker} ${inlineText(item, link)}`);
    const nested = b.nested?.[i];
    if (nested) lines.push(...listText(nested, link, `${indent}   `));
  });
  return lines;
}

/** The body as plain text, lists as bullets; links as slots in the same order as the HTML. */
export function bodyText(blocks: Block[], link: (href: string) => string): string[] {
  const lines: string[] = [];
  for (const b of blocks) {
    switch (b.type) {
      case 'list':
        lines.push(...listText(b, link), '');
        break;
      case 'quote':
        lines.push(`> ${inlineText(b.inlines, link)}`, '');
        break;
      case 'heading': {
        const text = inlineText(b.inlines, link);
        lines.push(text, (b.level <= 1 ? '=' : '-').repeat(Math.min(72, width(text))), '');
        break;
      }
      case 'rule':
        lines.push('-'.repeat(24), '');
        break;
      case 'table':
        lines.push(...tableText(b, link), '');
        break;
      case 'image':
        lines.push(`[${b.alt}]`, '');
        break;
      default:
        lines.push(inlineText(b.inlines, link), '');
    }
  }
  return lines;
}
