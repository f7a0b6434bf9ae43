import { randomUUID } from 'node:crypto';
import type { Mailer, OutgoingLetter } from '../core/ports.js';

/** A mailer that accepts every letter and sends none: dry runs render and record everything else. */
export class DryRunMailer implements Mailer {
  sent = 0;
  bytes = 0;

  async send(letter: OutgoingLetter): Promise<{ messageId: string }> {
    this.sent++;
    this.bytes += letter.html.length + letter.text.length;
    return { messageId: `dry-run-${randomUUID()}` };
  }
}
