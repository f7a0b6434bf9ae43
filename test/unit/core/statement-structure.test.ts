/**
 * Statements as coalitions write them (test/fixtures/statements): headings,
 * tables, rules, images, numbered demands with sub-items, signatories, and
 * the hostile or sloppy input a shared document picks up on the way.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bodyHtml, bodyText, LinkCollector } from '../../../functions/core/letter-blocks.js';
import {
  MAX_STATEMENT_BYTES,
  parseStatement,
  readStatementSource,
  type Block,
} from '../../../functions/core/statement.js';
import { refused } from './statement-support.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/statements/${name}`, import.meta.url), 'utf8');

const plain = {
  deadline: '2027-03-17T09:00:00+01:00',
  from: { name: 'Civic Space Coalition', address: 'campaigns@coalition.example.org' },
  replyToDomain: 'replies.coalition.example.org',
  language: 'en',
};

const types = (blocks: Block[]) => blocks.map((b) => b.type);

function render(blocks: Block[]) {
  const links = new LinkCollector((n) => `{{${n}}}`);
  const html = bodyHtml(blocks, links);
  const text = bodyText(blocks, links.textPass()).join('\n');
  return { html, text, links: links.links };
}

describe('a structured Markdown statement', () => {
  const { statement: s, warnings } = readStatementSource(fixture('structured.md'), 'structured.md');

  it('reads snake_case keys, staffAddress and tracking from the front matter', () => {
    expect(warnings).toEqual([]);
    expect(s).toMatchObject({
      replyToDomain: 'replies.coalition.example.org',
      postalAddress: 'Civic Space Coalition, Rue de la Loi 42, 1040 Brussels',
      staffAddress: 'advocacy@coalition.example.org',
      tracking: { opens: false, groups: { ngo: { opens: true } } },
    });
  });

  it('keeps the heading hierarchy and never shows the title twice', () => {
    expect(types(s.body)).toEqual([
      'paragraph',
      'heading',
      'paragraph',
      'table',
      'paragraph',
      'heading',
      'list',
      'rule',
      'heading',
      'image',
      'quote',
      'paragraph',
    ]);
    const headings = s.body.flatMap((b) =>
      b.type === 'heading' ? [[b.level, b.inlines[0]!.text]] : [],
    );
    expect(headings).toEqual([
      [2, 'What we found'],
      [3, 'Belarus'],
      [2, 'Our recommendations'],
    ]);
    const { html } = render(s.body);
    expect(html).not.toContain('Civic space in the Eastern Partnership is shrinking');
    expect(html).toContain('<h3 style="font-size:18px;');
    expect(html).toContain('<h4 style="font-size:16px;');
  });

  it('renders the table as an email-safe table, and as aligned rows in the text part', () => {
    const { html, text } = render(s.body);
    expect(html).toMatch(
      /<table role="table" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;/,
    );
    expect(html).toContain(
      '<th style="padding:6px 10px;border:1px solid #d0d7de;vertical-align:top;text-align:right;background:#f6f8fa;">Journalists detained</th>',
    );
    expect(html).toContain(
      '<td style="padding:6px 10px;border:1px solid #d0d7de;vertical-align:top;text-align:left;">Azerbaijan</td>',
    );
    expect(text).toContain(
      [
        'Country    | Journalists detained | NGOs closed',
        '-----------|----------------------|------------',
        'Belarus    |                   38 |         212',
        'Azerbaijan |                   25 |          41',
        'Georgia    |                    4 |           0',
      ].join('\n'),
    );
  });

  it('nests sub-items under their item, draws the rule, and keeps the image with its alt text', () => {
    const list = s.body.find((b) => b.type === 'list')!;
    expect(list).toMatchObject({
      ordered: true,
      items: [
        [{ text: 'Release all political prisoners:' }],
        [{ text: 'End the use of force against peaceful protesters.' }],
      ],
      nested: [
        {
          ordered: false,
          items: [
            [{ text: 'journalists held since 2020;' }],
            [{ text: 'members of the Coordination Council.' }],
          ],
        },
      ],
    });
    const { html, text } = render(s.body);
    expect(html).toContain(
      '<li>Release all political prisoners:<ul><li>journalists held since 2020;</li>',
    );
    expect(html).toContain('<hr style="border:0;border-top:1px solid #d0d7de;');
    expect(html).toContain(
      '<img src="https://coalition.example.org/img/map-2026.png" alt="Map of the Eastern Partnership countries with the number of closed NGOs" style="display:block;max-width:100%;height:auto;border:0;" />',
    );
    expect(text).toContain(
      '1. Release all political prisoners:\n   • journalists held since 2020;',
    );
    expect(text).toContain(
      '[Map of the Eastern Partnership countries with the number of closed NGOs]',
    );
    expect(text).toContain('What we found\n-------------');
  });

  it('keeps the links of the text part in step with the HTML, tables included', () => {
    const { html, text, links } = render(s.body);
    expect(links).toEqual([
      'https://coalition.example.org/report-2026',
      'mailto:advocacy@coalition.example.org',
    ]);
    expect(html.indexOf('{{link0}}')).toBeLessThan(html.indexOf('{{link1}}'));
    expect(text.indexOf('{{link0}}')).toBeLessThan(text.indexOf('{{link1}}'));
  });

  it('takes the first # as the title when the front matter has none', () => {
    const source = fixture('structured.md').replace(/^title:.*\n/m, '');
    const t = parseStatement(source);
    expect(t.title).toBe('Civic space in the Eastern Partnership is shrinking');
    expect(t.body[0]!.type).toBe('paragraph');
  });
});

describe('images', () => {
  it('refuses an image over http and one without alt text, naming the lines', () => {
    const err = refused(() => parseStatement(fixture('image-refused.md'), 'images.md'));
    expect(err.issues).toEqual([
      {
        field: 'body',
        line: 13,
        message: expect.stringMatching(
          /^image comes from "http:\/\/coalition.example.org\/img\/map.png"; only https:\/\//,
        ),
      },
      { field: 'body', line: 15, message: expect.stringMatching(/^image has no alt text/) },
    ]);
  });
});

describe('front-matter keys', () => {
  it('accepts other spellings of known keys and warns about unknown ones with the closest known key', () => {
    const { statement, warnings } = readStatementSource(fixture('unknown-keys.md'), 'keys.md');
    expect(statement.subject).toBe('A statement with keys spelled many ways');
    expect(statement.replyToDomain).toBe('replies.coalition.example.org');
    expect(warnings).toEqual([
      {
        field: 'replyto_domian',
        line: 9,
        message:
          'is not a front-matter key demarche knows, and is ignored (did you mean replyToDomain?)',
      },
      {
        field: 'signatores',
        line: 10,
        message:
          'is not a front-matter key demarche knows, and is ignored (did you mean signatories?)',
      },
      {
        field: 'colour',
        line: 11,
        message: 'is not a front-matter key demarche knows, and is ignored',
      },
    ]);
  });

  it('validates staffAddress and tracking', () => {
    const source = fixture('structured.md')
      .replace('staff_address: advocacy@coalition.example.org', 'staff_address: advocacy team')
      .replace(
        '    ngo: { opens: true }',
        '    ngos: { opens: true }\n    minister: { pixel: true }',
      );
    const err = refused(() => parseStatement(source, 's.md'));
    const issues = [...err.issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    expect(issues.map((i) => [i.field, i.line])).toEqual([
      ['staffAddress', 10],
      ['tracking.groups.ngos', 14],
      ['tracking.groups.minister', 15],
    ]);
    expect(issues[0]!.message).toBe('must be an email address such as staff@coalition.example.org');
    expect(issues[2]!.message).toMatch(/pixel/);
    expect(issues[1]!.message).toBe(
      '"ngos" is not a group (minister, eu-institution, ngo, other); did you mean ngo?',
    );
  });
});

describe('resource limits', () => {
  it('refuses a YAML alias bomb as an invalid statement with the line, not a crash', () => {
    const err = refused(() => parseStatement(fixture('alias-bomb.md'), 'bomb.md'));
    expect(err.code).toBe('STATEMENT_INVALID');
    expect(err.issues).toEqual([
      { field: 'front matter', line: 4, message: expect.stringContaining('aliases') },
    ]);
  });

  it('refuses a statement larger than the limit before parsing it', () => {
    const big = `Title\n\n${'A paragraph of the statement. '.repeat(Math.ceil(MAX_STATEMENT_BYTES / 30) + 10)}\n`;
    const err = refused(() => parseStatement(big, 'big.txt', plain));
    expect(err.issues).toEqual([
      { field: 'file', message: expect.stringMatching(/at most 512 KB$/) },
    ]);
  });
});

describe('a plain-text statement as coalitions circulate it', () => {
  const { statement: s, warnings } = readStatementSource(
    fixture('signatories-and-subitems.txt'),
    'joint.txt',
    plain,
  );

  it('flattens a bare CR in the title with a warning, never turning it into body text', () => {
    expect(s.title).toBe(
      'Joint statement on the detention of human rights defenders in the South Caucasus',
    );
    expect(warnings[0]).toEqual({
      field: 'title',
      line: 1,
      message: 'a control character (U+000D CR) replaced by a space: the title is one line',
    });
  });

  it('removes other control characters, naming their lines', () => {
    expect(warnings.slice(1)).toEqual([
      {
        field: 'text',
        line: 12,
        message: 'a control character (U+000C FF (page break)) replaced by a line break',
      },
      { field: 'text', line: 13, message: 'a terminal escape sequence (ESC[0m) removed' },
    ]);
    expect(JSON.stringify(s.body)).not.toMatch(/[\u0000-\u0008\u000b-\u001f]|\[0m/);
    expect(JSON.stringify(s.body)).toContain('before the Council.');
    // A lone escape (no sequence after it) is replaced like any control character.
    const lone = readStatementSource('Title\n\nText\u001b here.\n', 'x.txt', plain);
    expect(lone.warnings).toEqual([
      { field: 'text', line: 3, message: 'a control character (U+001B ESC) replaced by a space' },
    ]);
  });

  it('nests a) b) under their numbered item, and keeps the signatories one per line', () => {
    expect(types(s.body)).toEqual([
      'paragraph',
      'list',
      'paragraph',
      'paragraph',
      'list',
      'paragraph',
    ]);
    const demands = s.body[1]!;
    expect(demands).toMatchObject({
      type: 'list',
      ordered: true,
      items: [
        [{ text: 'Release all human rights defenders detained for their work, in particular:' }],
        [{ text: 'End the prosecution of NGOs under the "foreign agents" laws.' }],
        [{ text: 'Allow independent monitors to visit places of detention.' }],
      ],
      nested: [
        {
          ordered: true,
          marker: 'alpha',
          items: [
            [
              {
                text: 'the staff of the Baku office of the Institute for Peace, detained since March 2026;',
              },
            ],
            [{ text: 'the journalists of Abzas Media.' }],
          ],
        },
      ],
    });
    expect(s.body[4]).toEqual({
      type: 'list',
      ordered: false,
      items: [
        [{ text: 'Civic Space Coalition' }],
        [{ text: 'Human Rights House Foundation' }],
        [{ text: "Helsinki Citizens' Assembly Vanadzor" }],
        [{ text: "Georgian Young Lawyers' Association" }],
      ],
    });
    expect(s.body[5]).toEqual({ type: 'paragraph', inlines: [{ text: 'Brussels, 3 March 2027' }] });
    const { html, text } = render(s.body);
    expect(html).toContain('in particular:<ol type="a"><li>the staff of the Baku office');
    expect(text).toContain(
      '1. Release all human rights defenders detained for their work, in particular:\n   a) the staff',
    );
  });
});

describe('errors that blame the right place', () => {
  it('says a bad deadline given as an option came from the option, not the statement', () => {
    const err = refused(() =>
      parseStatement(fixture('structured.md'), 'structured.md', { deadline: 'next friday' }),
    );
    expect(err.issues).toEqual([
      { field: 'deadline', from: '--deadline', message: expect.stringContaining('ISO 8601') },
    ]);
    expect(err.message).toBe(
      'The values given with statement structured.md are invalid:\n  - deadline (given as --deadline, not in structured.md): must be an ISO 8601 date-time with a zone, e.g. 2027-03-17T09:00:00+01:00',
    );
    const api = refused(() =>
      parseStatement(
        fixture('structured.md'),
        'structured.md',
        { deadline: 'x' },
        { overrideName: (f) => `overrides.${f}` },
      ),
    );
    expect(api.issues[0]!.from).toBe('overrides.deadline');
  });

  it('says what is wrong with --from, and nothing about signatories', () => {
    const { from: _f, ...rest } = plain;
    const err = refused(() =>
      parseStatement(fixture('signatories-and-subitems.txt'), 'joint.txt', {
        ...rest,
        from: 'not an address' as never,
      }),
    );
    expect(err.issues).toEqual([
      {
        field: 'from',
        from: '--from',
        message:
          'must be "Name <address@example.org>" or {name, address}; found "not an address", which has no email address in <…>',
      },
    ]);
  });
});
