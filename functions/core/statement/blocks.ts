/**
 * The body of a statement as a small block structure rather than HTML: the
 * letter renders and escapes it (core/letter-blocks.ts), so no statement
 * text can ever carry markup into a letter.
 */

/** A run of inline text; `href` is only ever an http(s) or mailto URL. */
export interface Inline {
  text: string;
  strong?: boolean;
  em?: boolean;
  href?: string;
}

export type ListBlock = {
  type: 'list';
  ordered: boolean;
  items: Inline[][];
  /** Sub-items of item i (`a)`, `b)` under `1.`, or a nested Markdown list), one level deep. */
  nested?: (ListBlock | null)[];
  /** How an ordered list counts: 1. 2. 3. (default) or a) b) c). */
  marker?: 'alpha';
};

/** Cell alignment of a table column, as the Markdown delimiter row says. */
export type Align = 'left' | 'center' | 'right' | undefined;

export type Block =
  /** Level 1 is the Markdown `#`; the letter's own title sits above every heading. */
  | { type: 'heading'; level: number; inlines: Inline[] }
  | { type: 'paragraph'; inlines: Inline[] }
  | ListBlock
  | { type: 'quote'; inlines: Inline[] }
  | { type: 'rule' }
  | { type: 'table'; align: Align[]; header: Inline[][]; rows: Inline[][][] }
  /** An image from an https address, with the alt text a reader without images sees. */
  | { type: 'image'; src: string; alt: string };

/** The plain text of some runs. */
export function plainText(runs: Inline[]): string {
  return runs.map((r) => r.text).join('');
}
