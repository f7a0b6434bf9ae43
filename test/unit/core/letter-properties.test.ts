import fc from 'fast-check';
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { letterFor } from '../../../functions/core/compose.js';
import { oneLine } from '../../../functions/core/html.js';
import { compileLetter } from '../../../functions/core/letter.js';
import { parseStatement, type Statement } from '../../../functions/core/statement.js';
import { letterMjml } from '../../support/fixtures.js';
import { hostile, markup } from '../../support/hostile.js';
import { campaignOf, LINKS, recipientOf } from './letter-support.js';

const statementWith = (text: string): Statement => {
  const flat = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ');
  return parseStatement(`Title ${flat}\n\nParagraph ${flat} end.\n`, 'prop.txt', {
    deadline: '2027-01-10T09:00:00+01:00',
    from: { name: `Forum ${flat}`, address: 'forum@example.org' },
    replyToDomain: 'replies.example.org',
    language: 'en',
    meeting: `Council ${flat}`,
    signatories: [{ name: `Signer ${flat}`, organisation: `Org ${flat}` }],
  });
};

describe('nothing from outside becomes markup or a header', () => {
  it('no statement text can close a tag, add an attribute, or add a header', async () => {
    const r = recipientOf({ email: 'r@example.org', group: 'ngo', title: 'T', organisation: 'O' });
    const base = statementWith('x');
    const first = letterFor(campaignOf(base), await compileLetter(base, letterMjml()), r, LINKS);
    const baseline = markup(first.html);
    const baseHeaders = (await PostalMime.parse(first.raw!)).headers.map((h) => h.key);
    await fc.assert(
      fc.asyncProperty(hostile, async (text) => {
        const s = statementWith(text);
        const letter = letterFor(campaignOf(s), await compileLetter(s, letterMjml()), r, LINKS);
        expect(markup(letter.html)).toEqual(baseline);
        const mail = await PostalMime.parse(letter.raw!);
        expect(mail.headers.map((h) => h.key)).toEqual(baseHeaders);
        expect(mail.subject).toBe(s.subject);
        expect(mail.from).toEqual({ name: s.from.name, address: 'forum@example.org' });
      }),
      { numRuns: 30 },
    );
  });

  it('no CSV value can close a tag, add an attribute, or add or split a header', async () => {
    const s = statementWith('x');
    const template = await compileLetter(s, letterMjml());
    const campaign = campaignOf(s);
    const plain = letterFor(
      campaign,
      template,
      recipientOf({
        email: 'r@example.org',
        group: 'ngo',
        name: 'N',
        title: 'T',
        organisation: 'O',
        salutation: 'S',
      }),
      LINKS,
    );
    const baseMarkup = markup(plain.html);
    const baseHeaders = (await PostalMime.parse(plain.raw!)).headers.map((h) => h.key);
    await fc.assert(
      fc.asyncProperty(
        hostile,
        hostile,
        hostile,
        hostile,
        async (name, title, organisation, salutation) => {
          // Each value starts with a letter: an empty title legitimately drops its address line.
          const r = recipientOf({
            email: 'r@example.org',
            group: 'ngo',
            name: `N${name}`,
            title: `T${title}`,
            organisation: `O${organisation}`,
            salutation: `S${salutation}`,
          });
          const letter = letterFor(campaign, template, r, LINKS);
          expect(markup(letter.html)).toEqual(baseMarkup);
          const mail = await PostalMime.parse(letter.raw!);
          expect(mail.headers.map((h) => h.key)).toEqual(baseHeaders);
          expect(mail.to).toHaveLength(1);
          expect(mail.to![0]!.address).toBe('r@example.org');
          // The name reads back as written (less control characters), never as decoded look-alikes.
          expect(mail.to![0]!.name).toBe(oneLine(`N${name}`));
          expect(mail.subject).toBe(plain.subject);
          expect(letter.text.split('\n')).toHaveLength(plain.text.split('\n').length);
        },
      ),
      { numRuns: 200 },
    );
  });
});
