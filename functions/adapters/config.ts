/**
 * Configuration from the environment, validated once. The variable names are
 * shared with infra/ (CDK sets exactly these on each function) and with the
 * local runtime, so the names a handler reads have one source.
 */
// zod's tree-shakable build: every function reads its configuration here,
// and the full build would add ~100 KiB zipped to the small public functions.
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { ConfigError } from '../core/errors.js';

export const ENV = {
  table: 'DEMARCHE_TABLE',
  sendQueueUrl: 'DEMARCHE_SEND_QUEUE_URL',
  /** The events queue: the tracking routes send their opens, clicks and unsubscribes there. */
  eventsQueueUrl: 'DEMARCHE_EVENTS_QUEUE_URL',
  configurationSet: 'DEMARCHE_CONFIGURATION_SET',
  dynamoEndpoint: 'DEMARCHE_DYNAMODB_ENDPOINT',
  sesEndpoint: 'DEMARCHE_SES_ENDPOINT',
  region: 'AWS_REGION',
  /** Base URL of the public routes (tracking, unsubscribe, web version): the HTTP API in AWS. */
  publicUrl: 'DEMARCHE_PUBLIC_URL',
  secretArn: 'DEMARCHE_SECRET_ARN',
  secretFile: 'DEMARCHE_SECRET_FILE',
  /** Staff login, locally: the JWK key pair the local runtime signs and checks staff tokens with. */
  authKeyFile: 'DEMARCHE_AUTH_KEY_FILE',
  /** Staff login, in AWS: the Cognito user pool issuer URL and app client id (token audience). */
  authIssuer: 'DEMARCHE_AUTH_ISSUER',
  authAudience: 'DEMARCHE_AUTH_AUDIENCE',
  /** Staff login, in AWS: the Cognito hosted login domain (https://….auth.<region>.amazoncognito.com). */
  authDomain: 'DEMARCHE_AUTH_DOMAIN',
  /** Share of the SES MaxSendRate (GetAccount) the senders are paced to, in (0, 1]. */
  sendRateMargin: 'DEMARCHE_SEND_RATE_MARGIN',
  /** Scheduled launches and deadline expiry, in AWS (set by infra/scheduling.ts on the API function):
   *  the EventBridge Scheduler group, the role Scheduler assumes, the target function and its DLQ. */
  scheduleGroup: 'DEMARCHE_SCHEDULE_GROUP',
  schedulerRoleArn: 'DEMARCHE_SCHEDULER_ROLE_ARN',
  schedulerTargetArn: 'DEMARCHE_SCHEDULER_TARGET_ARN',
  schedulerDlqArn: 'DEMARCHE_SCHEDULER_DLQ_ARN',
  /** Folder of the MJML templates (templates/ of the repository by default; copied beside the API bundle in AWS). */
  templatesDir: 'DEMARCHE_TEMPLATES_DIR',
  /** Inbound replies, in AWS: the bucket the SES receipt rule writes raw messages to, and its key prefix. */
  inboundBucket: 'DEMARCHE_INBOUND_BUCKET',
  inboundPrefix: 'DEMARCHE_INBOUND_PREFIX',
  /** Default sender and reply domain of plain-text statements (CLI and API; set from cdk.json in AWS). */
  from: 'DEMARCHE_FROM',
  replyDomain: 'DEMARCHE_REPLY_DOMAIN',
  /** The From addresses campaigns may use (comma-separated; "@domain" allows a whole domain). */
  senderAddresses: 'DEMARCHE_SENDER_ADDRESSES',
  /** The launch function the API and the scheduler hand launches and imports to (AWS). */
  launchFunction: 'DEMARCHE_LAUNCH_FUNCTION',
  /** The bucket large recipients lists are uploaded to (AWS; presigned PUT). */
  uploadBucket: 'DEMARCHE_UPLOAD_BUCKET',
  /** Approval before launch/schedule: `two-person` (default) or `single` for small teams. */
  approval: 'DEMARCHE_APPROVAL',
  /** The SES events queue: the tracking function hands opens, clicks and unsubscribes to the events function through it. */
  /** The CLI's acting user when no `--as` is given (locally the CLI has no login). */
  cliUser: 'DEMARCHE_USER',
  /** Officials' addresses not verified within this many days are warned about (default 90). */
  verifyWindowDays: 'DEMARCHE_VERIFY_WINDOW_DAYS',
  /** DNS servers preflight asks for SPF and DMARC records ("host[:port],…"); the system's when unset. */
  dnsServers: 'DEMARCHE_DNS_SERVERS',
  /** Days after a campaign finishes that its personal items expire (DynamoDB TTL; default 365). */
  retentionDays: 'DEMARCHE_RETENTION_DAYS',
  /**
   * The privacy notice letters and the recipient's pages link to: the
   * deployment's own page when set, else demarche's generated one (GET
   * /privacy) saying who the controller is and how to reach them.
   */
  privacyUrl: 'DEMARCHE_PRIVACY_URL',
  privacyController: 'DEMARCHE_PRIVACY_CONTROLLER',
  privacyContact: 'DEMARCHE_PRIVACY_CONTACT',
  unmatchedReplyDays: 'DEMARCHE_UNMATCHED_REPLY_DAYS',
} as const;

