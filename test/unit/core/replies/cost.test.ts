import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newText } from '../../../../functions/core/replies/extract.js';
import { htmlToText } from '../../../../functions/core/replies/html-text.js';
import { type Budget } from '../../../../functions/core/replies/mime/budget.js';
import { DEFAULT_LIMITS, parseMessage } from '../../../../functions/core/replies/parse.js';

/*
 * Reading a message costs O(its size): each stage counts its operations
 * (lines visited, boundaries compared, characters scanned) on the budget, and
 * a message four times larger, built of the same hostile pieces, must cost at
 * most about four times as much. Wall-clock bounds live in `npm run bench`.
 */

/** A budget that never runs out and only counts. */
const counter = (): Budget => ({ ops: 0, check() {} });

const PIECES = [
  '\n',
  '\r\n',
  '--b\n',
  '--b\n\n',
  '--bb\n',
  '--b--\n',
  '<div>',
  '</div>',
  '<',
  '<p a="',
  '<blockquote>',
  '<script>',
  '&amp;',
  '&#',
  '> ',
  '>\n',
  '=\n',
  '=3D',
  'On Thu, 26 Nov 2026 at 09:00, Forum wrote:\n',
  'From: Forum <f@example.org>\nSent: Thursday\nTo: Minister\nSubject: Belarus\n',
  '-----Original Message-----\n',
  'word ',
  ' ',
];
const piece = fc.constantFrom(...PIECES);
const shape = fc.record({
  pieces: fc.array(piece, { minLength: 1, maxLength: 6 }),
  type: fc.constantFrom(
    'text/plain',
    'text/html',
    'text/plain; format=flowed',
    'multipart/mixed; boundary=b',
    'multipart/alternative; boundary=b',
  ),
  encoding: fc.constantFrom('7bit', 'quoted-printable', 'base64'),
});

function message(s: { pieces: string[]; type: string; encoding: string }, bytes: number): Buffer {
  const unit = s.pieces.join('');
  const body = unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
  return Buffer.from(
    `From: A <a@example.org>\nTo: reply+t@r.example.org\nSubject: Re: x\nContent-Type: ${s.type}\nContent-Transfer-Encoding: ${s.encoding}\n\n${body}`,
  );
}

async function cost(raw: Buffer): Promise<number> {
  const budget = counter();
  const parsed = await parseMessage(raw, { ...DEFAULT_LIMITS, maxParseMs: 60_000 }, budget);
  if (parsed.ok) newText(parsed.message.text, budget);
  return budget.ops + 1;
}

describe('the cost of reading a message grows linearly with its size', () => {
  it('four times the bytes of the same hostile pieces cost at most ~4.5 times the operations', async () => {
    await fc.assert(
      fc.asyncProperty(shape, async (s) => {
        const small = await cost(message(s, 64 * 1024));
        const large = await cost(message(s, 256 * 1024));
        expect(large / small).toBeLessThanOrEqual(4.5);
        // And a generous bound per byte: a few operations for each byte read.
        expect(large).toBeLessThanOrEqual(256 * 1024 * 24);
      }),
      {
        numRuns: 40,
        // A body of 128k one-character lines once overflowed the call stack (a spread of its lines).
        examples: [[{ pieces: ['=\n'], type: 'text/plain', encoding: '7bit' }]],
      },
    );
  });

  it('HTML-to-text and the reply extractor count O(length) on their own', () => {
    for (const unit of ['<div>', '<p a="x" b="y" ', '> > > x\n', 'On a wrote:\n> q\nanswer\n']) {
      const a = counter();
      const b = counter();
      htmlToText(unit.repeat(10_000), a);
      htmlToText(unit.repeat(40_000), b);
      expect(b.ops / a.ops).toBeLessThanOrEqual(4.5);
      const c = counter();
      const d = counter();
      newText(unit.repeat(10_000), c);
      newText(unit.repeat(40_000), d);
      expect(d.ops / c.ops).toBeLessThanOrEqual(4.5);
    }
  });
});
