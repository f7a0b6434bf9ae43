/** Helpers shared by the statement tests. */
import { expect } from 'vitest';
import { StatementInvalidError } from '../../../functions/core/errors.js';

/** Runs `fn`, expects a StatementInvalidError and returns it. */
export function refused(fn: () => unknown): StatementInvalidError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StatementInvalidError);
    return err as StatementInvalidError;
  }
  throw new Error('expected the statement to be refused');
}
