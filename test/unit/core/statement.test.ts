import { describe, expect, it } from 'vitest';
import { parseStatement } from '../../../functions/core/statement.js';
import { exampleStatement, sharedSample } from '../../support/fixtures.js';
import { refused } from './statement-support.js';

const plainOverrides = {
  deadline: '2027-01-10T09:00:00+01:00',
  from: { name: 'Civil Society Forum', address: 'forum@example.org' },
  replyToDomain: 'replies.example.org',
  language: 'en',
};

const invalid = refused;

describe('Markdown statements', () => {
  it('reads the front matter and the body of the example', () => {
    const s = parseStatement(exampleStatement(), 'statement.md');
    expect(s.title).toBe('Protect civic space in the Eastern Partnership');
    expect(s.from).toEqual({
      name: 'Civic Space Coalition',
      address: 'campaigns@demarche.example.org',
    });
    expect(s.deadline).toBe('2027-03-15T09:00:00+01:00');
    expect(s.signatories).toHaveLength(3);
    expect(s.signatories[1]).toEqual({
      name: 'Jonas Müller',
      organisation: 'Freedom of Assembly Network',
    });
    const list = s.body.find((b) => b.type === 'list');
    expect(list?.type === 'list' && list.items).toHaveLength(4);
    const link = s.body
      .flatMap((b) => (b.type === 'paragraph' ? b.inlines : []))
      .find((i) => i.href);
    expect(link?.href).toBe('https://civic-space.example.org/recommendations');
  });

  it('refuses a statement without a deadline, naming the field', () => {
    const source = exampleStatement().replace(/^deadline:.*\n/m, '');
    const err = invalid(() => parseStatement(source, 'statement.md'));
    expect(err.issues).toContainEqual(
      expect.objectContaining({ field: 'deadline', message: 'is required' }),
    );
    expect(err.message).toMatch(/deadline.*is required/);
  });

  it('names the line of a bad field', () => {
    const source = exampleStatement().replace(/^deadline:.*$/m, 'deadline: next tuesday');
    const err = invalid(() => parseStatement(source, 'statement.md'));
    expect(err.issues).toEqual([expect.objectContaining({ field: 'deadline', line: 9 })]);
    expect(err.message).toContain('deadline (line 9)');
  });

  it('refuses a deadline without a zone', () => {
    const source = exampleStatement().replace(/^deadline:.*$/m, 'deadline: 2027-03-15T09:00:00');
    expect(invalid(() => parseStatement(source)).issues[0]?.message).toMatch(/zone/);
  });

  it('reports every problem at once, with lines', () => {
    const source = exampleStatement()
      .replace(/^replyToDomain:.*$/m, 'replyToDomain: not a domain')
      .replace(/^ {2}address:.*$/m, '  address: nobody');
    const err = invalid(() => parseStatement(source));
    expect(err.issues.map((i) => i.field).sort()).toEqual(['from.address', 'replyToDomain']);
    expect(err.issues.every((i) => typeof i.line === 'number' && i.line > 1)).toBe(true);
  });

  it('reports broken YAML with its line', () => {
    const err = invalid(() => parseStatement('---\ntitle: [unclosed\nsubject: x\n---\nbody\n'));
    expect(err.issues[0]).toMatchObject({ field: 'front matter' });
  });

  it('keeps raw HTML in the body as text, never as markup', () => {
    const source = exampleStatement() + '\n<script>alert(1)</script> and <b onclick="x">bold</b>\n';
    const s = parseStatement(source);
    const last = s.body[s.body.length - 1]!;
    expect(last.type).toBe('paragraph');
    expect(JSON.stringify(last)).toContain('<script>alert(1)</script>');
  });

  it('drops javascript: links but keeps their text', () => {
    const s = parseStatement(exampleStatement() + '\n[click](javascript:alert(1))\n');
    const last = s.body[s.body.length - 1]!;
    expect(last.type === 'paragraph' && last.inlines.some((i) => i.href)).toBe(false);
  });

  it('refuses a subject with a line break', () => {
    const source = exampleStatement().replace(
      /^subject:.*$/m,
      'subject: "Hello\\r\\nBcc: victim@example.org"',
    );
    expect(invalid(() => parseStatement(source)).issues[0]).toMatchObject({ field: 'subject' });
  });
});

describe('plain-text statements', () => {
  it('reads the shared sample: title from the first line, bullets as one list, paragraphs kept', () => {
    const s = parseStatement(sharedSample(), 'belarus.txt', plainOverrides);
    expect(s.title).toBe(
      'Statement on the continued violation of the fundamental rights of the Belarusian people',
    );
    expect(s.subject).toBe(s.title);
    const lists = s.body.filter((b) => b.type === 'list');
    expect(lists).toHaveLength(1);
    expect(lists[0]!.type === 'list' && lists[0]!.items).toHaveLength(3);
    expect(lists[0]!.type === 'list' && lists[0]!.items[0]![0]!.text).toMatch(
      /^guarantee the right/,
    );
    const paragraphs = s.body.filter((b) => b.type === 'paragraph');
    expect(paragraphs.length).toBeGreaterThanOrEqual(8);
    expect(JSON.stringify(s.body)).not.toContain('•');
    expect(s.signatories).toEqual([{ name: 'Civil Society Forum' }]);
  });

  it('refuses plain text without a deadline and says how to give one', () => {
    const { deadline: _d, ...rest } = plainOverrides;
    const err = invalid(() => parseStatement(sharedSample(), 'belarus.txt', rest));
    expect(err.issues).toEqual([expect.objectContaining({ field: 'deadline' })]);
    expect(err.message).toContain('--deadline');
  });

  it('takes the subject from the options', () => {
    const s = parseStatement(sharedSample(), 'belarus.txt', {
      ...plainOverrides,
      subject: 'Belarus: joint statement',
    });
    expect(s.subject).toBe('Belarus: joint statement');
  });

  it('refuses an empty file', () => {
    expect(
      invalid(() => parseStatement('\n\n', 'empty.txt', plainOverrides)).issues[0],
    ).toMatchObject({ field: 'body' });
  });
});
