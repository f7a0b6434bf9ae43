import { describe, expect, it } from 'vitest';
import {
  choiceState,
  followUpKey,
  followUpsStopExpiry,
  undoable,
} from '../../../../functions/core/recipient-pages/choice.js';

const at = '2026-12-01T10:00:00.000Z';
const day = (n: number) => new Date(Date.parse(at) + n * 86_400_000);

describe('a recipient’s choices', () => {
  it('may undo their own stop for 30 days, then no longer', () => {
    const all = { all: { reason: 'unsubscribed', at } };
    expect(choiceState(all, day(29))).toEqual({
      kind: 'stopped',
      scope: 'all',
      at,
      undoUntil: '2026-12-31T10:00:00.000Z',
    });
    expect(undoable(all, day(29))).toBe('all');
    expect(choiceState(all, day(30))).toEqual({ kind: 'stopped', scope: 'all', at });
    expect(undoable(all, day(31))).toBeUndefined();
  });

  it('never undo a stop a hard bounce or a complaint made', () => {
    for (const reason of ['hard bounce', 'complaint']) {
      const c = { all: { reason, at }, followUps: { reason: 'unsubscribed from follow-ups', at } };
      expect(choiceState(c, day(1))).toEqual({ kind: 'blocked', reason });
      expect(undoable(c, day(1))).toBeUndefined();
    }
  });

  it('read a lifted entry as no stop, and the follow-ups stop below the coalition-wide one', () => {
    const lifted = { all: { reason: 'unsubscribed', at, liftedAt: day(1).toISOString() } };
    expect(choiceState(lifted, day(2))).toEqual({ kind: 'open' });
    const followUps = { ...lifted, followUps: { reason: 'unsubscribed from follow-ups', at } };
    expect(undoable(followUps, day(2))).toBe('followups');
    expect(choiceState({}, day(0))).toEqual({ kind: 'open' });
  });

  it('concern the original campaign’s follow-ups, and expire after its deadline and the undo window', () => {
    expect(followUpKey({ id: 'c2', followUpOf: 'c1' })).toBe('c1');
    expect(followUpKey({ id: 'c1' })).toBe('c1');
    // Deadline far ahead: kept to the deadline and a day.
    expect(followUpsStopExpiry('2027-06-01T00:00:00Z', at)).toBe(
      Date.parse('2027-06-02T00:00:00Z') / 1000,
    );
    // Deadline soon: kept for the undo's 30 days and a day.
    expect(followUpsStopExpiry('2026-12-05T00:00:00Z', at)).toBe(day(31).getTime() / 1000);
  });
});
