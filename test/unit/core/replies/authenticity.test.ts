import { describe, expect, it } from 'vitest';
import {
  aligned,
  judgeAuthenticity,
  parseAuthResults,
  trustedAuthResults,
} from '../../../../functions/core/replies/authenticity.js';
import { effectsOf, matchLabel } from '../../../../functions/core/replies/effects.js';
import { readFields } from '../../../../functions/core/replies/mime/headers.js';
import type { Reply } from '../../../../functions/core/replies/types.js';
import { visible } from '../../../../functions/core/replies/visible.js';

const fields = (s: string) => readFields(Buffer.from(s.replace(/\n/g, '\r\n')));

/** The lines SES puts on top of a message it received, then the sender's own. */
const SES_TOP = `Return-Path: <office@mfa.example.gov.hr>
Received: from mail.mfa.example.gov.hr by inbound-smtp.eu-west-1.amazonaws.com with SMTP id abc
X-SES-Spam-Verdict: PASS
X-SES-Virus-Verdict: PASS
Received-SPF: pass (spfCheck: domain of mfa.example.gov.hr designates 192.0.2.1 as permitted sender)
Authentication-Results: amazonses.com;
 spf=pass (spfCheck: domain of mfa.example.gov.hr designates 192.0.2.1 as permitted sender) smtp.mailfrom=office@mfa.example.gov.hr;
 dkim=pass header.i=@mail.mfa.example.gov.hr;
 dmarc=none header.from=mfa.example.gov.hr;
X-SES-RECEIPT: AEFBQUFBQUFBQUFH
`;

describe("the receiving server's authentication results", () => {
  it('reads the first Authentication-Results when only receiver lines stand above it', () => {
    const value = trustedAuthResults(fields(`${SES_TOP}From: office@mfa.example.gov.hr\n`));
    expect(parseAuthResults(value!).results.map((r) => [r.method, r.result])).toEqual([
      ['spf', 'pass'],
      ['dkim', 'pass'],
      ['dmarc', 'none'],
    ]);
  });

  it('ignores one a sender wrote: below X-SES-RECEIPT, under another server name, or below the sender’s own lines', () => {
    const forged =
      'Authentication-Results: amazonses.com; dkim=pass header.i=@mfa.example.gov.hr; dmarc=pass\n';
    const noSes = SES_TOP.replace(/Authentication-Results:[\s\S]*?(?=X-SES-RECEIPT)/, '');
    expect(trustedAuthResults(fields(`${noSes}${forged}From: x@y.example\n`))).toBeUndefined();
    expect(
      trustedAuthResults(
        fields(`Authentication-Results: mx.attacker.example; dkim=pass\n${SES_TOP}`),
      ),
    ).toBeUndefined();
    expect(trustedAuthResults(fields(`From: x@y.example\n${forged}`))).toBeUndefined();
  });

  it('authenticates a sender by DMARC pass, or by a passing DKIM signature of the From domain’s organisation', () => {
    const ar = trustedAuthResults(fields(SES_TOP))!;
    const verdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'GRAY' };
    const ok = judgeAuthenticity({ verdicts, authResults: ar, from: 'office@mfa.example.gov.hr' });
    expect(ok).toMatchObject({
      senderAuthenticated: true,
      dkimDomains: ['mail.mfa.example.gov.hr'],
      fromDomain: 'mfa.example.gov.hr',
    });
    expect(ok.summary).toMatch(
      /^sender authenticated: DMARC gray · DKIM pass \(mail\.mfa\.example\.gov\.hr, aligned/,
    );
    // Another organisation's signature does not vouch for this From.
    expect(
      judgeAuthenticity({ verdicts, authResults: ar, from: 'minister@mvep.example.hr' })
        .senderAuthenticated,
    ).toBe(false);
    // The header's domains count only when the receipt says DKIM passed.
    expect(
      judgeAuthenticity({
        verdicts: { ...verdicts, dkim: 'FAIL' },
        authResults: ar,
        from: 'office@mfa.example.gov.hr',
      }).senderAuthenticated,
    ).toBe(false);
    expect(
      judgeAuthenticity({ verdicts: { ...verdicts, dmarc: 'PASS' }, from: 'a@b.example' })
        .senderAuthenticated,
    ).toBe(true);
    expect(judgeAuthenticity({ from: 'a@b.example' })).toMatchObject({
      checkedBy: 'not checked',
      senderAuthenticated: false,
    });
  });

  it('aligns by organisational domain, public suffixes included', () => {
    expect(aligned('mail.mfa.example.gov.hr', 'mfa.example.gov.hr')).toBe(true);
    expect(aligned('press.example.org', 'mail.example.org')).toBe(true);
    expect(aligned('gov.uk', 'fco.gov.uk')).toBe(false);
    expect(aligned('example.org', 'example.net')).toBe(false);
  });
});

