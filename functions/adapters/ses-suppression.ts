/**
 * SES's account-level suppression list: SES itself adds an address that hard
 * bounced or complained, in plain text, outside our table. Erasure removes
 * the address from it (DeleteSuppressedDestination) when the person is not to
 * be kept suppressed; our own list then keeps them as a keyed hash when they
 * must stay suppressed.
 */
import { DeleteSuppressedDestinationCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { AccountSuppression } from '../core/governance/forget-job.js';

export class SesAccountSuppression implements AccountSuppression {
  constructor(private readonly ses: SESv2Client) {}

  async remove(email: string): Promise<'removed' | 'not-listed'> {
    try {
      await this.ses.send(new DeleteSuppressedDestinationCommand({ EmailAddress: email }));
      return 'removed';
    } catch (err) {
      if ((err as Error).name === 'NotFoundException') return 'not-listed';
      throw err;
    }
  }
}
