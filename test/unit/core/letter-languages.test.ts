import mjml2html from 'mjml';
import { describe, expect, it } from 'vitest';
import { letterFor } from '../../../functions/core/compose.js';
import { TemplateError } from '../../../functions/core/errors.js';
import { compileLetter, compileLetters, compileStats } from '../../../functions/core/letter.js';
import { parseStatement, parseTranslation } from '../../../functions/core/statement.js';
import { letterMjml, sharedSample } from '../../support/fixtures.js';
import { campaignOf, exampleWithTranslations, LINKS, recipientOf } from './letter-support.js';

const statement = exampleWithTranslations();

describe('letters in every language', () => {
  it('the template passes MJML validation at level strict as written', async () => {
    // Fields filled with plain text: what the template itself is made of must be valid MJML.
    const filled = letterMjml().replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, k: string) =>
      k === 'dir' ? 'ltr' : k === 'lang' ? 'en' : `field ${k}`,
    );
    const result = await mjml2html(filled, { validationLevel: 'strict' });
    expect(result.errors).toEqual([]);
  });

  it('compiles once per language, strictly, each letter in its own words, lang and dir', async () => {
    const before = compileStats.count;
    const templates = await compileLetters(statement, letterMjml());
    expect(compileStats.count - before).toBe(3);
    expect(templates.map((t) => t.language)).toEqual(['en', 'de', 'fr']);
    const fr = templates[2]!;
    expect(fr.html).toMatch(/<html[^>]* lang="fr"[^>]* dir="ltr"/);
    expect(fr.html).toContain('<title>Déclaration commune en vue du Conseil');
    expect(fr.html).toContain('Protéger l’espace civique dans le Partenariat oriental');
    expect(fr.html).toContain('En vue de la réunion « Conseil des affaires étrangères »');
    expect(fr.html).toContain('Signataires');
    expect(fr.html).toContain('Rue de la Loi 42, 1040 Brussels, Belgium');
    expect(fr.html).not.toContain('Signed by');
    const de = templates[1]!;
    expect(de.html).toContain('lang="de"');
    expect(de.text).toContain('Unterzeichnet von:');
    const letter = letterFor(
      campaignOf(statement),
      fr,
      recipientOf({ email: 'ministre@example.be', group: 'minister', language: 'fr' }),
      LINKS,
    );
    expect(letter.html).toContain('Madame la Ministre, Monsieur le Ministre,');
    expect(letter.html).toContain('Afficher cette lettre dans votre navigateur');
    expect(letter.text).toContain('Madame la Ministre, Monsieur le Ministre,');
  });

  it('writes right-to-left letters with dir="rtl" and non-Latin text intact', async () => {
    const base = parseStatement(sharedSample(), 'belarus.txt', {
      deadline: '2027-01-10T09:00:00+01:00',
      from: { name: 'Форум гражданского общества', address: 'forum@example.org' },
      replyToDomain: 'replies.example.org',
      language: 'en',
    });
    base.translations = [
      parseTranslation(
        'بيان بشأن بيلاروس\n\nنحن ندعو إلى احترام حقوق الإنسان.\n',
        's.ar.txt',
        'ar',
        base,
      ),
      parseTranslation(
        'Заявление о Беларуси\n\n• свобода собраний\n• освобождение политзаключённых\n',
        's.ru.txt',
        'ru',
        base,
      ),
    ];
    const [, ar, ru] = await compileLetters(base, letterMjml());
    expect(ar!.html).toMatch(/<html[^>]* lang="ar"[^>]* dir="rtl"/);
    expect(ar!.html).toContain('نحن ندعو إلى احترام حقوق الإنسان.');
    expect(ru!.html).toContain('<li>освобождение политзаключённых</li>');
    expect(ru!.html).toContain('Подписали');
  });

  it('keeps the sample letter under Gmail’s 102 KB clipping limit', async () => {
    const s = parseStatement(sharedSample(), 'belarus.txt', {
      deadline: '2027-01-10T09:00:00+01:00',
      from: { name: 'Forum', address: 'forum@example.org' },
      replyToDomain: 'replies.example.org',
      language: 'en',
    });
    const t = await compileLetter(s, letterMjml());
    const letter = letterFor(
      campaignOf(s),
      t,
      recipientOf({ email: 'm@ngo.example.org', group: 'ngo' }),
      LINKS,
    );
    expect(Buffer.byteLength(letter.html)).toBeLessThan(102 * 1024);
  });

  it('refuses a template with an unknown field, naming it', async () => {
    await expect(
      compileLetter(statement, letterMjml().replace('{{title}}', '{{titel}}')),
    ).rejects.toThrow(TemplateError);
    await expect(
      compileLetter(statement, letterMjml().replace('{{title}}', '{{titel}}')),
    ).rejects.toThrow(/\{\{titel\}\}/);
  });

  it('refuses a template MJML finds invalid at level strict, with the line', async () => {
    const broken = letterMjml().replace('<mj-divider', '<mj-divider colour="red"');
    await expect(compileLetter(statement, broken)).rejects.toThrow(
      /MJML refused the letter template \(en\): line \d+/,
    );
  });
});
