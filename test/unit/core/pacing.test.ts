import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  busiestWindow,
  configuredRate,
  JITTER_HEADROOM,
  nextSlot,
  slotInterval,
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
});
