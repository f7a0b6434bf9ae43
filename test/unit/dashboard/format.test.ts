/**
 * The dashboard's pure helpers, run in Node as the page runs them: times with
 * their zone, plain-language labels, the approval state in words, the
 * preview without its pixel, and the page address.
 */
import { describe, expect, it } from 'vitest';
import {
  countdown,
  formatDuration,
  formatWhen,
  localInputToIso,
  zoneCity,
} from '../../../templates/dashboard/src/format/time.js';
import {
  deliveryText,
  matchLabel,
  rate,
  verdictText,
} from '../../../templates/dashboard/src/format/labels.js';
import { approvalFacts } from '../../../templates/dashboard/src/format/approval.js';
import { previewHtml, withoutPixel } from '../../../templates/dashboard/src/format/letter.js';
import { formatRoute, parseRoute } from '../../../templates/dashboard/src/route.js';
import { compileLetter, mergeLetter } from '../../../functions/core/letter.js';
import { parseStatement } from '../../../functions/core/statement.js';
import { exampleStatement, letterMjml } from '../../support/fixtures.js';

describe('times', () => {
  it('are shown with the zone they are in', () => {
    expect(formatWhen('2026-12-14T08:00:00Z', 'Europe/Brussels')).toBe(
      '14 Dec 2026, 09:00 Brussels',
    );
    expect(formatWhen('2026-12-14T08:00:00Z', 'Europe/Brussels', { weekday: true })).toBe(
      'Mon 14 Dec 2026, 09:00 Brussels',
    );
    expect(formatWhen('2026-07-01T08:00:00Z', 'America/New_York')).toBe(
      '1 Jul 2026, 04:00 New York',
    );
    expect(formatWhen('2026-07-01T08:00:00Z', 'UTC')).toBe('1 Jul 2026, 08:00 UTC');
    expect(formatWhen(undefined, 'UTC')).toBe('');
    expect(formatWhen('not a time', 'UTC')).toBe('not a time');
    expect(zoneCity('America/Argentina/Buenos_Aires')).toBe('Buenos Aires');
  });

  it('read a datetime-local value in the zone shown, across daylight-saving changes', () => {
    expect(localInputToIso('2026-12-14T09:00', 'Europe/Brussels')).toBe('2026-12-14T08:00:00.000Z');
    expect(localInputToIso('2026-07-14T09:00', 'Europe/Brussels')).toBe('2026-07-14T07:00:00.000Z');
    // The morning after the spring change (29 March 2026, 02:00 → 03:00).
    expect(localInputToIso('2026-03-29T09:00', 'Europe/Brussels')).toBe('2026-03-29T07:00:00.000Z');
    expect(localInputToIso('2026-03-28T09:00', 'Europe/Brussels')).toBe('2026-03-28T08:00:00.000Z');
    expect(localInputToIso('2026-07-14T09:00', 'UTC')).toBe('2026-07-14T09:00:00.000Z');
    expect(localInputToIso('', 'UTC')).toBeUndefined();
  });

  it('count down to the deadline, and say when it has passed', () => {
    const now = Date.parse('2026-12-08T06:58:55Z');
    expect(countdown('2026-12-14T08:00:00Z', now)).toBe('6 d 1 h 1 min 5 s until the deadline');
    expect(countdown('2026-12-14T08:00:00Z', Date.parse('2026-12-15T00:00:00Z'))).toBe(
      'The deadline has passed.',
    );
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000 + 5)).toBe('3 d 4 h');
    expect(formatDuration(125 * 60_000)).toBe('2 h 5 min');
  });
});

