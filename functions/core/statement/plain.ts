/**
 * A plain-text body, in the shape NGOs circulate statements: blank lines
 * between paragraphs, "•" (or -, *, 1.) bullets, numbered demands with
 * indented a) b) sub-items, and blocks of short lines (a list of signatories
 * after "Signatories:", an address) that are one item per line, not a
 * paragraph to be re-flowed.
 */
import type { Block, ListBlock } from './blocks.js';

const BULLET = /^\s*(?:[•·▪‣◦*-]|\d{1,2}[.)])\s+/;
const SUB_ITEM = /^\s*(?:[a-z][.)]|\([a-z]\)|[ivx]{1,4}[.)])\s+/;
/** A line that introduces a list of lines: "Signatories:", "Signed by:", "Co-signed by the following organisations:". */
const LIST_INTRO = /^[^.!?]{2,80}:\s*$/;
/** Lines shorter than this, two or more in a run, are kept one per line. */
const SHORT_LINE = 60;

const clean = (s: string) => s.trim().replace(/\s{2,}/g, ' ');

/** Plain text: blank lines separate paragraphs; bullet lines (even blank-separated) form one list. */
export function plainBlocks(lines: string[]): Block[] {
  const paragraphs: string[][] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length) paragraphs.push(current);
    current = [];
  };
  for (const line of lines) {
    if (line.trim() === '') flush();
    else if ((BULLET.test(line) || SUB_ITEM.test(line)) && current.length) {
      flush();
      current = [line];
    } else current.push(line);
  }
  flush();

  const blocks: Block[] = [];
  /** The paragraph before was an intro alone ("Signatories:"), so what follows is its list. */
  let introAlone = false;
  for (const para of paragraphs) {
    const first = para[0]!;
    const last = blocks[blocks.length - 1];
    const afterIntro = introAlone;
    introAlone = false;
    if (SUB_ITEM.test(first) && last?.type === 'list' && last.items.length) {
      subItem(last, clean(para.join(' ')).replace(SUB_ITEM, ''));
      continue;
    }
    if (BULLET.test(first)) {
      const ordered = /^\s*\d/.test(first);
      const item = [{ text: clean(para.join(' ')).replace(BULLET, '') }];
      if (last?.type === 'list' && last.ordered === ordered) last.items.push(item);
      else blocks.push({ type: 'list', ordered, items: [item] });
      continue;
    }
    // "Signatories:" alone on its line, or heading a block of lines.
    const intro = LIST_INTRO.test(first);
    const rest = intro ? para.slice(1) : para;
    if (intro) blocks.push({ type: 'paragraph', inlines: [{ text: clean(first) }] });
    const short = rest.every((l) => l.trim().length < SHORT_LINE);
    if (rest.length && short && (rest.length > 1 || intro || afterIntro)) {
      blocks.push({ type: 'list', ordered: false, items: rest.map((l) => [{ text: clean(l) }]) });
      continue;
    }
    introAlone = intro && rest.length === 0;
    if (rest.length) blocks.push({ type: 'paragraph', inlines: [{ text: clean(rest.join(' ')) }] });
  }
  return blocks;
}

function subItem(list: ListBlock, text: string): void {
  const i = list.items.length - 1;
  list.nested ??= [];
  const nested = list.nested[i] ?? { type: 'list', ordered: true, marker: 'alpha', items: [] };
  nested.items.push([{ text }]);
  list.nested[i] = nested;
}
