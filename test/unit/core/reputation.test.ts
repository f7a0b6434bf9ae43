import { describe, expect, it } from 'vitest';
import { reputationProblem } from '../../../functions/core/reputation.js';

describe('the reputation guard', () => {
  it('judges nothing before the minimum sample', () => {
    expect(reputationProblem({ sent: 99, bouncedHard: 50, complained: 5 })).toBeUndefined();
  });

  it('pauses above 5% hard bounces, and says the rate and the counts', () => {
    expect(reputationProblem({ sent: 200, bouncedHard: 10, complained: 0 })).toBeUndefined();
    expect(reputationProblem({ sent: 200, bouncedHard: 11, complained: 0 })).toBe(
      'bounce rate 5.50% (11 hard bounces of 200 sent) is above 5.00%',
    );
  });

  it('pauses above 0.1% complaints', () => {
    expect(reputationProblem({ sent: 1000, bouncedHard: 0, complained: 1 })).toBeUndefined();
    expect(reputationProblem({ sent: 1000, bouncedHard: 0, complained: 2 })).toMatch(
      /^complaint rate 0\.20% \(2 complaints of 1000 sent\) is above 0\.10%$/,
    );
  });
});
