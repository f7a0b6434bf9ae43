/** The errors of the replies side, with stable codes (the API maps them to statuses). */
import { DemarcheError } from '../errors.js';

/** An action a reply's match or kind does not allow (confirming a strong match, a second confirmation …). */
export class ReplyStateError extends DemarcheError {
  constructor(replyId: string, message: string) {
    super('REPLY_STATE', `Reply ${replyId}: ${message}`, { replyId });
  }
}
