import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  busiestWindow,
  configuredRate,
  JITTER_BUDGET_MS,
  JITTER_HEADROOM,
  lateAllowance,
  MAX_SPAN,
  MIN_LEAD_MS,
  nextLead,
  nextSlot,
  slotInterval,
  slotsFor,
  slotsWithin,
} from '../../../functions/core/pacing.js';

describe('pacing', () => {
  it('configures the rate from SES MaxSendRate times the margin, never below one a second', () => {
    expect(configuredRate(62.5, 0.8)).toBe(50);
    expect(configuredRate(14)).toBeCloseTo(11.2);
    expect(configuredRate(1, 0.5)).toBe(1);
  });

  it('refuses a rate or margin that makes no sense, naming it', () => {
    expect(() => configuredRate(0)).toThrow(/MaxSendRate must be a positive number, got 0/);
    expect(() => configuredRate(Number.NaN)).toThrow(/MaxSendRate/);
    expect(() => configuredRate(10, 1.5)).toThrow(/margin must be in \(0, 1\], got 1.5/);
    expect(() => configuredRate(10, 0)).toThrow(/margin/);
  });

  it('spaces slots one interval apart, with headroom for jitter', () => {
    expect(slotInterval(50)).toBeCloseTo(1000 / (50 * (1 - JITTER_HEADROOM)));
    expect(nextSlot(undefined, 1000, 20)).toEqual({ slot: 1000, next: 1020 });
    expect(nextSlot(900, 1000, 20)).toEqual({ slot: 1000, next: 1020 }); // idle line
    expect(nextSlot(1500, 1000, 20)).toEqual({ slot: 1500, next: 1520 }); // busy line
  });

  it('never puts more than the rate into any one-second window, whoever asks when', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 400 }),
        (rate, asks) => {
          const interval = slotInterval(rate);
          let next: number | undefined;
          const slots: number[] = [];
          for (const now of [...asks].sort((a, b) => a - b)) {
            const r = nextSlot(next, now, interval);
            slots.push(r.slot);
            next = r.next;
          }
          return busiestWindow(slots) <= rate;
        },
      ),
    );
  });

  it('counts the busiest sliding one-second window', () => {
    expect(busiestWindow([])).toBe(0);
    expect(busiestWindow([0, 999, 1000, 1999])).toBe(2);
    expect(busiestWindow([5, 0, 500, 900, 1400])).toBe(4);
  });

  it('reserves for a group only the slots within the longest wait', () => {
    // Line next at 1000, now 0, 100 ms apart, wait at most 1450: slots 1000, 1100, 1200, 1300, 1400.
    expect(slotsWithin(1000, 0, 100, 1450, 10)).toBe(5);
    expect(slotsWithin(1000, 0, 100, 1450, 3)).toBe(3);
    expect(slotsWithin(1000, 0, 100, 1000, 10)).toBe(1); // the first slot exactly at the limit
    expect(slotsWithin(1000, 0, 100, 999, 10)).toBe(0); // too far: nothing
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000 }),
        fc.double({ min: 1, max: 1_000, noNaN: true }),
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 1, max: 100 }),
        (first, interval, maxWait, wanted) => {
          const n = slotsWithin(first, 0, interval, maxWait, wanted);
          if (n > wanted || n < 0) return false;
          // Every slot taken is within the wait; one more (when wanted) would not be.
          const last = first + (n - 1) * interval;
          return (n === 0 || last <= maxWait) && (n === wanted || first + n * interval > maxWait);
        },
      ),
    );
  });

  it('lets a sender use its slots until a little past the last; one who missed takes more', () => {
    // 3% headroom absorbs about 31 ms of displacement at any rate; a third of it is for waking late.
    expect(JITTER_BUDGET_MS).toBeCloseTo(30.93, 2);
    expect(lateAllowance(20)).toBeCloseTo(10.31, 2);
    expect(lateAllowance(20, 2)).toBeCloseTo(30.31, 2);
    expect([0, 1, 2, 3, 10].map(slotsFor)).toEqual([1, 2, 4, 8, MAX_SPAN]);
    // One send anywhere within its span (or up to half an interval after it), whatever the others do
    // within theirs: never more than the rate in any one-second window.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.array(
          fc.record({
            span: fc.integer({ min: 0, max: 5 }),
            at: fc.double({ min: 0, max: 1, noNaN: true }),
          }),
          {
            minLength: 1,
            maxLength: 300,
          },
        ),
        (rate, senders) => {
          const interval = slotInterval(rate);
          let next = 0;
          const sends = senders.map(({ span, at }) => {
            const n = slotsFor(span);
            const first = next;
            next += n * interval;
            return first + at * lateAllowance(interval, n);
          });
          return busiestWindow(sends) <= rate;
        },
      ),
    );
  });

  it('asks for slots twice the last round trip ahead: up at once, down slowly, within bounds', () => {
    expect(nextLead(50, 40)).toBe(80); // a slower round trip raises the lead at once
    expect(nextLead(80, 8)).toBeCloseTo(80 + (16 - 80) / 16); // a quicker one lowers it by a sixteenth of the gap
    expect(nextLead(5.2, 0)).toBe(MIN_LEAD_MS);
    expect(nextLead(50, 5_000, 1_000)).toBe(1_000);
    let lead = 50;
    for (let i = 0; i < 200; i++) lead = nextLead(lead, 10);
    expect(lead).toBeCloseTo(20, 0); // settles at twice a steady round trip
  });
});