const base: Reply = {
  id: 'r1',
  campaignId: 'c1',
  recipientId: 'p1',
  receivedAt: '2026-11-26T10:00:00.000Z',
  envelopeTo: [],
  match: { by: 'token', strength: 'strong', detail: '' },
  kind: 'human',
  reasons: [],
  text: 'Yes.',
  attachments: [],
  raw: { key: 'inbound/x', size: 1, sha256: '' },
};

describe('what a reply may change', () => {
  it('counts only a strong person’s reply; a weak one is noted unconfirmed; rejected and malformed change nothing', () => {
    expect(effectsOf(base, 'a@b.example')).toMatchObject({ mark: 'replied', forward: true });
    expect(effectsOf({ ...base, kind: 'forward' }, 'a@b.example')).toMatchObject({
      mark: 'note',
      forward: false,
    });
    const weak = {
      ...base,
      match: {
        by: 'sender' as const,
        strength: 'weak' as const,
        detail: '',
        senderAuthenticated: true,
      },
    };
    expect(effectsOf(weak, 'a@b.example')).toMatchObject({
      mark: 'weak',
      timeline: expect.stringMatching(/unconfirmed, not counted/),
    });
    expect(matchLabel(weak)).toMatch(/^weak match, unconfirmed/);
    expect(matchLabel({ ...weak, match: { ...weak.match, confirmedBy: 'carla' } })).toMatch(
      /^weak match confirmed by carla/,
    );
    for (const kind of ['rejected', 'malformed'] as const)
      expect(effectsOf({ ...base, kind }, 'a@b.example')).toEqual({ mark: 'none', forward: false });
  });

  it('lets a DSN add a timeline note only with a strong match from a null or mailer-daemon sender, and never count', () => {
    const dsn: Reply = {
      ...base,
      kind: 'bounce',
      from: { name: '', address: 'mailer-daemon@mx.example.org' },
    };
    expect(effectsOf(dsn, 'x@y.example')).toMatchObject({
      mark: 'none',
      timeline: expect.stringMatching(/a note only/),
    });
    expect(
      effectsOf({ ...dsn, from: { name: '', address: 'minister@mfa.example.org' } }, ''),
    ).toMatchObject({ mark: 'none', timeline: expect.any(String) });
    expect(
      effectsOf(
        { ...dsn, from: { name: '', address: 'minister@mfa.example.org' } },
        'minister@mfa.example.org',
      ),
    ).toEqual({ mark: 'none', forward: false });
    expect(
      effectsOf(
        {
          ...dsn,
          match: { by: 'sender', strength: 'weak', detail: '', senderAuthenticated: true },
        },
        '',
      ),
    ).toEqual({ mark: 'none', forward: false });
  });
});

describe('names shown from a message', () => {
  it('marks bidi overrides, zero-width and control characters visibly', () => {
    expect(visible('invoice\u202efdp.exe')).toBe('invoice⟨U+202E⟩fdp.exe');
    expect(visible('A\u200bB\u0007C\u2066D')).toBe('A⟨U+200B⟩B⟨U+0007⟩C⟨U+2066⟩D');
    expect(visible('Line\r\nbreak')).toBe('Line break');
    expect(visible('مرحبا Café')).toBe('مرحبا Café');
  });
});
