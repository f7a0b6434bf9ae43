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
