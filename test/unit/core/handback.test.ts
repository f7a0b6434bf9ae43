import { describe, expect, it } from 'vitest';
import { MailThrottledError, RetryLaterError } from '../../../functions/core/errors.js';
import { handBackFor, MAX_HAND_BACK_MS } from '../../../functions/core/handback.js';

describe('hand-backs', () => {
  it('a paused campaign drops its jobs: resume queues the letters anew', () => {
    expect(handBackFor(new RetryLaterError('paused', { drop: true }), 0)).toMatchObject({
      drop: true,
    });
  });

  it('the send line says how long to wait, spread by up to half again', () => {
    const low = handBackFor({ aheadMs: 12_000, message: 'line' }, 0, () => 0);
    const high = handBackFor({ aheadMs: 12_000, message: 'line' }, 0, () => 0.999);
    expect(low).toMatchObject({ drop: false, delayMs: 12_000 });
    expect((high as { delayMs: number }).delayMs).toBeLessThan(18_000);
  });

  it('throttles wait longer each time, never past SQS DelaySeconds', () => {
    const d = (n: number) =>
      (handBackFor(new MailThrottledError('429'), n, () => 1) as { delayMs: number }).delayMs;
    expect(d(0)).toBe(2_000);
    expect(d(1)).toBe(4_000);
    expect(d(30)).toBe(MAX_HAND_BACK_MS);
  });

  it('a storage error is a real failure, left to redelivery and the DLQ', () => {
    expect(handBackFor(new Error('ProvisionedThroughputExceeded'), 0)).toBeUndefined();
  });
});
