/**
 * The co-signatories in the letter: every language, HTML and text, names as
 * given (any script, right-to-left included) escaped, countries in the
 * letter's language, and the letter under Gmail's 102 KB clip with 300
 * signatories — past what fits, "and N more" with the full list's link.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { letterFor } from '../../../../functions/core/compose.js';
import { compileLetter, compileLetters } from '../../../../functions/core/letter.js';
import { GMAIL_CLIP_BYTES } from '../../../../functions/core/signon/letter-list.js';
import {
  parseStatement,
  type CoSignatory,
  type Statement,
} from '../../../../functions/core/statement.js';
import { letterMjml, sharedSample } from '../../../support/fixtures.js';
import { hostile, markup } from '../../../support/hostile.js';
import { campaignOf, exampleWithTranslations, LINKS, recipientOf } from '../letter-support.js';

const COUNTRIES = ['BY', 'UA', 'GE', 'AM', 'AZ', 'MD', 'DE', 'FR', 'PL', 'LT', 'SE', 'IL', 'EG'];
const NAMES = [
  'Правозащитный центр «Весна»',
  'Білоруський Гельсінський комітет',
  'საქართველოს ახალგაზრდა იურისტთა ასოციაცია',
  'Հելսինկյան Քաղաքացիական Ասամբլեա',
  'Azərbaycan İnsan Hüquqları Mərkəzi',
  'Promo-LEX Association',
  'Deutsche Gesellschaft für Osteuropakunde e.V.',
  'Ligue des droits de l’Homme',
  'Helsińska Fundacja Praw Człowieka',
  'Žmogaus teisių stebėjimo institutas',
  'Civil Rights Defenders',
  'בצלם – מרכז המידע הישראלי לזכויות האדם בשטחים',
  'المبادرة المصرية للحقوق الشخصية',
];

/** `n` realistic co-signatories: names in their own scripts, some with a transliteration. */
export function coSignatories(n: number, pad = ''): CoSignatory[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `${NAMES[i % NAMES.length]}${pad} ${i + 1}`,
    ...(i % 2 ? { latin: `Transliterated Organisation Name ${i + 1}` } : {}),
    country: COUNTRIES[i % COUNTRIES.length]!,
  }));
}

const sample = (): Statement =>
  parseStatement(sharedSample(), 'statement-belarus-2020.txt', {
    deadline: '2027-01-10T09:00:00+01:00',
    from: { name: 'Civic Solidarity Platform', address: 'csp@example.org' },
    replyToDomain: 'replies.example.org',
    language: 'en',
  });

const withList = (s: Statement, list: CoSignatory[]): Statement => ({
  ...s,
  cosign: { signatories: list, listUrl: 'https://t.demarche.example.org/s/l/c1.mac' },
});

const recipient = recipientOf({
  email: 'office@mfa.example.org',
  title: 'Minister of Foreign and European Affairs of the Republic',
  organisation: 'Ministry of Foreign and European Affairs',
});

async function letterOf(s: Statement, language = s.language) {
  const t = await compileLetter(s, letterMjml(), language);
  return letterFor(campaignOf(s), t, recipient, LINKS);
}

const size = (html: string) => Buffer.byteLength(html, 'utf8');

describe('co-signatories in the letter', () => {
  it('lists every organisation in every language, countries in the letter’s language', async () => {
    const s = withList(exampleWithTranslations(), coSignatories(3));
    const templates = await compileLetters(s, letterMjml());
    expect(templates.length).toBeGreaterThan(1);
    for (const t of templates) {
      const letter = letterFor(campaignOf(s), t, recipient, LINKS);
      for (const x of s.cosign!.signatories) {
        expect(letter.html).toContain(x.name.replace('’', '’'));
        expect(letter.text).toContain(x.name);
      }
      const belarus = new Intl.DisplayNames([t.language], { type: 'region' }).of('BY')!;
      expect(letter.html).toContain(belarus);
      expect(letter.text).toContain(belarus);
    }
    const fr = templates.find((t) => t.language === 'fr')!;
    expect(fr.html).toContain('Cosigné par 3 organisations');
    expect(fr.html).toContain('Biélorussie');
  });

  it('300 signatories of the sample statement fit under the clip, all named', async () => {
    const s = withList(sample(), coSignatories(300));
    const letter = await letterOf(s);
    console.log(
      `letter HTML with 300 co-signatories: ${size(letter.html)} bytes; raw message ${size(letter.raw!)} bytes`,
    );
    expect(size(letter.html)).toBeLessThan(GMAIL_CLIP_BYTES);
    expect(letter.html).not.toContain('more organisations');
    expect(letter.html).toContain('Co-signed by 300 organisations');
  });

  it('a list the letter cannot hold collapses to "and N more" with the full list’s link', async () => {
    const s = withList(sample(), coSignatories(300, ' — '.padEnd(180, 'ж')));
    const letter = await letterOf(s);
    console.log(`letter HTML with 300 long co-signatory names: ${size(letter.html)} bytes`);
    expect(size(letter.html)).toBeLessThan(GMAIL_CLIP_BYTES);
    const more =
      /and (\d+) more organisations\. <a href="https:\/\/t\.demarche\.example\.org\/s\/l\/c1\.mac">/.exec(
        letter.html,
      );
    expect(more).not.toBeNull();
    const listed = (letter.html.match(/<span dir="auto">/g) ?? []).length;
    expect(listed + Number(more![1])).toBe(300);
    expect(letter.text).toContain(
      `and ${more![1]} more organisations. The full list of signatories: https://t.demarche.example.org/s/l/c1.mac`,
    );
    // The letter's end is still there: footer and signatures come after the list.
    expect(letter.html).toContain('This letter was sent by');
  });

  it('any name (any script, bidi, long) is escaped, and the letter stays under the clip', async () => {
    const base = sample();
    const baseline = markup((await letterOf(withList(base, coSignatories(1)))).html);
    const name = fc.oneof(
      hostile,
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }),
      fc.string({
        unit: fc.constantFrom('ا', 'ب', 'ש', '\u202e', '\u2066', 'a', ' ', '<'),
        maxLength: 200,
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ name, latin: fc.option(name, { nil: undefined }) }), {
          minLength: 1,
          maxLength: 300,
        }),
        async (rows) => {
          const list = rows.map((r, i) => ({
            name: `${r.name}`,
            ...(r.latin ? { latin: r.latin } : {}),
            country: COUNTRIES[i % COUNTRIES.length]!,
          }));
          const letter = await letterOf(withList(base, list));
          expect(size(letter.html)).toBeLessThan(GMAIL_CLIP_BYTES);
          // The same tags as a one-name list, but for rows repeated and the "more" line.
          const tags = markup(letter.html).filter((t) => baseline.includes(t));
          expect(tags.length).toBe(markup(letter.html).length);
        },
      ),
      { numRuns: 25 },
    );
  });
});
