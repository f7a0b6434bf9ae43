import { describe, expect, it } from 'vitest';
import {
  classify,
  MACHINE_RULES,
  type Sighting,
} from '../../../../functions/core/events/machine.js';

const T0 = Date.parse('2027-01-05T08:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const arrivedAt = at(0);
const HOUR = 3_600_000;
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36';
const GMAIL =
  'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';
const YAHOO = 'YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html';

const open = (ms: number, s: Partial<Sighting>): Sighting => ({
  type: 'open',
  at: at(ms),
  arrivedAt,
  userAgent: CHROME,
  ...s,
});
const click = (ms: number, s: Partial<Sighting> = {}): Sighting => ({
  ...open(ms, s),
  type: 'click',
});

/** Per rule: sightings it must decide, and near misses it must leave alone. */
const CASES: Record<string, { match: Sighting[]; miss: Sighting[] }> = {
  'apple-mpp': {
    match: [
      open(HOUR, { ip: '17.58.1.2' }),
      open(HOUR, { ip: '198.51.100.1', userAgent: 'Mozilla/5.0' }),
    ],
    miss: [open(HOUR, { ip: '18.58.1.2' }), click(HOUR, { ip: '17.58.1.2' })],
  },
  'google-image-proxy': {
    // Whatever its delay after delivery, by user agent or by Google's address ranges.
    match: [
      open(1_000, { userAgent: GMAIL }),
      open(HOUR, { userAgent: GMAIL }),
      open(30 * 24 * HOUR, { userAgent: GMAIL }),
      open(HOUR, { ip: '66.249.84.137' }),
      open(HOUR, { ip: '74.125.151.10' }),
      open(HOUR, { ip: '2a00:1450:4013:c01::84' }),
    ],
    miss: [open(HOUR, { ip: '8.8.8.8' }), open(HOUR, { ip: '2a00:1451::1' })],
  },
  'yahoo-prefetch': {
    match: [open(2_000, { userAgent: YAHOO })],
    miss: [open(HOUR, { userAgent: YAHOO })],
  },
  'yahoo-open': {
    match: [open(HOUR, { userAgent: YAHOO })],
    miss: [open(HOUR, {})],
  },
  'no-user-agent': {
    match: [
      open(HOUR, { userAgent: '' }),
      click(HOUR, { userAgent: '  ' }),
      open(HOUR, { userAgent: undefined }),
    ],
    miss: [open(HOUR, {})],
  },
  'known-bot': {
    match: [
      open(HOUR, {
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/130.0 Safari/537.36',
      }),
      click(HOUR, { userAgent: 'python-requests/2.32.3' }),
    ],
    miss: [click(HOUR, {})],
  },
  'scanner-click': {
    match: [click(2_000), click(-500), click(14_000)],
    miss: [click(600_000), open(2_000, {})],
  },
};

describe('machine rules', () => {
  it('has a test case for every rule, and no case for a rule that does not exist', () => {
    expect(Object.keys(CASES).sort()).toEqual(MACHINE_RULES.map((r) => r.id).sort());
  });

  for (const rule of MACHINE_RULES) {
    it(`${rule.id}: decides what it is meant to, and nothing near it`, () => {
      const { match, miss } = CASES[rule.id]!;
      for (const s of match) {
        const actor = classify(s);
        expect(actor.rule, JSON.stringify(s)).toBe(rule.id);
        expect(actor.kind).toBe(rule.verdict);
      }
      for (const s of miss) expect(classify(s).rule, JSON.stringify(s)).not.toBe(rule.id);
    });
  }

  it('gives the reason staff see with each machine verdict', () => {
    expect(classify(open(HOUR, { userAgent: GMAIL }))).toEqual({
      kind: 'machine',
      rule: 'google-image-proxy',
      reason: expect.stringContaining('Gmail image proxy'),
    });
  });

  it('takes a person in a mail client for a person', () => {
    expect(classify(open(HOUR, {}))).toEqual({ kind: 'human' });
    expect(classify(click(10 * 60_000))).toEqual({ kind: 'human' });
  });
});
