/** Errors of the events area, in the DemarcheError hierarchy (stable codes). */
import { DemarcheError } from '../errors.js';

/** An event record that is not an SES event we understand; `where` names the part that is wrong. */
export class EventInvalidError extends DemarcheError {
  constructor(where: string, message: string) {
    super('EVENT_INVALID', `${where}: ${message}`, { where });
  }
}
