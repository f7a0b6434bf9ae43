/**
 * No value a recipient's row, the statement or the deployment supplies can
 * become markup on the recipient's side: the footer, the unsubscribe page in
 * every state, the web version and the privacy page keep the very same tags
 * and attributes whatever those values hold.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { letterFor } from '../../../../functions/core/compose.js';
import { compileLetter, type LetterTemplate } from '../../../../functions/core/letter.js';
import type { ChoiceState } from '../../../../functions/core/recipient-pages/choice.js';
import { maskAddress } from '../../../../functions/core/recipient-pages/mask.js';
import { PAGE_LANGUAGES } from '../../../../functions/core/recipient-pages/page-words.js';
import { privacyPage } from '../../../../functions/core/recipient-pages/privacy-page.js';
import { unsubscribePage } from '../../../../functions/core/recipient-pages/unsubscribe-page.js';
import { webVersionPage } from '../../../../functions/core/recipient-pages/web-version.js';
import { whySentences } from '../../../../functions/core/recipient-pages/why.js';
import { parseStatement } from '../../../../functions/core/statement.js';
import { hostile, markup } from '../../../support/hostile.js';
import { letterMjml } from '../../../support/fixtures.js';
import { campaignOf, LINKS, recipientOf } from '../letter-support.js';

const statement = parseStatement('Title\n\nBody.\n', 'p.txt', {
  deadline: '2027-01-10T09:00:00+01:00',
  from: { name: 'Forum', address: 'forum@example.org' },
  replyToDomain: 'replies.example.org',
  language: 'en',
});
const STATES: ChoiceState[] = [
  { kind: 'open' },
  { kind: 'stopped', scope: 'all', at: '2026-12-01T10:00:00Z', undoUntil: '2026-12-31T10:00:00Z' },
  { kind: 'stopped', scope: 'followups', at: '2026-12-01T10:00:00Z' },
  { kind: 'blocked', reason: 'complaint' },
];
const templates = new Map<string, LetterTemplate>();
beforeAll(async () => {
  for (const l of PAGE_LANGUAGES) templates.set(l, await compileLetter(statement, letterMjml(), l));
}, 60_000);

/** A row's values, each starting with a letter (an empty one legitimately drops its line). */
const row = fc.record({
  name: hostile,
  title: hostile,
  organisation: hostile,
  source: hostile,
  local: hostile,
});
const language = fc.constantFrom(...PAGE_LANGUAGES);
const plain = { name: 'n', title: 't', organisation: 'o', source: 's', local: 'l' };

function pages(
  v: typeof plain,
  coalition: string,
  extra: string,
  lang: string,
  state: ChoiceState,
) {
  const r = recipientOf({
    email: 'r@example.org',
    group: 'ngo',
    name: `N${v.name}`,
    title: `T${v.title}`,
    organisation: `O${v.organisation}`,
    source: `S${v.source}`,
  });
  const campaign = campaignOf(
    { ...statement, from: { ...statement.from, name: `C${coalition}` } },
    { languages: [lang] },
  );
  const letter = letterFor(campaign, templates.get(lang)!, r, LINKS);
  return {
    footer: letter.html,
    web: webVersionPage(letter.html, {
      language: lang,
      versionHash: 'ab'.repeat(32),
      approvedAt: '2026-12-01T10:00:00Z',
    }),
    unsubscribe: unsubscribePage({
      language: lang,
      coalition: `C${coalition}`,
      postalAddress: `P${extra}`,
      subject: `S${extra}`,
      address: maskAddress(`${v.local}@example.org`),
      why: whySentences(r, lang, `C${coalition}`),
      privacyUrl: `https://p.example.org/${encodeURIComponent(extra)}`,
      action: 'c1~r1.TOKEN',
      state,
      undone: true,
    }).html,
    privacy: privacyPage({
      language: lang,
      controller: `C${coalition}`,
      contact: 'privacy@example.org',
      retentionDays: 365,
    }),
  };
}

describe('nothing a recipient, a statement or a deployment supplies becomes markup', () => {
  it('keeps the tags and attributes of the footer and every page, in every language and state', () => {
    const baseline = new Map<string, Record<string, string[]>>();
    for (const lang of PAGE_LANGUAGES)
      for (const [i, state] of STATES.entries()) {
        const p = pages(plain, 'x', 'x', lang, state);
        baseline.set(
          `${lang}/${i}`,
          Object.fromEntries(Object.entries(p).map(([k, html]) => [k, markup(html)])),
        );
      }
    fc.assert(
      fc.property(
        row,
        hostile,
        hostile,
        language,
        fc.nat(STATES.length - 1),
        (v, c, x, lang, i) => {
          const p = pages(v, c, x, lang, STATES[i]!);
          const base = baseline.get(`${lang}/${i}`)!;
          for (const [k, html] of Object.entries(p)) expect(markup(html), k).toEqual(base[k]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
