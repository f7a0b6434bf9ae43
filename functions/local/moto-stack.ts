/**
 * The stack's AWS resources, created on moto from the same definitions the
 * CDK constructs read (functions/adapters/stack-definition.ts): the send and
 * events queues with their dead-letter queues (visibility timeout, retention,
 * redrive policy), the inbound bucket, the signing secret, the schedule group
 * and the staff user pool with its groups and app client. What it returns is
 * what CDK hands the functions through ENV: URLs, names and ARNs.
 *
 * Names: where the CDK code names a resource (schedule group, groups, bucket
 * prefix) the same name; where CloudFormation would invent one, `demarche-`
 * and the construct id.
 */
import { randomBytes } from 'node:crypto';
import {
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateScheduleGroupCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS } from '../adapters/config.js';
import {
  QUEUES,
  redrivePolicy,
  SCHEDULE_GROUP,
  STAFF_GROUPS,
  type QueueDefinition,
} from '../adapters/stack-definition.js';
import { MOTO_ACCOUNT } from './moto.js';

export interface MotoQueue {
  url: string;
  arn: string;
  dlqUrl: string;
  dlqArn: string;
  def: QueueDefinition;
}

export interface MotoStack {
  region: string;
  sendQueue: MotoQueue;
  eventsQueue: MotoQueue;
  bucket: string;
  secretArn: string;
  scheduleGroup: string;
  /** What the API function would invoke through Scheduler; moto stores schedules and never fires them. */
  schedulerRoleArn: string;
  schedulerTargetArn: string;
  schedulerDlqArn: string;
  userPoolId: string;
  clientId: string;
}

export interface MotoStackOptions {
  endpoint: string;
  region: string;
  /**
   * Tests only: a shorter visibility timeout than the stack's, so that a
   * failure comes back in seconds rather than after the production timeout.
   */
  visibilityTimeoutSeconds?: number;
}

/** Clients for moto: its endpoint, any credentials (moto accepts all). */
export function motoClientConfig(endpoint: string, region: string) {
  return { endpoint, region, credentials: LOCAL_CREDENTIALS };
}

async function createQueue(
  sqs: SQSClient,
  def: QueueDefinition,
  visibilityTimeoutSeconds: number | undefined,
): Promise<MotoQueue> {
  const dlq = await sqs.send(
    new CreateQueueCommand({
      QueueName: `demarche-${def.deadLetter.id}`,
      Attributes: {
        MessageRetentionPeriod: String(def.deadLetter.retentionSeconds),
        SqsManagedSseEnabled: 'true',
      },
    }),
  );
  const dlqArn = await queueArn(sqs, dlq.QueueUrl!);
  const main = await sqs.send(
    new CreateQueueCommand({
      QueueName: `demarche-${def.id}`,
      Attributes: {
        VisibilityTimeout: String(visibilityTimeoutSeconds ?? def.visibilityTimeoutSeconds),
        MessageRetentionPeriod: String(def.retentionSeconds),
        RedrivePolicy: redrivePolicy(def, dlqArn),
        SqsManagedSseEnabled: 'true',
      },
    }),
  );
  return {
    url: main.QueueUrl!,
    arn: await queueArn(sqs, main.QueueUrl!),
    dlqUrl: dlq.QueueUrl!,
    dlqArn,
    def,
  };
}

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const out = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return out.Attributes!.QueueArn!;
}

/** Creates every resource; a fresh moto has none of them, so nothing is looked up first. */
export async function createMotoStack(opts: MotoStackOptions): Promise<MotoStack> {
  const window = Math.max(...Object.values(QUEUES).map((q) => q.maxBatchingWindowSeconds));
  if (opts.visibilityTimeoutSeconds !== undefined && opts.visibilityTimeoutSeconds <= window)
    // A batch gathered for longer than its messages stay hidden would receive them twice.
    throw new Error(
      `a visibility timeout of ${opts.visibilityTimeoutSeconds} s must exceed the ${window} s batching window`,
    );
  const cfg = motoClientConfig(opts.endpoint, opts.region);
  const sqs = new SQSClient(cfg);
  const s3 = new S3Client(cfg);
  const secrets = new SecretsManagerClient(cfg);
  const scheduler = new SchedulerClient(cfg);
  const cognito = new CognitoIdentityProviderClient(cfg);
  try {
    const [sendQueue, eventsQueue] = await Promise.all([
      createQueue(sqs, QUEUES.send, opts.visibilityTimeoutSeconds),
      createQueue(sqs, QUEUES.events, opts.visibilityTimeoutSeconds),
    ]);
    // Bucket names are global in AWS; a random suffix keeps two runtimes apart.
    const bucket = `demarche-mail-${randomBytes(4).toString('hex')}`;
    await s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        // us-east-1 is the one region that takes no location constraint.
        ...(opts.region === 'us-east-1'
          ? {}
          : { CreateBucketConfiguration: { LocationConstraint: opts.region as 'eu-west-1' } }),
      }),
    );
    // As infra/storage.ts generates it: 64 characters, no punctuation.
    const secret = await secrets.send(
      new CreateSecretCommand({
        Name: 'demarche-SigningSecret',
        Description: 'demarche HMAC key for tracking, unsubscribe, web-version and reply tokens',
        SecretString: randomBytes(48).toString('base64url').replace(/[-_]/g, 'x').slice(0, 64),
      }),
    );
    await scheduler.send(new CreateScheduleGroupCommand({ Name: SCHEDULE_GROUP }));
    const pool = await cognito.send(
      new CreateUserPoolCommand({
        PoolName: 'demarche-Staff',
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        UsernameAttributes: ['email'],
      }),
    );
    const userPoolId = pool.UserPool!.Id!;
    for (const group of STAFF_GROUPS)
      await cognito.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: group }));
    const client = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: 'demarche-Dashboard',
        GenerateSecret: false,
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        PreventUserExistenceErrors: 'ENABLED',
      }),
    );
    const arn = (service: string, resource: string) =>
      `arn:aws:${service}:${opts.region}:${MOTO_ACCOUNT}:${resource}`;
    return {
      region: opts.region,
      sendQueue,
      eventsQueue,
      bucket,
      secretArn: secret.ARN!,
      scheduleGroup: SCHEDULE_GROUP,
      schedulerRoleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/demarche-scheduler-invoke`,
      schedulerTargetArn: arn('lambda', 'function:demarche-scheduler'),
      schedulerDlqArn: arn('sqs', 'demarche-SchedulerDlq'),
      userPoolId,
      clientId: client.UserPoolClient!.ClientId!,
    };
  } finally {
    for (const c of [sqs, s3, secrets, scheduler, cognito]) c.destroy();
  }
}
