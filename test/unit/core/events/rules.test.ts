import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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

describe('the delivered figure', () => {
  const OUTCOMES = [
    ev('delivery', 900),
    ev('bounce', 1_200, { bounceType: 'hard' }),
    ev('bounce', 1_100, { bounceType: 'soft' }),
    ev('complaint', 60_000),
    ev('reject', 50),
    ev('delay', 400),
    ev('send', 0),
  ];
  const delivered = (events: EngagementEvent[]) => fold(events).counters.delivered ?? 0;

  it('does not depend on the order in which the delivery, bounces and complaint of one message arrive', () => {
    fc.assert(
      fc.property(
        fc
          .subarray(OUTCOMES, { minLength: 1 })
          .chain((set) =>
            fc.tuple(fc.constant(set), fc.shuffledSubarray(set, { minLength: set.length })),
          ),
        ([set, order]) => {
          const expected =
            set.some((e) => e.type === 'delivery') &&
            !set.some((e) => e.type === 'bounce' || e.type === 'reject')
              ? 1
              : 0;
          expect(delivered(order)).toBe(expected);
          expect(fold(order)).toEqual(fold(set));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('forgets no bounce behind a complaint (complaint, bounce, then delivery)', () => {
    const story = [
      ev('complaint', 60_000),
      ev('bounce', 1_200, { bounceType: 'hard' }),
      ev('delivery', 900),
    ];
    expect(fold(story)).toMatchObject({ state: 'complained' });
    expect(delivered(story)).toBe(0);
  });
});
