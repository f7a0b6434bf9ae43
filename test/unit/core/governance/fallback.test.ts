/** Fallback contacts: the CSV column, and what staff read of a recipient's moves. */
import { describe, expect, it } from 'vitest';
import type { CampaignRecipient } from '../../../../functions/core/campaign.js';
import {
  fallbackSummary,
  remainingFallbacks,
} from '../../../../functions/core/governance/fallback.js';
import { contentHash } from '../../../../functions/core/governance/model.js';
import { importRecipients, MAX_FALLBACKS } from '../../../../functions/core/recipients.js';
import type { Statement } from '../../../../functions/core/statement.js';

const HEADER = 'email,name,group,Fallback_Emails';

describe('the fallback_emails column', () => {
  it('refuses a mailto: link among them, saying what is expected', () => {
    const { problems } = importRecipients(
      `${HEADER}\nminister@mfa.example.org,Anna Berg,minister,"MAILTO:Registry@MFA.example.org"\n`,
    );
    expect(problems[0]!.message).toBe(
      'fallbackEmails "MAILTO:Registry@MFA.example.org" is a mailto: link; expected the address alone, such as Registry@MFA.example.org',
    );
  });

  it('reads addresses separated by ; , or spaces, normalised like the primary, repeats dropped', () => {
    const { recipients, problems } = importRecipients(
      `${HEADER}\nminister@mfa.example.org,Anna Berg,minister,"  Registry@MFA.example.org; office@mfa.example.org,office@mfa.example.org  cabinet@mfa.example.org"\n` +
        `info@viasna.example.org,Viasna,ngo,\n`,
    );
    expect(problems).toEqual([]);
    expect(recipients[0]!.fallbackEmails).toEqual([
      'registry@mfa.example.org',
      'office@mfa.example.org',
      'cabinet@mfa.example.org',
    ]);
    expect(recipients[1]).not.toHaveProperty('fallbackEmails');
  });

  it('accepts the column under other common names', () => {
    for (const name of ['fallbacks', 'fallback', 'fallback email', 'Fallback addresses']) {
      const { recipients } = importRecipients(
        `email,name,${name}\na@mfa.example.org,A,b@mfa.example.org\n`,
      );
      expect(recipients[0]!.fallbackEmails, name).toEqual(['b@mfa.example.org']);
    }
  });

  it('skips a row with a bad fallback, naming its line, the column and the address', () => {
    const six = Array.from({ length: MAX_FALLBACKS + 1 }, (_, i) => `o${i}@mfa.example.org`);
    const { recipients, problems } = importRecipients(
      [
        HEADER,
        'a@mfa.example.org,A,minister,registry@mfa.example.org',
        'b@mfa.example.org,B,minister,"registry@mfa.example.org; not-an-address"',
        'c@mfa.example.org,C,minister,C@mfa.example.org',
        `d@mfa.example.org,D,minister,${six.join(';')}`,
        'e@mfa.example.org,E,minister,"x@mfa.example.org\r\nBcc: evil@example.com"',
        '<script>@x,F,minister,',
      ].join('\n'),
    );
    expect(recipients.map((r) => r.email)).toEqual(['a@mfa.example.org']);
    expect(problems).toEqual([
      {
        line: 3,
        field: 'fallbackEmails',
        message:
          'fallbackEmails "not-an-address" is not an email address; expected one such as minister@mfa.example.org',
      },
      {
        line: 4,
        field: 'fallbackEmails',
        message: 'fallbackEmails repeats the primary address c@mfa.example.org',
      },
      { line: 5, field: 'fallbackEmails', message: `fallbackEmails has 6 addresses; at most 5` },
      // A quoted line break: the row is named by the line it starts on, and the one it ends on.
      {
        line: 6,
        endLine: 7,
        field: 'fallbackEmails',
        message: expect.stringMatching(/^fallbackEmails has a line break inside the cell/),
      },
      {
        line: 8,
        field: 'email',
        message:
          'email "<script>@x" is not an email address; expected one such as minister@mfa.example.org',
      },
    ]);
  });
});

describe('moves to a fallback', () => {
  const base = {
    email: 'registry@mfa.example.org',
    fallbackEmails: ['registry@mfa.example.org', 'office@mfa.example.org'],
    attempt: 1,
    state: 'sent' as CampaignRecipient['state'],
    fallbackHistory: [
      {
        attempt: 0,
        email: 'minister@mfa.example.org',
        messageId: 'm1',
        at: '2027-01-05T08:00:05.000Z',
        reason: 'hard bounce: Permanent: General',
        to: 'registry@mfa.example.org',
        toAttempt: 1,
      },
    ],
  };

  it('tries the fallbacks after the current one, never an address already tried', () => {
    expect(remainingFallbacks(base)).toEqual(['office@mfa.example.org']);
    expect(
      remainingFallbacks({
        ...base,
        email: 'minister@mfa.example.org',
        attempt: 0,
        fallbackHistory: [],
      }),
    ).toEqual(base.fallbackEmails);
    expect(remainingFallbacks({ ...base, fallbackEmails: undefined })).toEqual([]);
  });

  it('says which address bounced and where the letter went', () => {
    expect(fallbackSummary(base)).toEqual([
      'primary minister@mfa.example.org bounced (hard bounce: Permanent: General) → sent to fallback 1 registry@mfa.example.org',
    ]);
    expect(fallbackSummary({ ...base, state: 'pending' })[0]).toContain('→ queued for fallback 1');
    expect(fallbackSummary({ ...base, state: 'expired' })[0]).toContain(
      '→ not sent (deadline passed) to fallback 1',
    );
    expect(fallbackSummary({ state: 'sent' })).toEqual([]);
  });
});

describe('fallbacks in the content hash', () => {
  it('a fallback added or changed is a new version; a list without fallbacks hashes as before', () => {
    const statement = { title: 'T' } as unknown as Statement;
    const plain = [{ id: 'r1', email: 'a@mfa.example.org' }];
    const before = contentHash(statement, plain);
    expect(contentHash(statement, [{ ...plain[0]!, fallbackEmails: [] }])).toBe(before);
    const one = contentHash(statement, [{ ...plain[0]!, fallbackEmails: ['b@mfa.example.org'] }]);
    const other = contentHash(statement, [{ ...plain[0]!, fallbackEmails: ['c@mfa.example.org'] }]);
    expect(new Set([before, one, other]).size).toBe(3);
  });
});
