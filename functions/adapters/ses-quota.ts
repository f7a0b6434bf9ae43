/**
 * The SES account's send quota (GetAccount), which pacing is configured from.
 */
import { GetAccountCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { ConfigError } from '../core/errors.js';

/** The account's MaxSendRate (messages per second), with a clear error when SES will not say. */
export async function sesMaxSendRate(ses: SESv2Client): Promise<number> {
  let rate: number | undefined;
  try {
    const out = await ses.send(new GetAccountCommand({}));
    rate = out.SendQuota?.MaxSendRate;
  } catch (err) {
    throw new ConfigError(
      `cannot read the SES send quota (GetAccount): ${(err as Error).name}: ${(err as Error).message}`,
    );
  }
  if (rate === undefined || !(rate > 0)) {
    throw new ConfigError('SES GetAccount returned no positive SendQuota.MaxSendRate');
  }
  return rate;
}
