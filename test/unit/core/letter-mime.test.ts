import fc from 'fast-check';
import PostalMime from 'postal-mime';
import { isBase64Skeleton, mimeParts } from '../../../functions/core/mime.js';
import { describe, expect, it } from 'vitest';
import { letterFor } from '../../../functions/core/compose.js';
import { compileLetter, compileLetters } from '../../../functions/core/letter.js';
import { verifyRingToken } from '../../../functions/core/tokens.js';
import { letterMjml } from '../../support/fixtures.js';
import { campaignOf, exampleWithTranslations, LINKS, recipientOf } from './letter-support.js';

const statement = exampleWithTranslations();
const templates = await compileLetters(statement, letterMjml());
const campaign = campaignOf(statement);
const en = templates.find((t) => t.language === 'en')!;
const header = (mail: { headers: { key: string; value: string }[] }, key: string) =>
  mail.headers.filter((h) => h.key === key).map((h) => h.value);

describe('the raw message', () => {
  it('is a multipart/alternative message with the same HTML and text, and the headers mail clients need', async () => {
    const r = recipientOf({
      email: 'minister@mfa.example.se',
      name: 'Åsa Lindqvist',
      title: 'Minister',
    });
    const letter = letterFor(campaign, en, r, LINKS, { now: new Date('2027-03-01T10:00:00Z') });
    const mail = await PostalMime.parse(letter.raw!);
    expect(mail.html).toBe(letter.html);
    expect(mail.text).toBe(letter.text);
    expect(mail.subject).toBe(statement.subject);
    expect(mail.from).toEqual({
      name: 'Civic Space Coalition',
      address: 'campaigns@demarche.example.org',
    });
    expect(mail.to).toEqual([{ name: 'Åsa Lindqvist', address: 'minister@mfa.example.se' }]);
    expect(mail.replyTo).toEqual([{ name: '', address: letter.replyTo }]);
    expect(header(mail, 'date')).toEqual(['Mon, 01 Mar 2027 10:00:00 +0000']);
    expect(mail.messageId).toMatch(/^<[0-9a-f-]{36}@demarche\.example\.org>$/);
    expect(header(mail, 'content-language')).toEqual(['en']);
    expect(header(mail, 'mime-version')).toEqual(['1.0']);
    // Every line of the message is within the RFC 5322 limit and plain ASCII.
    for (const line of letter.raw!.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
    expect(/^[\x00-\x7f]*$/.test(letter.raw!)).toBe(true);
  });

  it('encodes names in any script as RFC 2047 words, and decodes back to the same text', async () => {
    const names = [
      'Святлана Ціханоўская',
      'Jean-Noël Barrot',
      '王毅',
      'مريم',
      'Zoë "the" O\'Brien, Jr.',
    ];
    for (const name of names) {
      const letter = letterFor(campaign, en, recipientOf({ email: 'x@example.org', name }), LINKS);
      const mail = await PostalMime.parse(letter.raw!);
      expect(mail.to).toEqual([{ name, address: 'x@example.org' }]);
      expect(mail.html).toContain(name.replace(/"/g, '&quot;').replace(/'/g, '&#39;'));
    }
    const fr = templates.find((t) => t.language === 'fr')!;
    const mail = await PostalMime.parse(
      letterFor(campaign, fr, recipientOf({ email: 'x@example.org' }), LINKS).raw!,
    );
    expect(mail.subject).toBe(statement.translations!.find((t) => t.language === 'fr')!.subject);
  });

  it('gives NGO members a one-click unsubscribe (RFC 8058) and officials a reply path without one', async () => {
    const ngo = letterFor(
      campaign,
      en,
      recipientOf({ email: 'm@ngo.example.org', group: 'ngo', organisation: 'Viasna' }),
      LINKS,
    );
    const mail = await PostalMime.parse(ngo.raw!);
    const [list] = header(mail, 'list-unsubscribe');
    expect(list).toMatch(/^<https:\/\/t\.demarche\.example\.org\/u\/[^>]+>$/);
    const token = list!.slice(1, -1).split('/u/')[1]!;
    expect(verifyRingToken(LINKS.keys, 'unsubscribe', token, 2)).toEqual([
      campaign.id,
      ngo.tags.recipient,
    ]);
    expect(header(mail, 'list-unsubscribe-post')).toEqual(['List-Unsubscribe=One-Click']);
    expect(ngo.html).toContain(`href="${list!.slice(1, -1)}"`);
    expect(ngo.text).toContain(`Unsubscribe: ${list!.slice(1, -1)}`);

    const minister = letterFor(
      campaign,
      en,
      recipientOf({ email: 'min@mfa.example.org', title: 'Minister' }),
      LINKS,
    );
    const mm = await PostalMime.parse(minister.raw!);
    expect(header(mm, 'list-unsubscribe')).toEqual([]);
    expect(minister.html).not.toContain('/u/');
    expect(mm.replyTo![0]).toMatchObject({
      address: expect.stringMatching(/^reply\+.+@replies\.demarche\.example\.org$/),
    });
    expect(minister.text).toContain('your reply reaches the coalition directly');
  });

  it('puts the pixel and click redirects in members’ letters, in link order, and none in officials’', () => {
    expect(en.links).toEqual(['https://civic-space.example.org/recommendations']);
    const member = letterFor(
      campaign,
      en,
      recipientOf({ email: 'm@ngo.example.org', group: 'ngo' }),
      LINKS,
    );
    expect(member.html).toMatch(
      /<img src="https:\/\/t\.demarche\.example\.org\/t\/o\/[^"]+\.gif" width="1" height="1" alt=""/,
    );
    const click = /href="(https:\/\/t\.demarche\.example\.org\/t\/c\/[^"]+)"/.exec(
      member.html,
    )![1]!;
    expect(verifyRingToken(LINKS.keys, 'click', click.split('/t/c/')[1]!, 3)).toEqual([
      campaign.id,
      member.tags.recipient,
      '0',
    ]);
    expect(member.text).toContain(`our website <${click}>`);
    expect(member.html).not.toContain('href="https://civic-space.example.org/recommendations"');

    const minister = letterFor(campaign, en, recipientOf({ email: 'min@mfa.example.org' }), LINKS);
    expect(minister.html).not.toContain('/t/o/');
    expect(minister.html).not.toContain('<img');

    const quiet = campaignOf(statement, { tracking: { opens: false, clicks: false } });
    const untracked = letterFor(
      quiet,
      en,
      recipientOf({ email: 'm@ngo.example.org', group: 'ngo' }),
      LINKS,
    );
    expect(untracked.html).not.toContain('/t/');
    expect(untracked.html).toContain('href="https://civic-space.example.org/recommendations"');
    const asked = campaignOf(statement, { tracking: { groups: { minister: { opens: true } } } });
    expect(
      letterFor(asked, en, recipientOf({ email: 'min@mfa.example.org' }), LINKS).html,
    ).toContain('/t/o/');
  });

  it('carries a signed "view in browser" link in both parts', () => {
    const letter = letterFor(campaign, en, recipientOf({ email: 'min@mfa.example.org' }), LINKS);
    const url =
      /href="(https:\/\/t\.demarche\.example\.org\/w\/[^"]+)"[^>]*>View this letter in your browser/.exec(
        letter.html,
      )![1]!;
    expect(verifyRingToken(LINKS.keys, 'web', url.split('/w/')[1]!, 2)).toEqual([
      campaign.id,
      letter.tags.recipient,
    ]);
    expect(letter.text).toContain(`View this letter in your browser: ${url}`);
  });

  it('marks a test letter in a header', async () => {
    const t = await compileLetter(statement, letterMjml());
    const letter = letterFor(campaign, t, recipientOf({ email: 'me@example.org' }), LINKS, {
      test: true,
    });
    expect(header(await PostalMime.parse(letter.raw!), 'x-demarche-test')).toEqual(['yes']);
  });
});

