/**
 * Mailer on Amazon SES v2, sending Raw MIME content. Maps SES errors onto the three outcomes the sender
 * distinguishes: throttled (not sent, retry), rejected (never retry) and
 * unknown (may have been sent; never retried blindly).
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { MailOutcomeUnknownError, MailRejectedError, MailThrottledError } from '../core/errors.js';
import { oneLine } from '../core/html.js';
import type { Mailer, OutgoingLetter } from '../core/ports.js';
import { LOCAL_CREDENTIALS } from './config.js';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';

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

  /**
   * Sends the letter as SES v2 Raw content: the message composed by core
   * (headers, HTML and text parts) goes out byte for byte, so List-Unsubscribe,
   * Message-ID and the encoded names are exactly what was built and tested.
   * A letter without `raw` is composed here by MailComposer, the same library.
   */
  async send(letter: OutgoingLetter): Promise<{ messageId: string }> {
    try {
      const raw = letter.raw ?? (await composeRaw(letter));
      const out = await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: formatAddress(letter.from.name, letter.from.address),
          Destination: { ToAddresses: [letter.to] },
          ConfigurationSetName: letter.configurationSet,
          EmailTags: Object.entries(letter.tags).map(([Name, Value]) => ({ Name, Value })),
          Content: { Raw: { Data: Buffer.from(raw, 'utf8') } },
        }),
      );
      if (!out.MessageId) throw new MailOutcomeUnknownError('SES answered without a MessageId');
      return { messageId: out.MessageId };
    } catch (err) {
      throw classifySesError(err);
    }
  }
}

/** The raw message for a letter that came without one (letters compiled before MIME skeletons). */
async function composeRaw(letter: OutgoingLetter): Promise<string> {
  const composer = new MailComposer({
    from: { name: oneLine(letter.from.name), address: letter.from.address },
    to: letter.toName ? { name: oneLine(letter.toName), address: letter.to } : letter.to,
    replyTo: letter.replyTo,
    subject: oneLine(letter.subject),
    text: letter.text,
    html: letter.html,
    headers: Object.fromEntries(
      Object.entries(letter.headers ?? {}).map(([k, v]) => [k, oneLine(v)]),
    ),
  });
  return (await composer.compile().build()).toString('utf8');
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
