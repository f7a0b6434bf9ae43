/**
 * A Markdown body (raw HTML disabled) to blocks, keeping the structure a
 * letter shows: headings at their level, paragraphs, lists one level deep,
 * quotes, tables, rules (`---`) and images from https with alt text.
 */
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import type { StatementIssue } from '../errors.js';
import type { Align, Block, Inline, ListBlock } from './blocks.js';

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

type Image = { src: string; alt: string };

/**
 * Parses a Markdown body. `firstLine` is the file line the body starts on, so
 * an issue (an image refused) names the line a person sees in their editor.
 */
export function markdownBlocks(
  source: string,
  firstLine: number,
  issues: StatementIssue[],
): Block[] {
  const tokens = markdown.parse(source, {});
  const blocks: Block[] = [];
  const lists: ListBlock[] = [];
  let inQuote = 0;
  let heading = 0;
  let table: Extract<Block, { type: 'table' }> | undefined;
  let row: Inline[][] | undefined;
  let line = firstLine;
  for (const t of tokens) {
    if (t.map) line = firstLine + t.map[0];
    switch (t.type) {
      case 'bullet_list_open':
      case 'ordered_list_open': {
        const list: ListBlock = {
          type: 'list',
          ordered: t.type === 'ordered_list_open',
          items: [],
        };
        const parent = lists[lists.length - 1];
        if (!parent) blocks.push(list);
        else if (lists.length === 1) {
          // One level of nesting is kept, under the item it belongs to.
          parent.nested ??= [];
          parent.nested[parent.items.length - 1] = list;
        }
        lists.push(lists.length >= 2 ? lists[lists.length - 1]! : list);
        break;
      }
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        break;
      case 'blockquote_open':
        inQuote++;
        break;
      case 'blockquote_close':
        inQuote--;
        break;
      case 'heading_open':
        heading = Number(t.tag.slice(1));
        break;
      case 'heading_close':
        heading = 0;
        break;
      case 'hr':
        blocks.push({ type: 'rule' });
        break;
      case 'table_open':
        table = { type: 'table', align: [], header: [], rows: [] };
        blocks.push(table);
        break;
      case 'table_close':
        table = undefined;
        break;
      case 'tr_open':
        row = [];
        break;
      case 'tr_close':
        if (table && row) {
          if (table.header.length === 0) table.header = row;
          else table.rows.push(row);
        }
        row = undefined;
        break;
      case 'th_open': {
        const style = String(t.attrGet('style') ?? '');
        table?.align.push(/text-align:(left|center|right)/.exec(style)?.[1] as Align);
        break;
      }
      case 'inline': {
        const images: Image[] = [];
        const children = t.children ?? [];
        const inlines = inlineRuns(children, images, line, issues);
        if (row) {
          row.push(inlines);
          break;
        }
        const list = lists[lists.length - 1];
        // A paragraph of images only is the images, each a block of its own.
        const onlyImages = children.every(
          (c) =>
            c.type === 'image' ||
            ((c.type === 'text' || c.type === 'softbreak') && !c.content.trim()),
        );
        if (!list && !heading && !inQuote && images.length && onlyImages) {
          for (const img of images) blocks.push({ type: 'image', ...img });
          break;
        }
        if (inlines.length === 0) break;
        if (list) list.items.push(inlines);
        else if (heading) blocks.push({ type: 'heading', level: heading, inlines });
        else if (inQuote) blocks.push({ type: 'quote', inlines });
        else blocks.push({ type: 'paragraph', inlines });
        break;
      }
      case 'fence':
      case 'code_block':
        blocks.push({ type: 'paragraph', inlines: [{ text: t.content.trimEnd() }] });
        break;
      default:
        break;
    }
  }
  return blocks;
}

/** An image is kept when it comes from https and says what it shows; else the statement is refused. */
function image(c: Token, line: number, issues: StatementIssue[]): Image | undefined {
  const src = String(c.attrGet('src') ?? '');
  const alt = c.content.trim();
  const problems: string[] = [];
  if (!/^https:\/\//i.test(src)) {
    problems.push(
      `comes from ${JSON.stringify(src.slice(0, 80))}; only https:// addresses load in mail clients without a warning (host the image and link it with https://)`,
    );
  }
  if (!alt) {
    problems.push('has no alt text: write what it shows in the brackets, ![like this](https://…)');
  }
  if (problems.length) {
    issues.push({ field: 'body', line, message: `image ${problems.join('; it ')}` });
    return undefined;
  }
  return { src, alt };
}

function inlineRuns(
  children: Token[],
  images: Image[],
  line: number,
  issues: StatementIssue[],
): Inline[] {
  const runs: Inline[] = [];
  let strong = 0;
  let em = 0;
  let href: string | undefined;
  const push = (text: string) => {
    if (!text) return;
    const run: Inline = { text };
    if (strong) run.strong = true;
    if (em) run.em = true;
    if (href) run.href = href;
    const last = runs[runs.length - 1];
    if (last && last.strong === run.strong && last.em === run.em && last.href === run.href)
      last.text += text;
    else runs.push(run);
  };
  for (const c of children) {
    switch (c.type) {
      case 'text':
      case 'code_inline':
        push(c.content);
        break;
      case 'softbreak':
      case 'hardbreak':
        push(' ');
        break;
      case 'strong_open':
        strong++;
        break;
      case 'strong_close':
        strong--;
        break;
      case 'em_open':
        em++;
        break;
      case 'em_close':
        em--;
        break;
      case 'link_open': {
        const url = String(c.attrGet('href') ?? '');
        href = /^(https?:|mailto:)/i.test(url) ? url : undefined;
        break;
      }
      case 'link_close':
        href = undefined;
        break;
      case 'image': {
        const img = image(c, line, issues);
        if (img) images.push(img);
        // In running text (a list item, a cell, a sentence) an image is its alt text.
        if (img) push(`[${img.alt}]`);
        break;
      }
      default:
        if (c.content) push(c.content);
    }
  }
  return runs;
}
