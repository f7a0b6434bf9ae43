import { describe, expect, it } from 'vitest';
import { classifySesError } from '../../../functions/adapters/ses-mailer.js';
import {
  MailAccountError,
  MailOutcomeUnknownError,
  MailRejectedError,
  MailThrottledError,
} from '../../../functions/core/errors.js';

/** An error as the AWS SDK v3 deserialises it: a name, a message and the HTTP status. */
const sdk = (name: string, status: number, message = '') =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

describe('SES errors are classified by what fixes them', () => {
  it.each([
    ['SendingPausedException', 400, 'Sending is paused for this account.', 'put-account-sending'],
    ['AccountSuspendedException', 400, 'Account suspended.', 'AWS Support'],
    ['MailFromDomainNotVerifiedException', 400, 'MAIL FROM domain not verified', 'MX record'],
    ['AccessDeniedException', 403, 'not authorized to perform: ses:SendEmail', 'IAM role'],
    ['NotFoundException', 404, 'Configuration set demarche does not exist.', 'configuration set'],
    ['UnrecognizedClientException', 403, 'The security token is invalid.', 'credentials'],
    [
      'MessageRejected',
      400,
      'Email address is not verified. The following identities failed the check in region EU-WEST-1: forum@example.org',
      'production access',
    ],
    ['Throttling', 400, 'Daily message quota exceeded.', '24-hour sending quota'],
  ])('%s (%i) pauses the campaign with a fix', (name, status, message, fix) => {
    const err = classifySesError(sdk(name, status, message));
    expect(err).toBeInstanceOf(MailAccountError);
    expect((err as MailAccountError).reason).toContain(name);
    expect((err as MailAccountError).fix).toContain(fix);
  });

  it('a refusal of this address or content fails only that letter', () => {
    expect(
      classifySesError(sdk('MessageRejected', 400, 'Email address is not valid: x@')),
    ).toBeInstanceOf(MailRejectedError);
    expect(
      classifySesError(sdk('BadRequestException', 400, 'Missing final @domain')),
    ).toBeInstanceOf(MailRejectedError);
  });

  it('throttles are retried, and a lost answer is unknown', () => {
    expect(classifySesError(sdk('TooManyRequestsException', 429))).toBeInstanceOf(
      MailThrottledError,
    );
    expect(classifySesError(sdk('InternalFailure', 500))).toBeInstanceOf(MailOutcomeUnknownError);
    expect(classifySesError(new Error('socket hang up'))).toBeInstanceOf(MailOutcomeUnknownError);
  });

  it('an undocumented 4xx pauses rather than failing every letter', () => {
    expect(classifySesError(sdk('SomethingNewException', 400, 'new'))).toBeInstanceOf(
      MailAccountError,
    );
  });
});
