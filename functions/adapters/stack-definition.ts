/**
 * The stack's resources besides the table (table-definition.ts), defined
 * once: the CDK constructs in infra/ and the local runtime's emulated AWS
 * (functions/local/moto-stack.ts) both build them from these values, so a
 * queue, bucket prefix, schedule group or user pool met in a test has the
 * redrive policy, visibility timeout, batching and names production has.
 * Plain data, no SDK, so that infra/ can import it without pulling Lambda code.
 */

/** The EventBridge Scheduler group of scheduled launches and expiries (infra/scheduling.ts). */
export const SCHEDULE_GROUP = 'demarche';

/** Where raw inbound messages are stored in the inbound bucket (infra/inbound.ts). */
export const INBOUND_PREFIX = 'inbound/';

/** The staff roles: the Cognito groups of the staff user pool (infra/api.ts) the API checks. */
export const STAFF_GROUPS = ['campaigner', 'viewer'] as const;

/** The `iss` of the tokens a Cognito user pool issues, which the API checks (DEMARCHE_AUTH_ISSUER). */
export const cognitoIssuer = (region: string, userPoolId: string) =>
  `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;

const DAY = 86_400;

export interface QueueDefinition {
  /** The construct id in CDK; locally, the queue's name after `demarche-`. */
  id: string;
  /** Timeout of the function the queue feeds; the visibility timeout is six times it. */
  consumerTimeoutSeconds: number;
  /** SQS visibility timeout: how long a received message stays hidden before it comes back. */
  visibilityTimeoutSeconds: number;
  retentionSeconds: number;
  /** Receives after which SQS moves a message to the dead-letter queue. */
  maxReceiveCount: number;
  /** Lambda event source: records per invocation and how long it gathers them. */
  batchSize: number;
  maxBatchingWindowSeconds: number;
  deadLetter: { id: string; retentionSeconds: number };
}

/** Six times the consumer's timeout, as AWS advises for a Lambda event source. */
function queue(
  def: Omit<QueueDefinition, 'visibilityTimeoutSeconds' | 'retentionSeconds' | 'deadLetter'> & {
    dlqId: string;
  },
): QueueDefinition {
  const { dlqId, ...rest } = def;
  return {
    ...rest,
    visibilityTimeoutSeconds: def.consumerTimeoutSeconds * 6,
    retentionSeconds: 4 * DAY,
    deadLetter: { id: dlqId, retentionSeconds: 14 * DAY },
  };
}

export const QUEUES = {
  /**
   * Send jobs, one per letter. The sender's three minutes cover the longest a
   * letter may legitimately take: a wait for a send slot (≤ 10 s), throttle
   * retries (≤ ~15 s) and, once it has left, up to two minutes of retries to
   * record it (core/send.ts RECORD_PATIENCE_MS). A shorter timeout would cut a
   * sender off while it holds a claim.
   */
  send: queue({
    id: 'SendQueue',
    dlqId: 'SendDlq',
    consumerTimeoutSeconds: 180,
    maxReceiveCount: 5,
    batchSize: 10,
    maxBatchingWindowSeconds: 1,
  }),
  /** SES events (EventBridge → SQS), drained by the events function. */
  events: queue({
    id: 'EventsQueue',
    dlqId: 'EventsDlq',
    consumerTimeoutSeconds: 30,
    maxReceiveCount: 5,
    batchSize: 10,
    maxBatchingWindowSeconds: 1,
  }),
} as const satisfies Record<string, QueueDefinition>;

/** The RedrivePolicy attribute SQS stores for a queue with this dead-letter queue. */
export function redrivePolicy(def: QueueDefinition, deadLetterTargetArn: string): string {
  return JSON.stringify({ deadLetterTargetArn, maxReceiveCount: def.maxReceiveCount });
}
