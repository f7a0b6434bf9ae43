/**
 * The recipient's side in every language the letter's fixed strings have:
 * the letter's "why you received this" footer, the unsubscribe page in each
 * state, the web version and the generated privacy page. Each is checked in
 * the language's own words, with nothing English left in a non-English page.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { letterFor, personalLetter } from '../../../../functions/core/compose.js';
import { formatDay, WORDED_LANGUAGES, wordsFor } from '../../../../functions/core/i18n.js';
import { compileLetter, type LetterTemplate } from '../../../../functions/core/letter.js';
import type { ChoiceState } from '../../../../functions/core/recipient-pages/choice.js';
import { PAGE_CSP } from '../../../../functions/core/recipient-pages/layout.js';
import { maskAddress } from '../../../../functions/core/recipient-pages/mask.js';
import {
  PAGE_LANGUAGES,
  pageWordsFor,
} from '../../../../functions/core/recipient-pages/page-words.js';
import { privacyPage } from '../../../../functions/core/recipient-pages/privacy-page.js';
import {
  goneLinkPage,
  unsubscribePage,
} from '../../../../functions/core/recipient-pages/unsubscribe-page.js';
import { webVersionPage } from '../../../../functions/core/recipient-pages/web-version.js';
import { whySentences } from '../../../../functions/core/recipient-pages/why.js';
import { escapeHtml } from '../../../../functions/core/html.js';
import { parseStatement } from '../../../../functions/core/statement.js';
import { letterMjml } from '../../../support/fixtures.js';
import { campaignOf, LINKS, recipientOf } from '../letter-support.js';

const COALITION = 'Réseau «Solidarité» & Partenaires';
const statement = parseStatement(
  'Protect civic space\n\nThe Council should act before the meeting.\n',
  'st.txt',
  {
    deadline: '2027-01-10T09:00:00+01:00',
    from: { name: COALITION, address: 'forum@example.org' },
    replyToDomain: 'replies.example.org',
    language: 'en',
    postalAddress: 'Rue de la Loi 42, 1040 Bruxelles',
  },
);
const member = recipientOf({
  email: 'ales@viasna.example.by',
  name: 'Ales Bialiatski',
  group: 'ngo',
  organisation: 'Viasna',
  source: 'the coalition’s 2026 membership register',
});
const minister = recipientOf({
  email: 'minister@mfa.example.org',
  name: 'Tobias Berg',
  group: 'minister',
  title: 'Minister for Foreign Affairs',
});
const templates = new Map<string, LetterTemplate>();
beforeAll(async () => {
  for (const l of PAGE_LANGUAGES) templates.set(l, await compileLetter(statement, letterMjml(), l));
}, 60_000);

/** Words English pages use that no other language's page may show. */
const ENGLISH = ['Unsubscribe', '>Confirm<', 'Why you received', 'View this letter', 'approved on'];
const noEnglish = (html: string, language: string) => {
  if (language === 'en') return;
  for (const w of ENGLISH) expect(html, `${language}: "${w}"`).not.toContain(w);
};

describe('the languages of the recipient’s side', () => {
  it('are the same for letter words, page words and salutations', () => {
    expect([...PAGE_LANGUAGES].sort()).toEqual([...WORDED_LANGUAGES].sort());
    expect(PAGE_LANGUAGES).toEqual(expect.arrayContaining(['en', 'fr', 'de', 'es', 'it', 'pt']));
  });

  it('mask an address so that its owner knows it and a stranger does not read it', () => {
    expect(maskAddress('ales@viasna.example.by')).toBe('a•••@viasna.example.by');
    expect(maskAddress('ž@example.org')).toBe('ž•••@example.org');
    expect(maskAddress('no-at-sign')).toBe('•••');
  });
});

