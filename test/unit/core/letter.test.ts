import { describe, expect, it } from 'vitest';
import { compileLetter, mergeLetter } from '../../../functions/core/letter.js';
import { mergeValues } from '../../../functions/core/personalise.js';
import { importRecipients } from '../../../functions/core/recipients.js';
import { parseStatement } from '../../../functions/core/statement.js';
import {
  exampleRecipients,
  exampleStatement,
  letterMjml,
  sharedSample,
} from '../../support/fixtures.js';

const statement = parseStatement(exampleStatement(), 'statement.md');

describe('compiled letters', () => {
  it('compiles once to HTML and text with merge slots, and merges per recipient', async () => {
    const template = await compileLetter(statement, letterMjml());
    const [claire] = importRecipients(exampleRecipients()).recipients.filter(
      (r) => r.country === 'FR',
    );
    const letter = mergeLetter(template, mergeValues(claire!, 'en'));
    expect(letter.subject).toBe(statement.subject);
    expect(letter.html).toContain('Madame la Ministre,');
    expect(letter.html).toContain('Claire Lef');
    expect(letter.html).toContain('Protect civic space in the Eastern Partnership');
    expect(letter.html).toContain('<li>condemn the use of &quot;foreign agent&quot; laws');
    expect(letter.html).toContain('href="https://civic-space.example.org/recommendations"');
    expect(letter.html).not.toContain(template.marker);
    expect(letter.text).toContain('Madame la Ministre,');
    expect(letter.text).toContain('• condemn the use of "foreign agent" laws');
    expect(letter.text).toContain('Ana Popescu, Civic Space Coalition, Steering Committee');
  });

  it('names an organisation once when the row gives it as the recipient too', async () => {
    const template = await compileLetter(statement, letterMjml());
    const values = {
      salutation: 'Dear colleagues,',
      name: 'Civic Space Watch',
      title: '',
      organisation: 'civic space watch',
    };
    const letter = mergeLetter(template, values);
    expect(letter.text.match(/civic space watch/gi)).toHaveLength(1);
    const distinct = mergeLetter(template, { ...values, organisation: 'Civic Network' });
    expect(distinct.text).toMatch(/Civic Space Watch\nCivic Network/);
  });

  it('escapes recipient values: no tag, attribute or line break gets through', async () => {
    const template = await compileLetter(statement, letterMjml());
    const letter = mergeLetter(template, {
      salutation: 'Dear <script>alert(1)</script>',
      name: '"><img src=x onerror=alert(1)>',
      title: "x' onmouseover='y",
      organisation: 'Org\r\nBcc: victim@example.org',
    });
    expect(letter.html).not.toContain('<script>alert');
    expect(letter.html).not.toContain('<img src=x');
    expect(letter.html).toContain('&lt;script&gt;');
    expect(letter.html).toContain('&#39; onmouseover=&#39;');
    expect(letter.text).toContain('Org Bcc: victim@example.org');
    expect(letter.text).not.toContain('\r');
  });

  it('renders statement text as text: HTML in a statement never becomes markup', async () => {
    const hostile = parseStatement(
      exampleStatement() + '\n<script>alert(1)</script> <mj-raw><b>x</b></mj-raw> {{body}}\n',
    );
    const template = await compileLetter(hostile, letterMjml());
    const { html } = mergeLetter(template, {
      salutation: 'Dear Ana,',
      name: 'Ana',
      title: '',
      organisation: '',
    });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;mj-raw&gt;');
    expect(html).toContain('{{body}}');
  });

  it('cannot be tricked by statement text that looks like a merge slot', async () => {
    const t1 = await compileLetter(statement, letterMjml());
    const forged = parseStatement(exampleStatement() + `\n%%${t1.marker}:name%%\n`);
    const t2 = await compileLetter(forged, letterMjml());
    expect(t2.marker).not.toBe(t1.marker);
    const { html } = mergeLetter(t2, {
      salutation: 'S',
      name: 'REPLACED',
      title: '',
      organisation: '',
    });
    expect(html).toContain(`%%${t1.marker}:name%%`);
  });

  it('compiles the shared plain-text sample with its bullets as a list', async () => {
    const s = parseStatement(sharedSample(), 'belarus.txt', {
      deadline: '2027-01-10T09:00:00+01:00',
      from: { name: 'Forum', address: 'forum@example.org' },
      replyToDomain: 'replies.example.org',
      language: 'en',
    });
    const template = await compileLetter(s, letterMjml());
    const { html } = mergeLetter(template, {
      salutation: 'Dear Minister,',
      name: 'A',
      title: '',
      organisation: '',
    });
    expect(html.match(/<li>/g)).toHaveLength(3);
    expect(html).toContain('Belarusian people’s will');
  });

  it('names the people a salutation addresses by group and title, a row salutation first', () => {
    const base = { id: 'r1', email: 'a@example.org', name: 'Erik Lindqvist' };
    expect(mergeValues({ ...base, group: 'minister', title: 'Minister' }, 'en').salutation).toBe(
      'Dear Minister Lindqvist,',
    );
    expect(
      mergeValues({ ...base, group: 'ngo', organisation: 'Press Freedom Watch' }, 'en').salutation,
    ).toBe('Dear colleagues at Press Freedom Watch,');
    expect(
      mergeValues({ ...base, group: 'minister', salutation: 'Dear Erik' }, 'en').salutation,
    ).toBe('Dear Erik,');
  });
});
