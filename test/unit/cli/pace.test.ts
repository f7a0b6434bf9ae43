import { describe, expect, it } from 'vitest';
import { paceMeter } from '../../../functions/cli/commands/launch.js';

describe('the launch progress pace', () => {
  it('says "measuring" until letters move, then the rate and the time left, never NaN or NF', () => {
    let t = 0;
    const pace = paceMeter(3000, () => t);
    expect(pace('sending', 0)).toBe('measuring');
    t = 2000;
    expect(pace('sending', 0)).toBe('measuring');
    t = 12_000;
    // 300 letters in 12 s from the phase's start: 25/s, 2,700 to go → 108 s.
    expect(pace('sending', 300)).toBe('25 letters/s · 1min 48s left');
    t = 120_000;
    expect(pace('sending', 3000)).toBe('25 letters/s · done');
  });

  it('starts measuring again when the phase changes', () => {
    let t = 0;
    const pace = paceMeter(100, () => t);
    t = 1000;
    expect(pace('queueing', 50)).toBe('measuring');
    t = 2000;
    expect(pace('queueing', 100)).toBe('50 letters/s · done');
    expect(pace('sending', 0)).toBe('measuring');
    t = 22_000;
    expect(pace('sending', 5)).toBe('0.3 letters/s · 6min 20s left');
  });
});
