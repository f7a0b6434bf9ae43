import { describe, expect, it } from 'vitest';
import { readStatement } from '../../../functions/cli/statement-file.js';
import type { Campaign, CampaignRecipient } from '../../../functions/core/campaign.js';
import { languageFor } from '../../../functions/core/compose.js';
import { StatementInvalidError } from '../../../functions/core/errors.js';
import { dirFor, fixedStringsFallBack, wordsFor } from '../../../functions/core/i18n.js';
import { salutationFor } from '../../../functions/core/personalise.js';
import type { Recipient } from '../../../functions/core/recipients.js';
import {
  parseStatement,
  parseTranslation,
  statementIn,
  statementLanguages,
} from '../../../functions/core/statement.js';
import { exampleStatement, repoPath } from '../../support/fixtures.js';

const person = (r: Partial<Recipient>): Recipient => ({
  id: 'r1',
  email: 'a@example.org',
  name: 'Kaja Kallas',
  group: 'eu-institution',
  ...r,
});

describe('salutations by group, title and language', () => {
  it('addresses officials by their title and members as colleagues, in English', () => {
    expect(salutationFor(person({ title: 'High Representative' }), 'en')).toBe(
      'Dear High Representative Kallas,',
    );
    expect(salutationFor(person({ group: 'minister', title: 'Minister' }), 'en')).toBe(
      'Dear Minister Kallas,',
    );
    expect(salutationFor(person({ group: 'ngo', organisation: 'Viasna' }), 'en')).toBe(
      'Dear colleagues at Viasna,',
    );
    expect(salutationFor(person({ group: 'other' }), 'en')).toBe('Dear Kaja Kallas,');
  });

  it('follows the recipient language, and a row salutation wins in every language', () => {
    expect(salutationFor(person({ group: 'minister', title: 'Ministre' }), 'fr')).toBe(
      'Madame la Ministre, Monsieur le Ministre,',
    );
    expect(salutationFor(person({ group: 'ngo', organisation: 'Amnesty' }), 'de')).toBe(
      'Liebe Kolleginnen und Kollegen von Amnesty,',
    );
    expect(salutationFor(person({ name: 'Святлана Ціханоўская', title: 'лидер' }), 'ru')).toBe(
      'Уважаемый(ая) лидер Святлана Ціханоўская!',
    );
    expect(salutationFor(person({ salutation: 'Chère Kaja' }), 'fr')).toBe('Chère Kaja,');
    expect(salutationFor(person({ salutation: 'Hallo Kaja!' }), 'de')).toBe('Hallo Kaja!');
  });

  it('falls back to English words but keeps the direction of the language', () => {
    expect(wordsFor('nl').signedBy).toBe('Signed by');
    expect(fixedStringsFallBack('nl')).toBe(true);
    expect(wordsFor('pt-BR').signedBy).toBe('Signatários');
    expect(fixedStringsFallBack('pt-BR')).toBe(false);
    expect(wordsFor('fr-BE').signedBy).toBe('Signataires');
    expect(dirFor('ar')).toBe('rtl');
    expect(dirFor('he-IL')).toBe('rtl');
    expect(dirFor('fr')).toBe('ltr');
  });
});

describe('statement translations', () => {
  it('reads translations beside the statement file, the default language first', () => {
    const s = readStatement(repoPath('examples/statement.md'), () => ({}));
    expect(statementLanguages(s)).toEqual(['en', 'de', 'fr']);
    const fr = statementIn(s, 'fr');
    expect(fr.title).toBe('Protéger l’espace civique dans le Partenariat oriental');
    expect(fr.meeting).toBe('Conseil des affaires étrangères');
    // What a translation cannot change comes from the statement it translates.
    expect(fr.deadline).toBe(s.deadline);
    expect(fr.signatories).toEqual(s.signatories);
    expect(statementIn(s, 'it')).toBe(s);
  });

  it('refuses a translation without a title, naming the file and field', () => {
    const base = parseStatement(exampleStatement(), 'statement.md');
    const bad = '---\nsubject: Objet\n---\nTexte.\n';
    const err = (() => {
      try {
        parseTranslation(bad, 'statement.fr.md', 'fr', base);
      } catch (e) {
        return e;
      }
    })() as StatementInvalidError;
    expect(err).toBeInstanceOf(StatementInvalidError);
    expect(err.message).toContain('statement.fr.md');
    expect(err.issues).toContainEqual(expect.objectContaining({ field: 'title' }));
  });

  it('refuses a second version of a language and a file name that is no language', () => {
    const base = parseStatement(exampleStatement(), 'statement.md');
    expect(() =>
      parseTranslation('---\ntitle: T\nsubject: S\n---\nB\n', 'x.en.md', 'en', base),
    ).toThrow(/already has a en version/);
    expect(() => parseTranslation('T\n\nB\n', 'x.FRA.md', 'FRA', base)).toThrow(
      /not a language code/,
    );
  });

  it('gives each recipient their language when compiled, else the campaign default', () => {
    const campaign = { languages: ['en', 'fr', 'pt'] } as Campaign;
    const r = (language?: string) => ({ language }) as CampaignRecipient;
    expect(languageFor(campaign, r('fr'))).toBe('fr');
    expect(languageFor(campaign, r('pt-BR'))).toBe('pt');
    expect(languageFor(campaign, r('de'))).toBe('en');
    expect(languageFor(campaign, r(undefined))).toBe('en');
  });
});
