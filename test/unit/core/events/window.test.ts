import { describe, expect, it } from 'vitest';
import { envelope, parseEnvelope } from '../../../../functions/core/events/envelope.js';
import { EventInvalidError } from '../../../../functions/core/events/errors.js';
import type { EngagementEvent } from '../../../../functions/core/events/model.js';
import { isRepeat, noteSeen, repeatKey } from '../../../../functions/core/events/window.js';

const open = (at: string): EngagementEvent => ({
  id: 'e1',
  type: 'open',
  source: 'pixel',
  at,
  campaignId: 'c1',
  recipientId: 'r1',
});
const click = (at: string, link: string): EngagementEvent => ({
  ...open(at),
  type: 'click',
  source: 'link',
  link,
});

describe('one open, and one click per link, per recipient and minute', () => {
  it('an open within a minute of the last is a repeat; one a minute later is not', () => {
    const seen = noteSeen(undefined, open('2027-01-10T09:00:00.000Z'));
    expect(isRepeat(seen, open('2027-01-10T09:00:59.999Z'))).toBe(true);
    expect(isRepeat(seen, open('2027-01-10T09:01:00.000Z'))).toBe(false);
  });

  it('clicks count per link, apart from opens', () => {
    let seen = noteSeen(undefined, click('2027-01-10T09:00:00Z', 'https://a.example/1'));
    expect(isRepeat(seen, click('2027-01-10T09:00:10Z', 'https://a.example/1'))).toBe(true);
    expect(isRepeat(seen, click('2027-01-10T09:00:10Z', 'https://a.example/2'))).toBe(false);
    expect(isRepeat(seen, open('2027-01-10T09:00:10Z'))).toBe(false);
    seen = noteSeen(seen, open('2027-01-10T09:00:10Z'));
    expect(Object.keys(seen!)).toHaveLength(2);
  });

  it('SES events and unsubscribes are never deduplicated', () => {
    expect(repeatKey({ ...open('2027-01-10T09:00:00Z'), source: 'ses' })).toBeUndefined();
    expect(
      repeatKey({ ...open('2027-01-10T09:00:00Z'), type: 'unsubscribe', source: 'unsubscribe' }),
    ).toBeUndefined();
  });
});

describe('the tracking envelope', () => {
  it('round-trips, leaves SES records alone and refuses a malformed one by name', () => {
    const e = open('2027-01-10T09:00:00.000Z');
    expect(parseEnvelope(envelope(e))).toEqual(e);
    expect(parseEnvelope('{"version":"0","source":"aws.ses"}')).toBeUndefined();
    const bad = envelope({ ...e, recipientId: 'r1"; DROP' });
    expect(() => parseEnvelope(bad)).toThrow(EventInvalidError);
    expect(() => parseEnvelope(envelope({ ...e, type: 'bounce' }))).toThrow(/event.type/);
  });
});
