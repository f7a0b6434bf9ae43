/**
 * A statement's body as plain paragraphs, to read the main text and a
 * translation side by side in the workspace (the letter itself is rendered
 * by the server). Pure; text only.
 */
import type { Block, Inline } from '../../../../functions/core/statement.js';

const text = (runs: Inline[]) => runs.map((r) => r.text).join('');

export function blockLines(blocks: Block[]): string[] {
  return blocks.flatMap((b): string[] => {
    switch (b.type) {
      case 'heading':
      case 'paragraph':
      case 'quote':
        return [text(b.inlines)];
      case 'list':
        return b.items.map((item, i) => `${b.ordered ? `${i + 1}.` : '•'} ${text(item)}`);
      case 'table':
        return [b.header, ...b.rows].map((row) => row.map(text).join(' | '));
      case 'image':
        return [`[image: ${b.alt}]`];
      case 'rule':
        return ['—'];
    }
  });
}
