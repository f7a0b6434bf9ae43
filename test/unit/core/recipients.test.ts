import { describe, expect, it } from 'vitest';
import { RecipientsFileError } from '../../../functions/core/errors.js';
import {
  GROUP_SPELLINGS,
  importRecipients,
  recipientId,
  streamRecipients,
} from '../../../functions/core/recipients.js';
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
      {
        line: 3,
        field: 'email',
        message:
          'email "not-an-email" is not an email address; expected one such as minister@mfa.example.org',
      },
      { line: 4, field: 'name', message: 'name is empty' },
      {
        line: 5,
        field: 'country',
        message: 'country "France" must be an ISO 3166 alpha-2 code: FR',
      },
      {
        line: 6,
        field: 'group',
        message: 'group "astronauts" is not one of minister, eu-institution, ngo, other',
      },
      { line: 7, field: 'email', message: 'email ok1@example.org repeats line 2' },
    ]);
  });

  it("counts each of seven bad rows once, in words a person reads, never csv-parse's", async () => {
    const csv = [
      HEADER,
      'good1@example.org,Ana Good,Minister,Ministry,FR,fr,minister,',
      '"ana"@example.org,Stray Quotes,,,,,,',
      'bad-address,Not An Address,,,,,,',
      'c@example.org,,,,,,,',
      'd@example.org,Dee,,,Germany,,,',
      'e@example.org,Eve,,,,,astronauts,',
      'mailto:f@example.org,Fay,,,,,,',
      'g@example.org,Gus,,,,,,,extra',
      'good2@example.org,Bo Good,Minister,Ministry,DE,de,minister,',
    ].join('\n');
    const { recipients, problems, rows } = importRecipients(csv);
    expect(recipients.map((r) => r.email)).toEqual(['good1@example.org', 'good2@example.org']);
    expect(problems.map((p) => p.line)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(rows).toBe(9);
    const text = problems.map((p) => p.message).join('\n');
    expect(text).not.toMatch(/Invalid|trimable|activated|CSV_/);
    expect(problems[0]!.message).toBe(
      'email "\\"ana\\"@example.org" is not an email address; expected one such as minister@mfa.example.org',
    );
    let streamed = 0;
    for await (const o of streamRecipients(
      (async function* () {
        yield csv;
      })(),
    ))
      if ('problem' in o) streamed++;
    expect(streamed).toBe(7);
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

  it('refuses a row whose field count differs from the header, and goes on', () => {
    const csv = `${HEADER}\nok1@example.org,Ana,,,,,,,extra,more\nok2@example.org,Bo,,,,,,\nok3@example.org,Cy\n`;
    const { recipients, problems } = importRecipients(csv);
    expect(recipients.map((r) => r.email)).toEqual(['ok2@example.org']);
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [2, expect.stringMatching(/^has 10 fields but the header has 8: a value with the separator/)],
      [4, expect.stringMatching(/^has 2 fields but the header has 8/)],
    ]);
  });

  it('names the likely ISO code for a country written out, in several languages', () => {
    const row = (country: string) => `${HEADER}\nok@example.org,Ana,,,${country},,,\n`;
    const message = (country: string) => importRecipients(row(country)).problems[0]?.message;
    expect(message('Germany')).toBe('country "Germany" must be an ISO 3166 alpha-2 code: DE');
    expect(message('Deutschland')).toBe(
      'country "Deutschland" must be an ISO 3166 alpha-2 code: DE',
    );
    expect(message('Royaume-Uni')).toMatch(/code: GB$/);
    expect(message('Czech Republic')).toMatch(/code: CZ$/);
    expect(message('Atlantis')).toBe(
      'country "Atlantis" must be an ISO 3166 alpha-2 code such as FR or DE',
    );
    expect(message('de')).toBeUndefined();
  });

  it('accepts every documented group spelling, and suggests the closest for a slip', () => {
    for (const spelling of GROUP_SPELLINGS) {
      const { problems } = importRecipients(`${HEADER}\nok@example.org,Ana,,,,,${spelling},\n`);
      expect(problems, spelling).toEqual([]);
    }
    const group = (g: string) =>
      importRecipients(`${HEADER}\nok@example.org,Ana,,,,,${g},\n`).recipients[0]?.group;
    expect(group('eu_institution')).toBe('eu-institution');
    expect(group('EU institutions')).toBe('eu-institution');
    expect(group('Ministers')).toBe('minister');
    expect(group('NGO member')).toBe('ngo');
    const problem = importRecipients(`${HEADER}\nok@example.org,Ana,,,,,eu-instituton,\n`)
      .problems[0]!;
    expect(problem.message).toBe(
      'group "eu-instituton" is not one of minister, eu-institution, ngo, other (did you mean eu-institution?)',
    );
  });

  it('enforces RFC 5321 lengths: 64 before the @, 254 in all', () => {
    const local = 'a'.repeat(64);
    const long = `${local}@${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(60)}.org`;
    const csv = `${HEADER}\n${local}@example.org,Ana,,,,,,\na${local}@example.org,Bo,,,,,,\n${long},Cy,,,,,,\n`;
    const { recipients, problems } = importRecipients(csv);
    expect(recipients.map((r) => r.name)).toEqual(['Ana']);
    expect(problems.map((p) => p.message)).toEqual([
      'email has 65 characters before the @; at most 64 (RFC 5321)',
      `email is ${long.length} characters long; at most 254 (RFC 5321)`,
    ]);
  });

  it('reports a row that runs into the rest of the file through an open quote as a file error', () => {
    const csv = `${HEADER}\nok1@example.org,Ana,,,,,,\nbad@example.org,"Unclosed,,,,,,\nok2@example.org,Bo,,,,,,\n`;
    expect(() => importRecipients(csv, 'l.csv')).toThrow(
      /l\.csv:3: a quote opened on this line is never closed, so lines 3–4 cannot be read as rows/,
    );
  });

  it('refuses values with line breaks or control characters (header injection)', () => {
    const csv = `${HEADER}\nok@example.org,"Ana\r\nBcc: x@evil.example",,,,,,\n`;
    const { recipients, problems } = importRecipients(csv);
    expect(recipients).toEqual([]);
    expect(problems[0]).toMatchObject({
      field: 'name',
      message: expect.stringMatching(/^name has a line break inside the cell/),
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