describe.each(PAGE_LANGUAGES)('in %s', (language) => {
  const w = pageWordsFor(language);
  const lw = wordsFor(language);

  it('the letter’s footer says why: the role, the source, the privacy link', () => {
    const campaign = campaignOf(statement, { languages: [language] });
    const letter = letterFor(campaign, templates.get(language)!, member, LINKS);
    const [role, source] = whySentences(member, language, COALITION);
    expect(role).toBe(lw.why.member(COALITION, 'Viasna'));
    expect(source).toBe(lw.why.source('the coalition’s 2026 membership register'));
    expect(letter.html).toContain(escapeHtml(`${role} ${source}`));
    expect(letter.html).toContain(
      `href="${LINKS.publicUrl}/privacy?lang=${language}" style="color:#57606a;">${escapeHtml(lw.why.privacy)}</a>`,
    );
    expect(letter.text).toContain(`${role} ${source}`);
    expect(letter.text).toContain(`${lw.why.privacy}: ${LINKS.publicUrl}/privacy?lang=${language}`);
    // An official: the role the row gives, no source line when the row has none.
    const official = letterFor(campaign, templates.get(language)!, minister, LINKS);
    expect(whySentences(minister, language, COALITION)).toEqual([
      lw.why.as('Minister for Foreign Affairs'),
    ]);
    expect(official.html).toContain(escapeHtml(lw.why.as('Minister for Foreign Affairs')));
    expect(official.html).not.toContain(escapeHtml(lw.unsubscribe));
  });

  const view = (state: ChoiceState, undone = false) =>
    unsubscribePage({
      language,
      coalition: COALITION,
      postalAddress: 'Rue de la Loi 42, 1040 Bruxelles',
      subject: 'Protect civic space',
      address: maskAddress(member.email),
      why: whySentences(member, language, COALITION),
      privacyUrl: `${LINKS.publicUrl}/privacy?lang=${language}`,
      action: 'c1~r1.TOKEN',
      state,
      undone,
    });

  it('the unsubscribe page offers the two stops, naming the coalition and the masked address', () => {
    const page = view({ kind: 'open' });
    expect(page.status).toBe(200);
    expect(page.title).toBe(w.pageTitle(COALITION));
    expect(page.html).toContain(`<html lang="${language}" dir="ltr">`);
    expect(page.html).toContain(escapeHtml(w.writesTo(COALITION, 'a•••@viasna.example.by')));
    expect(page.html).toContain(escapeHtml(w.stopAll(COALITION)));
    expect(page.html).toContain(escapeHtml(w.stopFollowUpsHint('Protect civic space')));
    expect(page.html).toContain('value="all"');
    expect(page.html).toContain('value="followups"');
    expect(page.html).toContain('action="c1~r1.TOKEN"');
    expect(page.html).toContain(escapeHtml(w.whyHeading));
    expect(page.html).toContain(
      escapeHtml(lw.why.source('the coalition’s 2026 membership register')),
    );
    expect(page.html).toContain(escapeHtml(lw.sentBy(COALITION)));
    expect(page.html).not.toContain('ales@');
    expect(page.html).not.toMatch(/<script|<img|<iframe|style="/);
    noEnglish(page.html, language);
  });

  it('the confirmations carry an undo until the 30th day, then say it is over', () => {
    const until = '2027-01-05T10:00:00.000Z';
    const all = view({
      kind: 'stopped',
      scope: 'all',
      at: '2026-12-06T10:00:00Z',
      undoUntil: until,
    });
    expect(all.title).toBe(w.stoppedAll(COALITION));
    expect(all.html).toContain(escapeHtml(w.undoUntil(formatDay(until, language))));
    expect(all.html).toContain('name="choice" value="undo"');
    expect(all.html).not.toContain('value="followups"');
    noEnglish(all.html, language);
    const followUps = view({ kind: 'stopped', scope: 'followups', at: '2026-12-06T10:00:00Z' });
    expect(followUps.title).toBe(w.stoppedFollowUps);
    expect(followUps.html).toContain(escapeHtml(w.undoOver));
    expect(followUps.html).not.toContain('value="undo"');
    const undone = view({ kind: 'open' }, true);
    expect(undone.title).toBe(w.undone);
    expect(undone.html).toContain(escapeHtml(w.undoneBody('a•••@viasna.example.by')));
    const blocked = view({ kind: 'blocked', reason: 'hard bounce' });
    expect(blocked.title).toBe(w.blocked(COALITION));
    expect(blocked.html).not.toContain('<form');
  });

  it('the web version has no link to itself, no pixel, and the approval in words', () => {
    const campaign = campaignOf(statement, { languages: [language] });
    const letter = personalLetter(campaign, templates.get(language)!, member, LINKS, {
      pixel: false,
      web: false,
    });
    const hash = 'ab'.repeat(32);
    const html = webVersionPage(letter.html, {
      language,
      versionHash: hash,
      approvedAt: '2026-12-01T15:04:00Z',
    });
    expect(html).not.toContain('/w/');
    expect(html).not.toContain(escapeHtml(lw.viewInBrowser));
    expect(html).not.toContain('/t/o/');
    expect(html).toContain(escapeHtml(w.approvedOn(formatDay('2026-12-01T15:04:00Z', language))));
    expect(html).toContain(`<meta name="demarche-version" content="${hash}">`);
    expect(html).toContain(`<code style="word-break:break-all;">${hash}</code>`);
    expect(html).toContain('<style media="print">');
    expect(html).toContain(escapeHtml(lw.why.member(COALITION, 'Viasna')));
    noEnglish(html, language);
  });

  it('the generated privacy page says who, what, why, how long and how to object', () => {
    const html = privacyPage({
      language,
      controller: 'Civic Space Coalition, Rue de la Loi 42, 1040 Brussels',
      contact: 'privacy@coalition.example.org',
      retentionDays: 365,
    });
    for (const heading of [w.privacy.who, w.privacy.what, w.privacy.purpose, w.privacy.howLong])
      expect(html).toContain(escapeHtml(heading));
    expect(html).toContain(escapeHtml(w.privacy.howLongBody(365)));
    expect(html).toContain('<a href="mailto:privacy@coalition.example.org">');
    expect(html).toContain('Civic Space Coalition, Rue de la Loi 42');
    const bare = privacyPage({ language, retentionDays: 90 });
    expect(bare).toContain(escapeHtml(w.privacy.whoDefault));
    expect(bare).toContain(escapeHtml(w.privacy.rightsBody()));
    noEnglish(html, language);
  });

  it('a dead link names no one', () => {
    const page = goneLinkPage(language);
    expect(page.status).toBe(404);
    expect(page.html).toContain(escapeHtml(w.goneBody));
    expect(page.html).not.toContain('class="why"');
  });
});

describe('the pages’ Content-Security-Policy', () => {
  it('allows no script, no other style, no frame and forms only to this origin', () => {
    expect(PAGE_CSP).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; /);
    expect(PAGE_CSP).toContain("form-action 'self'");
    expect(PAGE_CSP).toContain("frame-ancestors 'none'");
    expect(PAGE_CSP).not.toContain('unsafe');
  });
});
