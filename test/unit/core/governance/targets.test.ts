import { describe, expect, it } from 'vitest';
import { checkTargets, targetWarning } from '../../../../functions/core/governance/targets.js';
import { importRecipients } from '../../../../functions/core/recipients.js';

const NOW = new Date('2026-11-26T12:00:00Z');

describe('targets that stay current', () => {
  it('reads source and lastVerified columns, and names a bad date by line and field', () => {
    const csv = [
      'email,name,group,source,last_verified',
      'a@mfa.example.org,Minister A,minister,https://mfa.example.org/team,2026-10-01',
      'b@mfa.example.org,Minister B,minister,phone call,2026-02-30',
      'c@mfa.example.org,Minister C,minister,,2030-01-01',
      'd@mfa.example.org,Minister D,minister,,01/02/2026',
      'e@ngo.example.org,NGO E,ngo,member list,2026-11-25T10:00:00+01:00',
    ].join('\n');
    const out = importRecipients(csv, 'targets.csv');
    expect(out.recipients.map((r) => [r.email, r.source, r.lastVerified])).toEqual([
      ['a@mfa.example.org', 'https://mfa.example.org/team', '2026-10-01'],
      ['e@ngo.example.org', 'member list', '2026-11-25'],
    ]);
    expect(out.problems).toEqual([
      {
        line: 3,
        field: 'lastVerified',
        message: 'lastVerified "2026-02-30" must be a date such as 2026-03-01',
      },
      { line: 4, field: 'lastVerified', message: 'lastVerified is in the future (2030-01-01)' },
      {
        line: 5,
        field: 'lastVerified',
        message: 'lastVerified "01/02/2026" must be a date such as 2026-03-01',
      },
    ]);
  });

  it('warns about officials verified longer ago than the window or never, not about NGOs', () => {
    const check = checkTargets(
      [
        { email: 'fresh@mfa.example.org', group: 'minister', lastVerified: '2026-10-01' },
        { email: 'old@mfa.example.org', group: 'minister', lastVerified: '2026-01-05' },
        { email: 'never@ec.example.eu', group: 'eu-institution' },
        { email: 'ngo@example.org', group: 'ngo' },
        { email: 'edge@mfa.example.org', group: 'minister', lastVerified: '2026-08-28' },
      ],
      NOW,
    );
    expect(check).toMatchObject({ windowDays: 90, officials: 4, stale: 1, unverified: 1 });
    expect(check.examples.map((e) => e.email)).toEqual([
      'never@ec.example.eu',
      'old@mfa.example.org',
    ]);
    expect(targetWarning(check)).toContain(
      '1 not verified in the last 90 days and 1 never verified',
    );
    expect(
      checkTargets([{ email: 'x@y.org', group: 'minister', lastVerified: '2026-01-05' }], NOW, 365)
        .stale,
    ).toBe(0);
    expect(targetWarning(checkTargets([], NOW))).toBeUndefined();
  });
});