describe('the address block', () => {
  it('leaves out the lines a row does not have', () => {
    const letter = letterFor(
      campaign,
      en,
      recipientOf({
        email: 'm@ngo.example.org',
        group: 'ngo',
        name: 'Oksana Kovalenko',
        organisation: 'HRMC',
      }),
      LINKS,
    );
    expect(letter.html).toContain('Oksana Kovalenko<br />HRMC</div>');
    expect(letter.text).toContain('Oksana Kovalenko\nHRMC\n\nDear colleagues at HRMC,');
  });

  it('bodies are quoted-printable: any values decode back exactly, no line over 76', async () => {
    expect(isBase64Skeleton(en.mime!)).toBe(false);
    const value = fc.string({ unit: 'grapheme', maxLength: 120 });
    await fc.assert(
      fc.asyncProperty(value, value, value, async (name, title, organisation) => {
        const r = recipientOf({ email: 'p@example.org', name, title, organisation });
        const letter = letterFor(campaign, en, r, LINKS);
        const mail = await PostalMime.parse(letter.raw!);
        expect(mail.html).toBe(letter.html);
        expect(mail.text).toBe(letter.text);
        const body = letter.raw!.slice(letter.raw!.indexOf('quoted-printable'));
        for (const line of body.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
      }),
      { numRuns: 60 },
    );
    // Pieces ending in spaces, "=", line ends or nothing join without changing a character.
    const pieces = ['Dear ', 'Ana =', ' x=y \n', '', 'end  '];
    const parsed = await PostalMime.parse(
      `Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${mimeParts(pieces)}\r\n`,
    );
    expect(parsed.text).toBe(pieces.join(''));
  });
});
