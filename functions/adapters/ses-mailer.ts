/**
 * Mailer on Amazon SES v2, sending Raw MIME content. Maps SES errors onto the
 * four outcomes the sender distinguishes, by what fixes them: throttled (not
 * sent, retry later), account (not sent; the account or its configuration
 * refuses every letter until a person fixes it), rejected (this recipient's
 * letter, never retried) and unknown (may have been sent; never retried
 * blindly).
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  MailAccountError,
  MailOutcomeUnknownError,
  MailRejectedError,
  MailThrottledError,
} from '../core/errors.js';
import { oneLine } from '../core/html.js';
import type { Mailer, OutgoingLetter } from '../core/ports.js';
import { metered } from './client-meter.js';
import { LOCAL_CREDENTIALS } from './config.js';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';

const THROTTLES = new Set([
  'TooManyRequestsException',
  'LimitExceededException',
  'ThrottlingException',
  'Throttling',
]);
/** Refusals of this one letter (its address or content): the letter fails, the others go on. */
const REJECTIONS = new Set(['MessageRejected', 'BadRequestException']);

const SENDING_PAUSED =
  'sending is paused for the SES account or its configuration set: find out why in the SES console (account dashboard, reputation), then re-enable it (aws sesv2 put-account-sending-attributes --sending-enabled, or put-configuration-set-sending-options --sending-enabled)';
const CONFIGURATION_SET_MISSING =
  'the configuration set the letters name does not exist in this account and region: deploy the stack, or set DEMARCHE_CONFIGURATION_SET to one that exists';
const ACCESS_DENIED =
  "the sender's IAM role may not send as this identity or through this configuration set: check its ses:SendEmail statement (identity and configuration-set ARNs, the ses:FromAddress condition) and its credentials";

/**
 * Errors of the account or its configuration, by SES error name, with what
 * fixes each. They refuse every letter alike, so failing letters one by one
 * would only spend the campaign: it pauses instead (core/send.ts).
 */
const ACCOUNT_FIXES: Record<string, string> = {
  SendingPausedException: SENDING_PAUSED,
  AccountSendingPausedException: SENDING_PAUSED,
  ConfigurationSetSendingPausedException: SENDING_PAUSED,
  AccountSuspendedException:
    "the SES account's ability to send is permanently restricted: only AWS Support can lift it",
  MailFromDomainNotVerifiedException:
    "SES cannot read the MX record of the identity's custom MAIL FROM domain: restore the MX and SPF records the SES console shows for the identity, and wait until its MAIL FROM status is Success",
  AccessDeniedException: ACCESS_DENIED,
  AccessDenied: ACCESS_DENIED,
  NotFoundException: CONFIGURATION_SET_MISSING,
  ConfigurationSetDoesNotExistException: CONFIGURATION_SET_MISSING,
};
const NOT_VERIFIED =
  'the From identity is not verified in this account and region (or, in the SES sandbox, the recipient is not): verify the domain identity with DKIM, or request production access';
const QUOTA_USED_UP =
  "the SES account's 24-hour sending quota is used up: resume once enough of the last 24 hours' sends have aged out, or ask AWS for a higher quota";

export function sesClient(opts: { region: string; endpoint?: string }): SESv2Client {
  const client = new SESv2Client({
    region: opts.region,
    // Retries of a send are decided by the sender (throttles only); the SDK must not repeat a send.
    maxAttempts: 1,
    ...(opts.endpoint ? { endpoint: opts.endpoint, credentials: LOCAL_CREDENTIALS } : {}),
  });
  return metered(client, 'ses');
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

/**
 * Turns an SES/SDK error into the sender's vocabulary, by what fixes it:
 * waiting (throttled), a person fixing the account or its configuration
 * (MailAccountError), nothing for this address (rejected), or no one knows
 * whether it left (unknown). A 4xx SES does not document for SendEmail is
 * taken as the account's: pausing costs a look, failing every letter would
 * cost the campaign.
 */
export function classifySesError(err: unknown): Error {
  if (err instanceof MailOutcomeUnknownError) return err;
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const text = `${name}: ${e.message ?? ''}`.trim();
  const details = { name, status };
  if (/daily message quota|sending quota/i.test(e.message ?? ''))
    return new MailAccountError(text, QUOTA_USED_UP, details);
  if (THROTTLES.has(name) || status === 429) return new MailThrottledError(text);
  const fix = ACCOUNT_FIXES[name];
  if (fix) return new MailAccountError(text, fix, details);
  if (status === 401 || status === 403) return new MailAccountError(text, ACCESS_DENIED, details);
  if (/not verified/i.test(e.message ?? ''))
    return new MailAccountError(text, NOT_VERIFIED, details);
  if (/configuration set/i.test(e.message ?? ''))
    return new MailAccountError(text, CONFIGURATION_SET_MISSING, details);
  if (REJECTIONS.has(name)) return new MailRejectedError(text, details);
  if (status !== undefined && status >= 400 && status < 500) {
    return new MailAccountError(
      text,
      'SES refused the letter with an error that names neither the address nor the content: read the reason, fix what it names, then resume',
      details,
    );
  }
  return new MailOutcomeUnknownError(`${name}: ${e.message ?? 'no answer from SES'}`);
}
