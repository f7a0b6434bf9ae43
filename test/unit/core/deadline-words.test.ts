import { describe, expect, it } from 'vitest';
import { formatDeadline, zoneOffsetMinutes } from '../../../functions/core/deadline-words.js';
import { compileLetter } from '../../../functions/core/letter.js';
import { parseStatement } from '../../../functions/core/statement.js';
import { StatementInvalidError } from '../../../functions/core/errors.js';
import { exampleStatement, letterMjml } from '../../support/fixtures.js';

describe('the deadline as a letter says it', () => {
  it('names the meeting city in the letter language, on the zone clock', () => {
    const at = '2026-12-14T09:00:00+01:00';
    expect(formatDeadline(at, 'fr', 'Europe/Brussels')).toBe(
      'lundi 14 décembre 2026, 9 h 00 (heure de Bruxelles)',
    );
    expect(formatDeadline(at, 'en', 'Europe/Brussels')).toBe(
      'Monday, 14 December 2026, 09:00 (Brussels time)',
    );
    expect(formatDeadline(at, 'de', 'Europe/Brussels')).toBe(
      'Montag, 14. Dezember 2026, 09:00 (Ortszeit Brüssel)',
    );
    expect(formatDeadline(at, 'pt', 'Europe/Brussels')).toBe(
      'segunda-feira, 14 de dezembro de 2026, 09:00 (hora de Bruxelas)',
    );
    // A deadline in UTC is shown on the zone's clock.
    expect(formatDeadline('2026-12-14T08:00:00Z', 'en', 'Europe/Brussels')).toBe(
      'Monday, 14 December 2026, 09:00 (Brussels time)',
    );
    // Summer time: Vilnius is UTC+3 in June, and the letter shows the hour written.
    expect(formatDeadline('2027-06-14T10:30:00+03:00', 'fr', 'Europe/Vilnius')).toBe(
      'lundi 14 juin 2027, 10 h 30 (heure de Vilnius)',
    );
  });

  it('falls back to the language’s own zone name for a language without city names', () => {
    expect(formatDeadline('2026-12-14T09:00:00+01:00', 'pl', 'Europe/Brussels')).toBe(
      'poniedziałek, 14 grudnia 2026, 09:00 (czas środkowoeuropejski)',
    );
  });

  it('shows the written offset when no zone is known or the zone disagrees with it', () => {
    expect(formatDeadline('2026-12-14T09:00:00+01:00', 'en')).toBe(
      'Monday, 14 December 2026, 09:00 (UTC+01:00)',
    );
    expect(formatDeadline('2026-12-14T09:00:00+02:00', 'en', 'Europe/Brussels')).toBe(
      'Monday, 14 December 2026, 09:00 (UTC+02:00)',
    );
    expect(formatDeadline('2026-12-14T09:00:00+01:00', 'en', 'Not/AZone')).toBe(
      'Monday, 14 December 2026, 09:00 (UTC+01:00)',
    );
  });

  it('knows a zone’s offset on either side of the clock change', () => {
    expect(zoneOffsetMinutes('Europe/Brussels', Date.parse('2027-01-10T12:00:00Z'))).toBe(60);
    expect(zoneOffsetMinutes('Europe/Brussels', Date.parse('2027-07-10T12:00:00Z'))).toBe(120);
    expect(zoneOffsetMinutes('Europe/Lisbon', Date.parse('2027-01-10T12:00:00Z'))).toBe(0);
  });
});

describe('the statement’s zone', () => {
  const withZone = (zone: string, deadline = '2027-03-15T09:00:00+01:00') =>
    exampleStatement()
      .replace(/^deadline: .*$/m, `deadline: ${deadline}`)
      .replace(/^zone: .*$/m, `zone: ${zone}`);

  it('puts the city in the compiled letter, in each language', async () => {
    const s = parseStatement(withZone('Europe/Brussels'), 'statement.md');
    expect(s.zone).toBe('Europe/Brussels');
    const en = await compileLetter(s, letterMjml(), 'en');
    expect(en.text).toContain('Before Monday, 15 March 2027, 09:00 (Brussels time)');
    const fr = await compileLetter({ ...s, language: 'fr' }, letterMjml(), 'fr');
    expect(fr.html).toContain('lundi 15 mars 2027, 9 h 00 (heure de Bruxelles)');
  });

  it('refuses an unknown zone and one that gives the deadline another hour, naming the field', () => {
    expect(() => parseStatement(withZone('Europe/Brusels'), 'statement.md')).toThrow(
      StatementInvalidError,
    );
    try {
      parseStatement(withZone('Europe/Helsinki'), 'statement.md');
      expect.unreachable();
    } catch (err) {
      const issues = (err as StatementInvalidError).issues;
      expect(issues[0]!.field).toBe('deadline');
      expect(issues[0]!.message).toMatch(/Europe\/Helsinki is at UTC\+02:00 on that day/);
    }
  });
});
