/**
 * The planner's named errors. A plan that cannot meet its deadline is not an
 * error (it is a Plan with `feasible: false` and the shortfall); these are
 * inputs the planner cannot work with at all.
 */
import { DemarcheError } from '../errors.js';

/** An option or input the planner cannot read; `field` names it. */
export class PlanInputError extends DemarcheError {
  constructor(field: string, message: string) {
    super('PLAN_INVALID', `plan: ${field}: ${message}`, { field });
  }
}

/** A plan that cannot land every letter before the deadline, when the caller asked for one that does. */
export class PlanInfeasibleError extends DemarcheError {
  constructor(message: string, details: Record<string, unknown>) {
    super('PLAN_INFEASIBLE', message, details);
  }
}
