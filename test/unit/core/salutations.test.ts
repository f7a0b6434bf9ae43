import { describe, expect, it } from 'vitest';
import { importRecipients } from '../../../functions/core/recipients.js';
import { deriveSalutation, type SalutationInput } from '../../../functions/core/salutations.js';
import { readFileSync } from 'node:fs';

const row = (
  title: string,
  name = 'Nikola Kovačević',
  group: SalutationInput['group'] = 'minister',
) => ({
  name,
  title,
  group,
});
const say = (r: SalutationInput, language: string) => deriveSalutation(r, language).text;

describe('salutations from the title’s leading rank words', () => {
  it.each([
    ['Minister of Foreign and European Affairs', 'Dear Minister Kovačević,'],
    ['Minister for Foreign Affairs', 'Dear Minister Kovačević,'],
    ['Federal Minister for Foreign Affairs', 'Dear Minister Kovačević,'],
    ['Deputy Minister of Foreign Affairs', 'Dear Deputy Minister Kovačević,'],
    ['State Secretary for European Affairs', 'Dear State Secretary Kovačević,'],
    ['Secretary of State for Foreign Affairs', 'Dear State Secretary Kovačević,'],
    ['Commissioner for Enlargement', 'Dear Commissioner Kovačević,'],
    [
      'High Representative of the Union for Foreign Affairs and Security Policy',
      'Dear High Representative Kovačević,',
    ],
    ['Executive Vice-President of the European Commission', 'Dear Vice-President Kovačević,'],
    ['President of the European Parliament', 'Dear President Kovačević,'],
    ['Ambassador, Permanent Representative to the EU', 'Dear Ambassador Kovačević,'],
    ['Prime Minister', 'Dear Prime Minister Kovačević,'],
    ['Secretary-General of the Council', 'Dear Secretary-General Kovačević,'],
    ['Head of Unit, Civil Society', 'Dear Nikola Kovačević,'],
  ])('en: %s → %s', (title, expected) => {
    expect(say(row(title), 'en')).toBe(expected);
  });

  it('in French: Madame la Ministre / Monsieur le Ministre, by the title’s gender when it shows one', () => {
    expect(say(row('Ministre de l’Europe et des Affaires étrangères'), 'fr')).toBe(
      'Madame la Ministre, Monsieur le Ministre,',
    );
    expect(say(row('Ministre déléguée chargée de l’Europe'), 'fr')).toBe(
      'Madame la Ministre déléguée,',
    );
    expect(say(row('Ministre délégué chargé du Commerce'), 'fr')).toBe(
      'Monsieur le Ministre délégué,',
    );
    expect(say(row('Ambassadrice'), 'fr')).toBe('Madame l’Ambassadrice,');
    expect(say(row('Ambassador'), 'fr')).toBe('Madame l’Ambassadrice, Monsieur l’Ambassadeur,');
    expect(say(row('Haute représentante'), 'fr')).toBe('Madame la Haute représentante,');
    expect(say(row('Ministra de Asuntos Exteriores'), 'fr')).toBe('Madame la Ministre,');
    expect(say(row('Directeur de cabinet'), 'fr')).toBe('Madame, Monsieur,');
  });

  it('in German: Sehr geehrte Frau Ministerin …, from -in forms', () => {
    expect(say(row('Bundesministerin des Auswärtigen', 'Annalena Brückner'), 'de')).toBe(
      'Sehr geehrte Frau Ministerin Brückner,',
    );
    expect(say(row('Staatssekretär', 'Jörg Weiß'), 'de')).toBe(
      'Sehr geehrter Herr Staatssekretär Weiß,',
    );
    expect(say(row('Botschafterin', 'Eva Gruber'), 'de')).toBe(
      'Sehr geehrte Frau Botschafterin Gruber,',
    );
    expect(say(row('Minister for Foreign Affairs'), 'de')).toBe(
      'Sehr geehrte Frau Ministerin, sehr geehrter Herr Minister,',
    );
    expect(say(row('High Representative', 'Kaja Kallas'), 'de')).toBe(
      'Sehr geehrte Frau Hohe Vertreterin, sehr geehrter Herr Hoher Vertreter,',
    );
    expect(say(row('Referentin', 'Maria Müller'), 'de')).toBe('Guten Tag Maria Müller,');
  });

  it('opens a French or German letter to a minister’s office without a title with the office', () => {
    const office = { name: 'Cabinet du Ministre', group: 'minister' as const };
    expect(deriveSalutation(office, 'fr')).toEqual({
      text: 'Madame la Ministre, Monsieur le Ministre,',
      rule: "group minister, no title: the minister's form (fr)",
    });
    expect(say(office, 'en')).toBe('Dear Cabinet du Ministre,');
  });

  it('always lets the row’s own salutation win, and names each rule', () => {
    expect(deriveSalutation({ ...row('Minister'), salutation: 'Dear Nikola' }, 'en')).toEqual({
      text: 'Dear Nikola,',
      rule: 'the row’s own salutation',
    });
    expect(deriveSalutation(row('Minister of Foreign and European Affairs'), 'en').rule).toBe(
      'rank "Minister" from the title "Minister of Foreign and European Affairs" (en)',
    );
    expect(deriveSalutation(row('Bundesministerin des Auswärtigen'), 'de').rule).toBe(
      'rank "Minister" from the title "Bundesministerin des Auswärtigen" (de, feminine)',
    );
    expect(deriveSalutation({ name: 'Ales', group: 'ngo', organisation: 'Viasna' }, 'en')).toEqual({
      text: 'Dear colleagues at Viasna,',
      rule: 'NGO member: colleagues at the organisation (en)',
    });
    expect(deriveSalutation({ name: 'Ana Popescu', group: 'other' }, 'pt-BR')).toEqual({
      text: 'Dear Ana Popescu,',
      rule: 'no title: by name (en)',
    });
  });

  it('greets every row of the German Excel list as a person would', () => {
    const { recipients } = importRecipients(
      readFileSync(
        new URL('../../fixtures/recipients/excel-de-utf8-bom-semicolon-crlf.csv', import.meta.url),
      ),
    );
    expect(recipients.map((r) => deriveSalutation(r, r.language ?? 'en').text)).toEqual([
      'Sehr geehrte Frau Ministerin Brückner,',
      'Sehr geehrter Herr Staatssekretär Weiß,',
      'Madame la Ministre, Monsieur le Ministre,',
      'Dear High Representative Kallasová,',
      'Madame la Directrice générale, Monsieur le Directeur général,',
      'Уважаемые коллеги из Viasna Human Rights Centre!',
      'Liebe Maria,',
    ]);
  });
});
