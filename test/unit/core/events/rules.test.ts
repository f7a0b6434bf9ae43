import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classify } from '../../../../functions/core/events/machine.js';
import type { EngagementEvent } from '../../../../functions/core/events/model.js';
import { applyEvent, type RecipientTrack } from '../../../../functions/core/events/rules.js';

const T0 = Date.parse('2027-01-05T08:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const HUMAN =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36';

/** Folds events through the rules as the store would apply them, returning the record and counters. */
function fold(events: EngagementEvent[]) {
  const r: RecipientTrack = {
    campaignId: 'c1',
    recipientId: 'r1',
    email: 'a@example.org',
    group: 'ngo',
    version: 0,
    seen: [],
    sentAt: at(0),
  };
  const counters: Record<string, number> = {};
  for (const e of events) {
    const change = applyEvent(r, e);
    r.version++;
    if (change.state) r.deliveryState = change.state;
    r.seen = [...new Set([...r.seen, ...change.flags])];
    r.deliveredAt ??= change.firsts.deliveredAt;
    for (const [k, n] of Object.entries(change.counters)) counters[k] = (counters[k] ?? 0) + n;
  }
  for (const k of Object.keys(counters)) if (counters[k] === 0) delete counters[k];
  return { state: r.deliveryState, seen: [...r.seen].sort(), counters };
}

const ev = (type: EngagementEvent['type'], ms: number, extra: Partial<EngagementEvent> = {}) =>
  ({
    id: `${type}${ms}`,
    type,
    at: at(ms),
    source: 'ses',
    userAgent: HUMAN,
    ...extra,
  }) as EngagementEvent;

describe('event rules', () => {
  it('end in the same state and counts whatever order the events come in', () => {
    const stories = [
      [
        ev('send', 0),
        ev('delivery', 900),
        ev('open', 3_600_000),
        ev('click', 3_700_000),
        ev('open', 7_200_000),
      ],
      [
        ev('send', 0),
        ev('delay', 500),
        ev('delivery', 900),
        ev('bounce', 5_000, { bounceType: 'hard' }),
      ],
      [ev('send', 0), ev('delivery', 900), ev('complaint', 60_000), ev('unsubscribe', 70_000)],
      [
        ev('send', 0),
        ev('bounce', 800, { bounceType: 'soft' }),
        ev('bounce', 900, { bounceType: 'hard' }),
      ],
    ];
    for (const story of stories) {
      const expected = fold(story);
      fc.assert(
        fc.property(fc.shuffledSubarray(story, { minLength: story.length }), (order) => {
          expect(fold(order)).toEqual(expected);
        }),
        { numRuns: 60 },
      );
    }
  });

  it('never lets a late delivery hide a bounce, nor count the letter as delivered', () => {
    expect(fold([ev('bounce', 5_000, { bounceType: 'hard' }), ev('delivery', 900)])).toMatchObject({
      state: 'bouncedHard',
      counters: { bouncedHard: 1 },
    });
  });
});

describe('telling people from machines', () => {
  const arrivedAt = at(0);
  it.each([
    [
      'Apple Mail Privacy Protection (Apple network)',
      { ip: '17.58.1.2', userAgent: HUMAN },
      'machine',
    ],
    [
      'Apple Mail Privacy Protection (bare user agent)',
      { ip: '198.51.100.1', userAgent: 'Mozilla/5.0' },
      'machine',
    ],
    [
      'Gmail image proxy prefetch at delivery',
      { userAgent: 'Mozilla/5.0 (via ggpht.com GoogleImageProxy)', at: at(1_000) },
      'machine',
    ],
    [
      'Gmail image proxy an hour later',
      { userAgent: 'Mozilla/5.0 (via ggpht.com GoogleImageProxy)' },
      'human',
    ],
    [
      'a headless browser',
      { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/130.0 Safari/537.36' },
      'machine',
    ],
    ['no user agent', { userAgent: '' }, 'machine'],
    ['a person in a mail client', { userAgent: HUMAN }, 'human'],
  ] as const)('open: %s', (_name, s, kind) => {
    expect(classify({ type: 'open', at: at(3_600_000), arrivedAt, ...s }).kind).toBe(kind);
  });

  it('counts a click within seconds of delivery as a scanner, a later one as a person', () => {
    expect(classify({ type: 'click', at: at(2_000), userAgent: HUMAN, arrivedAt }).kind).toBe(
      'machine',
    );
    expect(classify({ type: 'click', at: at(-500), userAgent: HUMAN, arrivedAt }).kind).toBe(
      'machine',
    );
    expect(classify({ type: 'click', at: at(600_000), userAgent: HUMAN, arrivedAt }).kind).toBe(
      'human',
    );
  });
});