describe('labels', () => {
  it('say how a reply was matched in plain words', () => {
    expect(matchLabel({ by: 'token', strength: 'strong' })).toBe('signed reply address');
    expect(matchLabel({ by: 'message-id', strength: 'strong' })).toBe('answers our message');
    expect(matchLabel({ by: 'sender', strength: 'weak' })).toBe('same sender address, unverified');
    expect(matchLabel({ by: 'none', strength: 'none' })).toBe('not matched to a recipient');
    expect(matchLabel(undefined)).toBe('not matched to a recipient');
    expect(verdictText({ spf: 'PASS', dkim: 'FAIL' })).toBe('SPF pass, DKIM fail');
  });

  it('say where each letter is', () => {
    const z = 'Europe/Brussels';
    expect(deliveryText({ state: 'sent', deliveryState: 'delivered' }, z)).toBe('delivered');
    expect(deliveryText({ state: 'sent' }, z)).toBe('sent, no delivery report yet');
    expect(deliveryText({ state: 'sent', deliveryState: 'bouncedHard' }, z)).toMatch(
      /^bounced \(hard/,
    );
    expect(deliveryText({ state: 'held', holdUntil: '2026-12-14T07:00:00Z' }, z)).toBe(
      'held until 14 Dec 2026, 08:00 Brussels',
    );
    expect(deliveryText({ state: 'failed', failure: 'MessageRejected' }, z)).toBe(
      'failed: MessageRejected',
    );
    expect(
      deliveryText(
        { state: 'sent', deliveryState: 'delivered', attempt: 1, unsubscribedAt: 'x' },
        z,
      ),
    ).toBe('delivered; sent to fallback address 1; unsubscribed');
    expect(rate(1, 3)).toBe('33 %');
    expect(rate(1, 300)).toBe('0.3 %');
    expect(rate(0, 0)).toBe('–');
  });
});

describe('the approval state in words', () => {
  const v1 = { number: 1, hash: 'a'.repeat(64), author: 'alice', authorEmail: 'alice@example.org' };
  it('names who is still needed by email, and tells the author (by sub) to ask a colleague', () => {
    const facts = approvalFacts({ versions: [v1], approvals: [], mode: 'two-person' }, 'alice');
    expect(facts.satisfied).toBe(false);
    expect(facts.canApprove).toBe(false);
    expect(facts.text).toBe(
      'Version 1 (aaaaaaaaaaaa) by alice@example.org is not approved yet. Still needed: a campaigner other than alice@example.org approves this version. You wrote it, so ask a colleague.',
    );
    const other = approvalFacts({ versions: [v1], approvals: [], mode: 'two-person' }, 'bob');
    expect(other.canApprove).toBe(true);
    expect(other.text).toMatch(/You can approve it here\.$/);
  });

  it('counts only an approval of the current version, and not the author’s own in two-person mode', () => {
    const v2 = { ...v1, number: 2, hash: 'b'.repeat(64) };
    const facts = approvalFacts(
      {
        versions: [v1, v2],
        approvals: [
          { approver: 'bob', approverEmail: 'bob@example.org', hash: v1.hash },
          { approver: 'alice', approverEmail: 'alice@example.org', hash: v2.hash },
        ],
        mode: 'two-person',
      },
      undefined,
    );
    expect(facts.satisfied).toBe(false);
    const ok = approvalFacts(
      {
        versions: [v1, v2],
        approvals: [{ approver: 'bob', approverEmail: 'bob@example.org', hash: v2.hash }],
        mode: 'two-person',
      },
      undefined,
    );
    expect(ok.satisfied).toBe(true);
    expect(ok.text).toBe(
      'Version 2 (bbbbbbbbbbbb) by alice@example.org, approved by bob@example.org. It can be scheduled or launched.',
    );
  });
});

describe('the letter preview', () => {
  it('takes out the open pixel our renderer puts in a letter, and nothing else', async () => {
    const template = await compileLetter(
      parseStatement(exampleStatement(), 'statement.md'),
      letterMjml(),
    );
    const values = { salutation: 'Dear Ana,', name: 'Ana', title: '', organisation: '' };
    const pixelUrl = 'https://demarche.example.org/t/o/Y2FtcGFpZ24.cmVjaXBpZW50.bWFj.gif';
    const tracked = mergeLetter(template, values, {
      webUrl: 'https://demarche.example.org/w/x',
      pixelUrl,
    });
    const untracked = mergeLetter(template, values, { webUrl: 'https://demarche.example.org/w/x' });
    expect(tracked.html).toContain(pixelUrl);
    expect(withoutPixel(tracked.html)).not.toContain('/t/o/');
    expect(withoutPixel(tracked.html)).toBe(untracked.html);
    expect(withoutPixel(untracked.html)).toBe(untracked.html);
    // Links open nowhere: a new window, which the sandbox refuses.
    const shown = previewHtml(tracked.html);
    expect(shown).toMatch(/<head[^>]*><base target="_blank">/);
    expect(shown).not.toContain('/t/o/');
  });
});

describe('the page address', () => {
  it('parses and formats campaign tabs with their filters', () => {
    const r = parseRoute('#/c/c2026abc/approval?delivery=bouncedHard&at=recipients');
    expect(r).toEqual({
      page: 'campaign',
      id: 'c2026abc',
      tab: 'approval',
      params: { delivery: 'bouncedHard', at: 'recipients' },
    });
    expect(formatRoute(r)).toBe('#/c/c2026abc/approval?delivery=bouncedHard&at=recipients');
    expect(parseRoute('#/c/c1')).toEqual({
      page: 'campaign',
      id: 'c1',
      tab: 'overview',
      params: {},
    });
    expect(formatRoute({ page: 'campaign', id: 'c1', tab: 'overview', params: {} })).toBe('#/c/c1');
    expect(parseRoute('#/c/../../etc')).toEqual({ page: 'list' });
    expect(parseRoute('')).toEqual({ page: 'list' });
  });
});
