/**
 * The account the local SES endpoint describes (GetAccount answers with the
 * AWS_SES_ACCOUNT variable's JSON): a production account with the given send
 * rate, so that pacing is configured locally exactly as it is in AWS.
 */

/** Messages per second the local SES account allows unless AWS_SES_ACCOUNT says otherwise. */
export const LOCAL_MAX_SEND_RATE = 200;

export function localSesAccount(maxSendRate = LOCAL_MAX_SEND_RATE): string {
  return JSON.stringify({
    DedicatedIpAutoWarmupEnabled: false,
    Details: {
      AdditionalContactEmailAddresses: [],
      ContactLanguage: 'EN',
      MailType: 'TRANSACTIONAL',
      ReviewDetails: { CaseId: 'local', Status: 'GRANTED' },
      UseCaseDescription: 'demarche local runtime',
      WebsiteURL: 'http://localhost',
    },
    EnforcementStatus: 'HEALTHY',
    ProductionAccessEnabled: true,
    SendingEnabled: true,
    SendQuota: { Max24HourSend: 1_000_000, MaxSendRate: maxSendRate, SentLast24Hours: 0 },
    SuppressionAttributes: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
  });
}

/**
 * The domains the local SES stand-in sends as: the names RFC 2606 reserves
 * for examples, which exist nowhere else, so the stand-in may truthfully hold
 * them as its verified identities (and their subdomains, as SES allows).
 */
export const LOCAL_SENDING_DOMAINS = ['example.org', 'example.com', 'example.net'];

/** The configuration set of the local runtime; its one event destination is the local events queue. */
export const LOCAL_CONFIGURATION_SET = 'demarche-local';

/** The event types the local SES events proxy publishes (ses-events.ts). */
const LOCAL_EVENT_TYPES = ['SEND', 'DELIVERY', 'BOUNCE', 'COMPLAINT'];

/**
 * What the local stand-in answers for SES v2's identity and configuration-set
 * reads (GetEmailIdentity, GetConfigurationSet, GetConfigurationSetEventDestinations),
 * which the local SES endpoint does not implement: the truth about the local
 * identities and configuration set, and NotFoundException for anything else.
 * Undefined: not such a read (the request goes on to the endpoint).
 */
export function localSesRead(
  method: string,
  path: string,
): { status: number; body: unknown } | undefined {
  if (method !== 'GET') return undefined;
  const notFound = (what: string) => ({
    status: 404,
    body: { message: `${what} does not exist.` },
  });
  const identity = /^\/v2\/email\/identities\/([^/?]+)$/.exec(path);
  if (identity) {
    const name = decodeURIComponent(identity[1]!).toLowerCase();
    if (!LOCAL_SENDING_DOMAINS.includes(name)) return notFound(`Email identity ${name}`);
    return {
      status: 200,
      body: {
        IdentityType: 'DOMAIN',
        FeedbackForwardingStatus: true,
        VerifiedForSendingStatus: true,
        VerificationStatus: 'SUCCESS',
        DkimAttributes: {
          SigningEnabled: true,
          Status: 'SUCCESS',
          SigningAttributesOrigin: 'AWS_SES',
          Tokens: ['local1', 'local2', 'local3'],
        },
        MailFromAttributes: {
          MailFromDomain: `bounce.${name}`,
          MailFromDomainStatus: 'SUCCESS',
          BehaviorOnMxFailure: 'REJECT_MESSAGE',
        },
        ConfigurationSetName: LOCAL_CONFIGURATION_SET,
      },
    };
  }
  const set = /^\/v2\/email\/configuration-sets\/([^/?]+)(\/event-destinations)?$/.exec(path);
  if (set) {
    const name = decodeURIComponent(set[1]!);
    if (name !== LOCAL_CONFIGURATION_SET) return notFound(`Configuration set ${name}`);
    if (set[2])
      return {
        status: 200,
        body: {
          EventDestinations: [
            {
              Name: 'local-events-queue',
              Enabled: true,
              MatchingEventTypes: LOCAL_EVENT_TYPES,
              EventBridgeDestination: {
                EventBusArn: 'arn:aws:events:local:000000000000:event-bus/default',
              },
            },
          ],
        },
      };
    return {
      status: 200,
      body: {
        ConfigurationSetName: name,
        SendingOptions: { SendingEnabled: true },
        ReputationOptions: { ReputationMetricsEnabled: true },
        DeliveryOptions: { TlsPolicy: 'REQUIRE' },
      },
    };
  }
  return undefined;
}