const schema = z.object({
  [ENV.table]: z._default(z.string().check(z.minLength(3)), 'demarche'),
  [ENV.sendQueueUrl]: z.optional(z.url()),
  [ENV.eventsQueueUrl]: z.optional(z.url()),
  [ENV.configurationSet]: z.optional(z.string().check(z.minLength(1))),
  [ENV.dynamoEndpoint]: z.optional(z.url()),
  [ENV.sesEndpoint]: z.optional(z.url()),
  [ENV.region]: z._default(z.string().check(z.minLength(1)), 'eu-west-1'),
  [ENV.publicUrl]: z._default(z.url(), 'http://localhost:8767'),
  [ENV.sendRateMargin]: z._default(z.coerce.number().check(z.gt(0), z.lte(1)), 0.8),
  [ENV.privacyUrl]: z.optional(z.url({ protocol: /^https?$/ })),
  [ENV.privacyController]: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(500))),
  [ENV.privacyContact]: z.optional(z.email()),
});

export interface Config {
  table: string;
  sendQueueUrl?: string;
  eventsQueueUrl?: string;
  configurationSet?: string;
  dynamoEndpoint?: string;
  sesEndpoint?: string;
  region: string;
  publicUrl: string;
  sendRateMargin: number;
  /** The deployment's own privacy notice; absent: the generated page. */
  privacyUrl?: string;
  /** Who is responsible for the recipients' data (name and postal address), and where to write. */
  privacyController?: string;
  privacyContact?: string;
}

z.config(en());

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues
      .map((i) => `${String(i.path[0])}: ${i.message}`)
      .join('; ');
    throw new ConfigError(`configuration is invalid: ${problems}`, { issues: result.error.issues });
  }
  const e = result.data;
  return {
    table: e[ENV.table],
    sendQueueUrl: e[ENV.sendQueueUrl],
    eventsQueueUrl: e[ENV.eventsQueueUrl],
    configurationSet: e[ENV.configurationSet],
    dynamoEndpoint: e[ENV.dynamoEndpoint],
    sesEndpoint: e[ENV.sesEndpoint],
    region: e[ENV.region],
    publicUrl: e[ENV.publicUrl].replace(/\/+$/, ''),
    sendRateMargin: e[ENV.sendRateMargin],
    privacyUrl: e[ENV.privacyUrl],
    privacyController: e[ENV.privacyController],
    privacyContact: e[ENV.privacyContact],
  };
}

/**
 * Where `demarche login` receives Cognito's redirect: a loopback server on
 * 127.0.0.1 at this port. Cognito takes plain HTTP only for http://localhost
 * and matches callback URLs exactly, so the stack registers this one URL on
 * the dashboard's app client (the same client: tokens of any other are refused).
 */
export const CLI_LOGIN_PORT = 8739;
export const CLI_LOGIN_REDIRECT = `http://localhost:${CLI_LOGIN_PORT}/callback`;

/** Credentials for local stand-ins, which accept any; never used when no endpoint is set. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
