/**
 * Mailer on Amazon SES v2. Maps SES errors onto the three outcomes the sender
 * distinguishes: throttled (not sent, retry), rejected (never retry) and
 * unknown (may have been sent; never retried blindly).
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { MailOutcomeUnknownError, MailRejectedError, MailThrottledError } from '../core/errors.js';
import { oneLine } from '../core/html.js';
import type { Mailer, OutgoingLetter } from '../core/ports.js';
import { LOCAL_CREDENTIALS } from './config.js';

const THROTTLES = new Set([
  'TooManyRequestsException',
  'LimitExceededException',
  'ThrottlingException',
  'Throttling',
]);
const REJECTIONS = new Set([
  'MessageRejected',
  'BadRequestException',
  'MailFromDomainNotVerifiedException',
  'NotFoundException',
]);

export function sesClient(opts: { region: string; endpoint?: string }): SESv2Client {
  return new SESv2Client({
    region: opts.region,
    // Retries of a send are decided by the sender (throttles only); the SDK must not repeat a send.
    maxAttempts: 1,
    ...(opts.endpoint ? { endpoint: opts.endpoint, credentials: LOCAL_CREDENTIALS } : {}),
  });
}

/** "Name" <address>, with the name as an RFC 2047 encoded word when it is not plain ASCII. */
export function formatAddress(name: string, address: string): string {
  const clean = oneLine(name);
  if (/^[\x20-\x7e]*$/.test(clean)) return `"${clean.replace(/["\\]/g, '\\$&')}" <${address}>`;
  return `=?UTF-8?B?${Buffer.from(clean, 'utf8').toString('base64')}?= <${address}>`;
}

export class SesMailer implements Mailer {
  constructor(private readonly ses: SESv2Client) {}

  async send(letter: OutgoingLetter): Promise<{ messageId: string }> {
    try {
      const out = await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: formatAddress(letter.from.name, letter.from.address),
          Destination: { ToAddresses: [letter.to] },
          ReplyToAddresses: [letter.replyTo],
          ConfigurationSetName: letter.configurationSet,
          EmailTags: Object.entries(letter.tags).map(([Name, Value]) => ({ Name, Value })),
          Content: {
            Simple: {
              Subject: { Data: oneLine(letter.subject), Charset: 'UTF-8' },
              Body: {
                Html: { Data: letter.html, Charset: 'UTF-8' },
                Text: { Data: letter.text, Charset: 'UTF-8' },
              },
            },
          },
        }),
      );
      if (!out.MessageId) throw new MailOutcomeUnknownError('SES answered without a MessageId');
      return { messageId: out.MessageId };
    } catch (err) {
      throw classifySesError(err);
    }
  }
}

/** Turns an SES/SDK error into the sender's vocabulary. */
export function classifySesError(err: unknown): Error {
  if (err instanceof MailOutcomeUnknownError) return err;
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  if (THROTTLES.has(name) || status === 429)
    return new MailThrottledError(`${name}: ${e.message ?? ''}`.trim());
  if (REJECTIONS.has(name) || (status !== undefined && status >= 400 && status < 500)) {
    return new MailRejectedError(`${name}: ${e.message ?? ''}`.trim(), { name, status });
  }
  return new MailOutcomeUnknownError(`${name}: ${e.message ?? 'no answer from SES'}`);
}
