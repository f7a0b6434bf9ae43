/**
 * Sign-on after the send-out, pure: who is owed a copy or a summary, when
 * sign-on closes itself, the copy of the letter (the letter itself, a note,
 * nothing that tracks), the summary (institutions, never people), and the
 * open-letter page (shown only when on and sent; any name escaped).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileLetters } from '../../../../functions/core/letter.js';
import { oneLine } from '../../../../functions/core/html.js';
import type { ReportModel } from '../../../../functions/core/report/model.js';
import {
  copyMail,
  owedMail,
  sentOut,
  signatoryLanguage,
  summaryDue,
  summaryMail,
  SUMMARY_NAMES,
} from '../../../../functions/core/signon/after-send.js';
import { closingDue } from '../../../../functions/core/signon/lock.js';
import type { Signatory, SignonSettings } from '../../../../functions/core/signon/model.js';
import { openLetterPage, openLetterShown } from '../../../../functions/core/signon/open-letter.js';
import { letterMjml } from '../../../support/fixtures.js';
import { hostile, markup } from '../../../support/hostile.js';
import { campaignOf, exampleWithTranslations } from '../letter-support.js';

const sig = (over: Partial<Signatory>): Signatory => ({
  campaignId: 'c1',
  id: 's1',
  name: 'Promo-LEX',
  country: 'MD',
  orgType: 'ngo',
  contactName: 'Ion Manole',
  contactEmail: 'ion@promolex.example.org',
  consent: 'yes',
  language: 'en',
  state: 'approved',
  displayName: 'Promo-LEX',
  invite: 'public',
  submittedAt: '2027-01-01T00:00:00Z',
  confirmedAt: '2027-01-01T00:10:00Z',
  ...over,
});

const settings = (over: Partial<SignonSettings> = {}): SignonSettings => ({
  campaignId: 'c1',
  state: 'open',
  closesAt: '2027-02-01T12:00:00Z',
  inviteKey: 'k',
  openedAt: '2027-01-01T00:00:00Z',
  openedBy: 'alice',
  languages: ['en'],
  ...over,
});

describe('who is owed what', () => {
  it('only approved, confirmed, not erased signatories not yet claimed', () => {
    const list = [
      sig({ id: 'ok' }),
      sig({ id: 'pending', state: 'pending', confirmedAt: undefined }),
      sig({ id: 'confirmed', state: 'confirmed' }),
      sig({ id: 'rejected', state: 'rejected' }),
      sig({ id: 'erased', contactEmail: '', contactErasedAt: '2027-01-02T00:00:00Z' }),
      sig({ id: 'copied', copyAt: '2027-03-01T00:00:00Z' }),
    ];
    expect(owedMail(list, 'copy').map((s) => s.id)).toEqual(['ok']);
    expect(owedMail(list, 'summary').map((s) => s.id)).toEqual(['ok', 'copied']);
  });

  it('after a real send-out only: completed or expired after a launch, never a dry run', () => {
    const at = { launchedAt: '2027-03-01T00:00:00Z', dryRun: false };
    expect(sentOut({ status: 'completed', ...at })).toBe(true);
    expect(sentOut({ status: 'expired', ...at })).toBe(true);
    expect(sentOut({ status: 'sending', ...at })).toBe(false);
    expect(sentOut({ status: 'expired', dryRun: false })).toBe(false);
    expect(sentOut({ status: 'completed', ...at, dryRun: true })).toBe(false);
    const c = {
      status: 'completed' as const,
      ...at,
      statement: { deadline: '2027-03-15T08:00:00Z' },
    };
    expect(summaryDue(c, new Date('2027-03-15T07:59:59Z'))).toBe(false);
    expect(summaryDue(c, new Date('2027-03-15T08:00:00Z'))).toBe(true);
  });

  it('sign-on closes itself once its closing time has come, and only when open', () => {
    expect(closingDue(settings(), new Date('2027-02-01T11:59:59Z'))).toBe(false);
    expect(closingDue(settings(), new Date('2027-02-01T12:00:00Z'))).toBe(true);
    expect(closingDue(settings({ state: 'closed' }), new Date('2027-03-01T00:00:00Z'))).toBe(false);
    expect(closingDue(undefined, new Date())).toBe(false);
  });
});

describe('the copy of the letter', async () => {
  const statement = exampleWithTranslations();
  const campaign = campaignOf(statement, {
    status: 'completed',
    launchedAt: '2027-03-01T08:00:00Z',
    recipientCount: 214,
  });
  const templates = await compileLetters(statement, letterMjml());

  it('is the letter in the contact’s language, with the note and no tracking or unsubscribe', () => {
    const s = sig({ language: 'fr-BE', contactName: 'Nasta Loika', displayName: 'Viasna' });
    const lang = signatoryLanguage(campaign, s);
    expect(lang).toBe('fr');
    const mail = copyMail(
      campaign,
      templates.find((t) => t.language === lang)!,
      s,
      {
        sent: 214,
        sentAt: campaign.launchedAt!,
        privacyUrl: 'https://t.demarche.example.org/privacy',
        openLetterUrl: 'https://t.demarche.example.org/s/o/c1.abc',
      },
    );
    expect(mail.to).toBe(s.contactEmail);
    expect(mail.subject).toMatch(/^Copie : /);
    expect(mail.text).toMatch(/^Voici votre copie de la lettre que Viasna a cosignée\./);
    expect(mail.text).toContain('le 1 mars 2027 à 214 destinataires');
    expect(mail.text).toContain('https://t.demarche.example.org/s/o/c1.abc');
    expect(mail.html.indexOf('Voici votre copie')).toBeLessThan(
      mail.html.indexOf(
        statement.translations!.find((t) => t.language === 'fr')!.title.slice(0, 20),
      ),
    );
    expect(mail.html).not.toMatch(/\/(t\/o|t\/c|u|w)\//);
    expect(mail.tags).toEqual({ signon: campaign.id });
  });

  it('escapes any contact or organisation name', () => {
    fc.assert(
      fc.property(hostile, hostile, (person, org) => {
        const template = templates[0]!;
        const clean = copyMail(campaign, template, sig({}), {
          sent: 1,
          sentAt: campaign.launchedAt!,
        });
        const mail = copyMail(
          campaign,
          template,
          // A name that is empty once on one line (the letter's rule) is one sign-on refuses.
          sig({ contactName: oneLine(person) || 'x', displayName: oneLine(org) || 'y' }),
          {
            sent: 1,
            sentAt: campaign.launchedAt!,
          },
        );
        expect(markup(mail.html)).toEqual(markup(clean.html));
      }),
      { numRuns: 60 },
    );
  });
});

describe('the delivery summary', () => {
  const statement = exampleWithTranslations();
  const row = (organisation: string | undefined, delivered: boolean, i: number) => ({
    id: `r${i}`,
    name: `Person ${i}`,
    email: `p${i}@gov.example.org`,
    state: 'sent' as const,
    opensTracked: false,
    ...(organisation ? { organisation } : {}),
    ...(delivered ? { deliveredAt: '2027-03-01T08:01:00Z' } : {}),
    replies: [],
  });
  const ministries = Array.from({ length: SUMMARY_NAMES + 5 }, (_, i) =>
    row(`Ministry ${String(i).padStart(2, '0')}`, true, i),
  );
  const report = {
    campaign: campaignOf(statement, { status: 'completed', recipientCount: 68 }),
    summary: { recipients: 68, sent: 68, delivered: 66 },
    firstSentAt: '2027-03-01T08:00:00Z',
    lastSentAt: '2027-03-02T08:00:00Z',
    groups: [
      { group: 'minister', letters: 65, countries: [{ country: 'FR', rows: ministries }] },
      {
        group: 'ngo',
        letters: 3,
        countries: [
          {
            country: 'RO',
            rows: [
              row('Civic Forum', true, 90),
              row(undefined, false, 91),
              row('Civic Forum', false, 92),
            ],
          },
        ],
      },
    ],
  } as unknown as ReportModel;

  it('counts by type and names institutions, never people, with the rest counted', () => {
    const mail = summaryMail(report, sig({}));
    expect(mail.subject).toMatch(/^Delivered: /);
    expect(mail.text).toContain('66 of 68 letters sent were delivered (68 recipients in all).');
    expect(mail.text).toContain('the letters went out from 1 March 2027 to 2 March 2027.');
    expect(mail.text).toContain('Ministers and governments: 65 of 65 delivered');
    expect(mail.text).toContain('- Ministry 00');
    expect(mail.text).not.toContain(`- Ministry ${SUMMARY_NAMES}`);
    expect(mail.text).toContain('- and 5 more');
    expect(mail.text).toContain('Member organisations: 1 of 3 delivered\n- Civic Forum\n');
    expect(mail.text).not.toMatch(/Person \d|@gov\.example\.org/);
  });

  it('in French for a French contact', () => {
    const mail = summaryMail(report, sig({ language: 'fr' }));
    expect(mail.subject).toMatch(/^Remise : /);
    expect(mail.text).toContain('Ministres et gouvernements : 65 sur 65 remises');
  });
});

describe('the open-letter page', () => {
  const statement = exampleWithTranslations();
  const sent = { status: 'completed' as const, launchedAt: '2027-03-01T08:00:00Z', dryRun: false };

  it('is shown only when on and sent', () => {
    const on = settings({ openLetter: { on: true, at: 'x', by: 'alice' } });
    expect(openLetterShown(sent, on)).toBe(true);
    expect(openLetterShown(sent, settings())).toBe(false);
    expect(
      openLetterShown(sent, settings({ openLetter: { on: false, at: 'x', by: 'alice' } })),
    ).toBe(false);
    expect(openLetterShown({ ...sent, status: 'sending' }, on)).toBe(false);
    expect(openLetterShown({ status: 'draft', dryRun: false }, on)).toBe(false);
    expect(openLetterShown(sent, undefined)).toBe(false);
  });

  it('escapes any signatory name and has no script', () => {
    const page = (name: string, latin?: string) =>
      openLetterPage({
        language: 'en',
        statement: {
          ...statement,
          cosign: { signatories: [{ name, ...(latin ? { latin } : {}), country: 'BY' }] },
        },
        coalition: statement.from.name,
        sentAt: sent.launchedAt,
        recipients: 214,
        alternatives: [{ language: 'fr', href: '/s/o/x?lang=fr' }],
      });
    const clean = markup(page('Viasna', 'Viasna'));
    fc.assert(
      fc.property(hostile, hostile, (name, latin) => {
        const html = page(name || 'x', latin || 'y');
        expect(markup(html)).toEqual(clean);
        expect(html).not.toMatch(/<script/i);
      }),
      { numRuns: 80 },
    );
    expect(page('Viasna')).toContain('Co-signed by 1 organisation');
    expect(page('Viasna')).toContain('Sent on 1 March 2027 to 214 recipients.');
  });
});
