import { describe, expect, it } from 'vitest';
import { RecipientsFileError } from '../../../functions/core/errors.js';
import { importRecipients, recipientId, streamRecipients } from '../../../functions/core/recipients.js';
import { exampleRecipients } from '../../support/fixtures.js';

const HEADER = 'email,name,title,organisation,country,language,group,salutation';

describe('recipient import', () => {
  it('reads the example list: ministers, EU institutions and NGOs', () => {
    const { recipients, problems } = importRecipients(exampleRecipients());
    expect(problems).toEqual([]);
    expect(recipients).toHaveLength(33);
    const groups = new Set(recipients.map((r) => r.group));
    expect(groups).toEqual(new Set(['minister', 'eu-institution', 'ngo']));
    const fr = recipients.find((r) => r.country === 'FR')!;
    expect(fr).toMatchObject({
      name: 'Claire Lefèvre',
      language: 'fr',
      salutation: 'Madame la Ministre',
    });
  });

  it('imports the good rows and lists each bad one with its line and reason', () => {
    const csv = [
      HEADER,
      'ok1@example.org,Ana One,Minister,Ministry,FR,fr,minister,',
      'not-an-email,Bad Email,,,,,,',
      'ok2@example.org,,Minister,Ministry,DE,de,minister,',
      'ok3@example.org,Ana Three,,Org,France,en,ngo,',
      'ok4@example.org,Ana Four,,Org,SE,en,astronauts,',
      '"OK1@Example.org ",Ana Again,,,,,,',
      'ok5@example.org,Ana Five,,Org,SE,en,ngo,',
    ].join('\n');
    const { recipients, problems } = importRecipients(csv, 'list.csv');
    expect(recipients.map((r) => r.email)).toEqual(['ok1@example.org', 'ok5@example.org']);
    expect(problems).toEqual([
      { line: 3, field: 'email', message: 'email is not a valid email address' },
      { line: 4, field: 'name', message: 'name is empty' },
      { line: 5, field: 'country', message: 'country must be at most 2 characters' },
      {
        line: 6,
        field: 'group',
        message: expect.stringContaining('group must be one of minister'),
      },
      { line: 7, field: 'email', message: 'email ok1@example.org repeats line 2' },
    ]);
  });

  it('normalises emails and derives a stable id from them', () => {
    const { recipients } = importRecipients(`${HEADER}\n  Minister@MFA.Example.ORG ,Ana,,,,,,\n`);
    expect(recipients[0]!.email).toBe('minister@mfa.example.org');
    expect(recipients[0]!.id).toBe(recipientId('MINISTER@mfa.example.org'));
  });

  it('reports a row with an unclosed quote and goes on', () => {
    const csv = `${HEADER}\nok1@example.org,Ana,,,,,,\nbad@example.org,"Unclosed,,,,,,,\n`;
    const { recipients, problems } = importRecipients(csv);
    expect(recipients).toHaveLength(1);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/quote/i);
  });

  it('reports a row with too many columns and goes on', () => {
    const csv = `${HEADER}\nok1@example.org,Ana,,,,,,,extra,more\nok2@example.org,Bo,,,,,,\n`;
    const { recipients } = importRecipients(csv);
    expect(recipients.map((r) => r.email)).toEqual(['ok1@example.org', 'ok2@example.org']);
  });

  it('refuses values with line breaks or control characters (header injection)', () => {
    const csv = `${HEADER}\nok@example.org,"Ana\r\nBcc: x@evil.example",,,,,,\n`;
    const { recipients, problems } = importRecipients(csv);
    expect(recipients).toEqual([]);
    expect(problems[0]).toMatchObject({
      field: 'name',
      message: expect.stringMatching(/line breaks/),
    });
  });

  it('refuses a file without an email column, whole', () => {
    expect(() => importRecipients('name,country\nAna,FR\n', 'bad.csv')).toThrow(
      RecipientsFileError,
    );
    expect(() => importRecipients('name,country\nAna,FR\n', 'bad.csv')).toThrow(
      /bad.csv:1: .*no "email" column/,
    );
  });

  it('accepts a byte-order mark, CRLF line ends and headers in any case', () => {
    const csv = `\uFEFFEMAIL,Name,Organization\r\nana@example.org,Ana,Org\r\n`;
    const { recipients } = importRecipients(csv);
    expect(recipients[0]).toMatchObject({
      email: 'ana@example.org',
      organisation: 'Org',
      group: 'other',
    });
  });
});

describe('streamed recipient import', () => {
  async function* chunks(text: string, size: number) {
    for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
  }

  it('yields the same recipients and problems as the in-memory import, whatever the chunking', async () => {
    const csv = [
      HEADER,
      'ok1@example.org,Ana One,Minister,Ministry,FR,fr,minister,',
      'not-an-email,Bad Email,,,,,,',
      'ok2@example.org,"Bo, the Second",,,,,,',
      'bad@example.org,"Unclosed,,,,,,,',
    ].join('\n');
    const expected = importRecipients(csv);
    for (const size of [1, 7, 64, 10_000]) {
      const recipients = [];
      const problems = [];
      for await (const o of streamRecipients(chunks(csv, size))) {
        if ('recipient' in o) recipients.push(o.recipient);
        else problems.push(o.problem);
      }
      expect(recipients).toEqual(expected.recipients);
      expect(problems.sort((a, b) => a.line - b.line)).toEqual(expected.problems);
    }
  });

  it('refuses a stream without an email column', async () => {
    const read = async () => {
      for await (const _ of streamRecipients(chunks('name\nAna\n', 3), 'x.csv')) void _;
    };
    await expect(read()).rejects.toThrow(/x.csv:1: .*no "email" column/);
  });
});
