/**
 * Statement blocks to letter HTML and text. Every piece of statement text is
 * escaped here; every link becomes a numbered link slot, so the compiled
 * letter knows its links in the order they appear and each recipient's merge
 * can point them at a click redirect or at the original address.
 */
import { escapeHtml } from './html.js';
import type { Block, Inline } from './statement.js';

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

/** The body as HTML; links become slots registered with `links`. */
export function bodyHtml(blocks: Block[], links: LinkCollector): string {
  const link = (href: string) => links.add(href);
  return blocks
    .map((block) => {
      switch (block.type) {
        case 'heading':
          return `<h2 style="font-size:18px;line-height:1.3;margin:16px 0 8px 0;">${inlineHtml(block.inlines, link)}</h2>`;
        case 'paragraph':
          return `<p style="margin:0 0 12px 0;">${inlineHtml(block.inlines, link)}</p>`;
        case 'quote':
          return `<blockquote>${inlineHtml(block.inlines, link)}</blockquote>`;
        case 'list': {
          const tag = block.ordered ? 'ol' : 'ul';
          return `<${tag}>${block.items.map((i) => `<li>${inlineHtml(i, link)}</li>`).join('')}</${tag}>`;
        }
      }
    })
    .join('\n');
}

function inlineText(runs: Inline[], link: (href: string) => string): string {
  // A link whose text is its own address shows once; its slot keeps the click count honest.
  return runs.map((r) => (r.href ? `${r.text} <${link(r.href)}>` : r.text)).join('');
}

/** The body as plain text, lists as bullets; links as slots in the same order as the HTML. */
export function bodyText(blocks: Block[], link: (href: string) => string): string[] {
  const lines: string[] = [];
  for (const b of blocks) {
    if (b.type === 'list') {
      b.items.forEach((item, i) =>
        lines.push(`${b.ordered ? `${i + 1}.` : '•'} ${inlineText(item, link)}`),
      );
      lines.push('');
    } else if (b.type === 'quote') {
      lines.push(`> ${inlineText(b.inlines, link)}`, '');
    } else if (b.type === 'heading') {
      lines.push(inlineText(b.inlines, link), '');
    } else {
      lines.push(inlineText(b.inlines, link), '');
    }
  }
  return lines;
}
