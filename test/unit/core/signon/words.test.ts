/**
 * Sign-on's words beyond English: the page, its mail and what is sent after
 * the send-out exist in each language the page is offered in, with the
 * language's own plural forms, and the page is written in the language asked.
 */
import { describe, expect, it } from 'vitest';
import {
  SIGNON_PAGE_LANGUAGES,
  ruPlural,
  signonPageWords,
} from '../../../../functions/core/i18n-signon.js';
import { WORDED_LANGUAGES } from '../../../../functions/core/i18n.js';
import { afterSendWords, dayIn } from '../../../../functions/core/signon/after-words.js';
import { signonPage } from '../../../../functions/core/signon/page.js';
import { exampleWithTranslations } from '../letter-support.js';

describe('sign-on in the statement’s languages', () => {
  it('speaks every language the letter does, each sentence its own, not English', () => {
    expect([...SIGNON_PAGE_LANGUAGES].sort()).toEqual([...WORDED_LANGUAGES].sort());
    const en = signonPageWords('en');
    for (const lang of SIGNON_PAGE_LANGUAGES.filter((l) => l !== 'en')) {
      const w = signonPageWords(lang);
      expect(w.submit).not.toBe(en.submit);
      expect(w.consent('Coalition X')).toContain('Coalition X');
      expect(w.mailBody({ name: 'N', title: 'T', coalition: 'C', url: 'https://u' })).toContain(
        'https://u',
      );
      expect(Object.keys(w.types)).toEqual(Object.keys(en.types));
      const after = afterSendWords(lang);
      expect(after.copySubject('S')).not.toBe(afterSendWords('en').copySubject('S'));
    }
    // A regional variant takes its language's words.
    expect(signonPageWords('de-AT').submit).toBe('Erklärung unterzeichnen');
  });

  it('counts in Russian with its three plural forms', () => {
    const w = signonPageWords('ru');
    expect(w.signedHeading(1)).toBe('1 организация подписала');
    expect(w.signedHeading(3)).toBe('3 организации подписали');
    expect(w.signedHeading(5)).toBe('5 организаций подписали');
    expect(w.signedHeading(21)).toBe('21 организация подписала');
    expect(w.signedHeading(112)).toBe('112 организаций подписали');
    expect(ruPlural(24, 'a', 'b', 'c')).toBe('b');
    expect(afterSendWords('ru').openSentOn('1 декабря 2026 г.', 21)).toBe(
      'Отправлено 1 декабря 2026 г. 21 получателю.',
    );
  });

  it('writes dates in the language’s own words', () => {
    expect(dayIn('2026-12-01T10:00:00Z', 'de')).toBe('1. Dezember 2026');
    expect(dayIn('2026-12-01T10:00:00Z', 'ru')).toMatch(/^1 декабря 2026/);
  });

  it('renders the page in German with lang="de"', () => {
    const html = signonPage({
      language: 'de',
      alternatives: [{ language: 'en', href: '/s/x?lang=en' }],
      statement: exampleWithTranslations(),
      coalition: 'Eastern Partnership Civil Society Forum',
      closesAt: '2026-12-10T17:00:00Z',
      signed: [],
    });
    expect(html).toContain('<html lang="de"');
    expect(html).toContain('Im Namen Ihrer Organisation unterzeichnen');
    expect(html).toContain('Noch keine Organisation hat ihre Unterschrift bestätigt.');
    expect(html).not.toContain('Sign on behalf of your organisation');
  });
});
