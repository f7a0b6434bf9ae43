import { describe, expect, it } from 'vitest';
import { inputWarnings, InputCheck } from '../../../functions/core/input-warnings.js';
import { importRecipients } from '../../../functions/core/recipients.js';
import { parseStatement } from '../../../functions/core/statement.js';
import { exampleStatement, sharedSample } from '../../support/fixtures.js';

const plain = {
  deadline: '2027-03-17T09:00:00+01:00',
  from: { name: 'demarche', address: 'campaigns@demarche.example.org' },
  replyToDomain: 'replies.demarche.example.org',
  language: 'en',
};

describe('defaults a recipient would notice', () => {
  it('warns about a letter signed by the sender, a default sender and a placeholder deadline', () => {
    const statement = parseStatement(sharedSample(), 'belarus.txt', plain);
    const warnings = inputWarnings(statement, [], {
      defaultSender: true,
      placeholderDeadline: true,
    });
    expect(warnings.map((w) => w.code)).toEqual([
      'signatory-default',
      'sender-default',
      'placeholder-deadline',
    ]);
    expect(warnings[0]!.message).toBe(
      'The letter ends "Signed by: demarche" (the sender\'s name), because no signatory was given: pass --signatory "Name, Organisation" or list signatories in the front matter.',
    );
    expect(warnings[2]!.message).toMatch(
      /^The deadline shown, Wednesday, 17 March 2027, 09:00 \(UTC\+01:00\), is a placeholder/,
    );
    // A statement with its own signatories and a real sender says nothing.
    expect(inputWarnings(parseStatement(exampleStatement(), 'statement.md'), [])).toEqual([]);
    // Nor one its sender signs on purpose.
    const own = parseStatement(sharedSample(), 'belarus.txt', {
      ...plain,
      from: { name: 'Civic Space Coalition', address: 'c@coalition.example.org' },
    });
    expect(inputWarnings(own, [])).toEqual([]);
    expect(inputWarnings(own, [], { signatoriesDefaulted: true })[0]!.code).toBe(
      'signatory-default',
    );
  });

  it('counts rows that ask for a language without a translation, and groups that contradict the title', () => {
    const statement = parseStatement(exampleStatement(), 'statement.md');
    const { recipients } = importRecipients(
      [
        'email,name,title,organisation,language,group',
        'a@mfa.example.fr,Élise Lefèvre,Ministre,Ministère de l’Europe,fr,minister',
        'b@mfa.example.pl,Jan Nowak,Minister,Ministerstwo Spraw Zagranicznych,pl,minister',
        'c@mfa.example.pl,Anna Kowalska,Deputy Minister,Ministerstwo Spraw Zagranicznych,pl,minister',
        'd@mfa.example.se,Tobias Berg,,Ministry for Foreign Affairs,en,ngo',
        'e@ngo.example.org,Ales,President,Viasna,be,ngo',
        'f@eeas.example.eu,Kaja,,European External Action Service,en,other',
      ].join('\n'),
    );
    const check = new InputCheck(statement);
    for (const r of recipients) check.add(r);
    const warnings = check.warnings();
    expect(warnings.map((w) => [w.code, w.count, w.example])).toEqual([
      ['language-missing', 1, 'e@ngo.example.org'],
      // The translations beside a file are read by the caller; this statement has none.
      ['language-missing', 1, 'a@mfa.example.fr'],
      ['language-missing', 2, 'b@mfa.example.pl'],
      ['group-contradicts-title', 1, 'd@mfa.example.se'],
      ['group-contradicts-title', 1, 'f@eeas.example.eu'],
    ]);
    expect(warnings[2]!.message).toBe(
      '2 rows ask for pl, which the statement has no translation for: they get the en letter (add a pl translation beside the statement; first: b@mfa.example.pl).',
    );
    expect(warnings[3]!.message).toBe(
      '1 row has group ngo but looks like a ministry or government office (first: d@mfa.example.se, "Ministry for Foreign Affairs"), and would be greeted "Dear colleagues at Ministry for Foreign Affairs,": did you mean group minister?',
    );
  });
});
