/**
 * Which records of a batch the event-source poller leaves on the queue, by
 * Lambda's rules for partial batch responses: nothing or an empty list is
 * full success; a failure list names records by message id; an entry without
 * an id, with an empty one or with an id not in the batch fails the whole
 * batch (Lambda cannot tell what was meant).
 */
import { describe, expect, it } from 'vitest';
import { failedIds } from '../../../functions/local/sqs-poller.js';

const ids = new Set(['m-1', 'm-2', 'm-3']);
const failures = (...items: unknown[]) => ({ batchItemFailures: items }) as never;

describe('failedIds', () => {
  it('no response, no list or an empty list: every record succeeded', () => {
    expect(failedIds(undefined, ids)).toEqual(new Set());
    expect(failedIds({} as never, ids)).toEqual(new Set());
    expect(failedIds({ batchItemFailures: [] }, ids)).toEqual(new Set());
  });

  it('names the failed records', () => {
    expect(failedIds(failures({ itemIdentifier: 'm-2' }), ids)).toEqual(new Set(['m-2']));
    expect(failedIds(failures({ itemIdentifier: 'm-1' }, { itemIdentifier: 'm-3' }), ids)).toEqual(
      new Set(['m-1', 'm-3']),
    );
  });

  it('fails the whole batch for an entry it cannot map to a record', () => {
    expect(failedIds(failures({ itemIdentifier: 'm-9' }), ids)).toBe('all');
    expect(failedIds(failures({ itemIdentifier: '' }), ids)).toBe('all');
    expect(failedIds(failures({ itemIdentifier: null }), ids)).toBe('all');
    expect(failedIds(failures({ id: 'm-1' }), ids)).toBe('all');
    expect(failedIds(failures(null), ids)).toBe('all');
    expect(failedIds({ batchItemFailures: 'm-1' } as never, ids)).toBe('all');
  });
});
