/**
 * The SES reads preflight makes (core/preflight.ts): the account
 * (GetAccount), an identity (GetEmailIdentity) and a configuration set with
 * its event destinations. A missing identity or set is `undefined`; any
 * other error (access denied, throttled) propagates, since a check that
 * could not be made must not pass.
 */
import {
  GetAccountCommand,
  GetConfigurationSetCommand,
  GetConfigurationSetEventDestinationsCommand,
  GetEmailIdentityCommand,
  NotFoundException,
  type SESv2Client,
} from '@aws-sdk/client-sesv2';
import type {
  AccountView,
  ConfigurationSetView,
  IdentityView,
  SendingAccount,
} from '../core/preflight.js';

/** SES's answer for an identity or set it does not have (a 404 is nothing else on these reads). */
const missing = (err: unknown) =>
  err instanceof NotFoundException ||
  (err as { name?: string })?.name === 'NotFoundException' ||
  (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 404;

export class SesSendingAccount implements SendingAccount {
  constructor(private readonly ses: SESv2Client) {}

  async account(): Promise<AccountView> {
    const a = await this.ses.send(new GetAccountCommand({}));
    return {
      productionAccess: a.ProductionAccessEnabled === true,
      sendingEnabled: a.SendingEnabled !== false,
      ...(a.EnforcementStatus ? { enforcementStatus: a.EnforcementStatus } : {}),
      max24HourSend: a.SendQuota?.Max24HourSend ?? 0,
      sentLast24Hours: a.SendQuota?.SentLast24Hours ?? 0,
      maxSendRate: a.SendQuota?.MaxSendRate ?? 0,
    };
  }

  async identity(name: string): Promise<IdentityView | undefined> {
    try {
      const i = await this.ses.send(new GetEmailIdentityCommand({ EmailIdentity: name }));
      return {
        verifiedForSending: i.VerifiedForSendingStatus === true,
        dkimSigning: i.DkimAttributes?.SigningEnabled === true,
        ...(i.DkimAttributes?.Status ? { dkimStatus: i.DkimAttributes.Status } : {}),
        ...(i.MailFromAttributes?.MailFromDomain
          ? {
              mailFromDomain: i.MailFromAttributes.MailFromDomain,
              mailFromStatus: i.MailFromAttributes.MailFromDomainStatus,
            }
          : {}),
        ...(i.ConfigurationSetName ? { configurationSet: i.ConfigurationSetName } : {}),
      };
    } catch (err) {
      if (missing(err)) return undefined;
      throw err;
    }
  }

  async configurationSet(name: string): Promise<ConfigurationSetView | undefined> {
    try {
      const set = await this.ses.send(
        new GetConfigurationSetCommand({ ConfigurationSetName: name }),
      );
      const out = await this.ses.send(
        new GetConfigurationSetEventDestinationsCommand({ ConfigurationSetName: name }),
      );
      return {
        sendingEnabled: set.SendingOptions?.SendingEnabled !== false,
        destinations: (out.EventDestinations ?? []).map((d) => ({
          name: d.Name ?? '',
          enabled: d.Enabled === true,
          events: d.MatchingEventTypes ?? [],
          kind: d.EventBridgeDestination ? 'eventbridge' : d.SnsDestination ? 'sns' : 'other',
        })),
      };
    } catch (err) {
      if (missing(err)) return undefined;
      throw err;
    }
  }
}
