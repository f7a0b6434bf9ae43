/**
 * The time and work a hostile message may cost. Every stage of reading a
 * message checks the clock against one deadline and counts its operations
 * (lines visited, boundaries compared, characters scanned), so that a test can
 * show the cost grows with the size of the input and no faster, and a message
 * that takes too long is stopped with a reason instead of holding the process.
 */

/** Thrown by `check` once the deadline has passed; the reader turns it into a rejection. */
export class BudgetExceeded extends Error {
  constructor(
    readonly ms: number,
    readonly stage: string,
  ) {
    super(`reading the message took longer than its ${ms} ms budget (stopped in ${stage})`);
  }
}

export interface Budget {
  /** Operations counted so far (see the file comment). */
  ops: number;
  /** Throws BudgetExceeded when the deadline has passed. */
  check(stage: string): void;
}

/** A budget of `ms` milliseconds from now. */
export function timeBudget(ms: number, now: () => number = () => performance.now()): Budget {
  const deadline = now() + ms;
  return {
    ops: 0,
    check(stage: string) {
      if (now() > deadline) throw new BudgetExceeded(ms, stage);
    },
  };
}

/**
 * Lets the event loop run other work (another SMTP client, another event)
 * between slices of a long read.
 */
export const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
