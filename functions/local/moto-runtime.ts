/**
 * The local runtime's emulated-AWS mode (`aws: 'moto'`): moto on a loopback
 * port, the stack's resources created on it (moto-stack.ts), and the
 * functions' environment set as CDK sets it in AWS (queue URL, bucket,
 * secret ARN, schedule group, Cognito issuer and client), plus the AWS SDK's
 * standard per-service endpoint variables (AWS_ENDPOINT_URL_SQS …) that point
 * those clients at moto. So deps.ts builds the real adapters from the
 * environment exactly as in Lambda: SqsQueue, S3RawStore, the Secrets Manager
 * secret, EventBridgeSchedules; the API verifies Cognito ID tokens. DynamoDB
 * stays on DynamoDB Local and SES on the local SES endpoint (moto has no SES
 * v2 GetAccount and publishes no SES events).
 *
 * The send and events queues are fed to their handlers by an event-source
 * poller (sqs-poller.ts), as Lambda's SQS integration does.
 */
import { randomBytes } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ENV } from '../adapters/config.js';
import { SqsQueue } from '../adapters/sqs-queue.js';
import { cognitoIssuer, INBOUND_PREFIX } from '../adapters/stack-definition.js';
import type { SendJob } from '../core/ports.js';
import { startMoto, type Moto } from './moto.js';
import { createMotoStack, motoClientConfig, type MotoQueue, type MotoStack } from './moto-stack.js';
import type { BatchHandler, RuntimeQueue } from './queue.js';
import { SqsPoller } from './sqs-poller.js';

export interface MotoOptions {
  /** Tests only: a visibility timeout shorter than the stack's, so failures come back in seconds. */
  visibilityTimeoutSeconds?: number;
  /** Batches each poller hands its handler at once (default 4). */
  concurrency?: number;
}

/** What a second process needs to use the same emulated AWS (kept in runtime.json). */
export interface MotoRuntimeFile {
  endpoint: string;
  stack: MotoStack;
}

/**
 * A queue of the stack on moto, as the runtime and tests see it: jobs go in
 * through the real SqsQueue adapter, and an event-source poller feeds them to
 * the handler once started.
 */
export class SqsRuntimeQueue implements RuntimeQueue {
  readonly poller: SqsPoller;
  private sending = new Set<Promise<void>>();

  constructor(
    readonly queue: MotoQueue,
    private readonly sqs: SQSClient,
    region: string,
    concurrency: number,
  ) {
    this.poller = new SqsPoller({
      sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      region,
      batchSize: queue.def.batchSize,
      maxBatchingWindowMs: queue.def.maxBatchingWindowSeconds * 1000,
      concurrency,
      // Shorter long polls than Lambda's 20 s, so that the runtime stops within two seconds.
      waitTimeSeconds: 2,
    });
  }

  get received(): number {
    return this.poller.received;
  }

  enqueue(jobs: SendJob[]): Promise<void> {
    return new SqsQueue(this.sqs, this.queue.url).enqueue(jobs);
  }

  /** Sends a raw body; drained() waits for it to be on the queue. */
  sendRaw(body: string): Promise<void> {
    const p = this.poller.sendRaw(body);
    this.sending.add(p);
    void p.catch(() => {}).finally(() => this.sending.delete(p));
    return p;
  }

  start(handler: BatchHandler): void {
    this.poller.start(handler);
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.sending]);
    await this.poller.stop();
  }

  async drained(): Promise<void> {
    await Promise.allSettled([...this.sending]);
    await this.poller.drained();
  }

  /** Messages SQS has moved to the dead-letter queue (after maxReceiveCount receives). */
  async deadLettered(): Promise<number> {
    const d = await this.poller.depth(this.queue.dlqUrl);
    return d.visible + d.notVisible + d.delayed;
  }
}

export interface MotoAws {
  endpoint: string;
  stack: MotoStack;
  file: MotoRuntimeFile;
  queue: SqsRuntimeQueue;
  eventsQueue: SqsRuntimeQueue;
  /** An ID token of the staff user pool for `email` in `groups`, as Cognito issues it at sign-in. */
  staffToken(who: { email: string; groups: readonly string[] }): Promise<string>;
  /** Stops the pollers' clients, moto (when this process started it) and restores the environment. */
  stop(): Promise<void>;
}

/** The functions' environment in AWS, for this stack on moto. */
export function motoEnv(endpoint: string, stack: MotoStack): Record<string, string> {
  return {
    // The SDK's own per-service endpoint settings: every client built without an endpoint uses them.
    AWS_ENDPOINT_URL_SQS: endpoint,
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint,
    AWS_ENDPOINT_URL_SCHEDULER: endpoint,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoint,
    // moto accepts any credentials; these make sure no real ones are used or needed.
    AWS_ACCESS_KEY_ID: 'moto',
    AWS_SECRET_ACCESS_KEY: 'moto',
    [ENV.region]: stack.region,
    [ENV.sendQueueUrl]: stack.sendQueue.url,
    [ENV.eventsQueueUrl]: stack.eventsQueue.url,
    [ENV.inboundBucket]: stack.bucket,
    [ENV.inboundPrefix]: INBOUND_PREFIX,
    [ENV.secretArn]: stack.secretArn,
    [ENV.scheduleGroup]: stack.scheduleGroup,
    [ENV.schedulerRoleArn]: stack.schedulerRoleArn,
    [ENV.schedulerTargetArn]: stack.schedulerTargetArn,
    [ENV.schedulerDlqArn]: stack.schedulerDlqArn,
    [ENV.authIssuer]: cognitoIssuer(stack.region, stack.userPoolId),
    [ENV.authAudience]: stack.clientId,
  };
}

/** Sets `vars` in process.env; the function returned puts back what was there. */
function applyEnv(vars: Record<string, string>): () => void {
  const before = new Map(Object.keys(vars).map((k) => [k, process.env[k]]));
  // A session token or profile of real credentials would be sent along with the fake keys.
  for (const k of ['AWS_SESSION_TOKEN', 'AWS_PROFILE']) before.set(k, process.env[k]);
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  Object.assign(process.env, vars);
  return () => {
    for (const [k, v] of before) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/**
 * Starts moto and creates the stack on it, or (given `existing`) uses the
 * moto another process started, and sets the environment.
 */
export async function startMotoAws(
  opts: MotoOptions & { region: string; existing?: MotoRuntimeFile },
): Promise<MotoAws> {
  let moto: Moto | undefined;
  let file = opts.existing;
  if (!file) {
    moto = await startMoto();
    try {
      const stack = await createMotoStack({
        endpoint: moto.endpoint,
        region: opts.region,
        visibilityTimeoutSeconds: opts.visibilityTimeoutSeconds,
      });
      file = { endpoint: moto.endpoint, stack };
    } catch (err) {
      await moto.stop();
      throw err;
    }
  }
  const { endpoint, stack } = file;
  const restore = applyEnv(motoEnv(endpoint, stack));
  const cfg = motoClientConfig(endpoint, stack.region);
  const sqs = new SQSClient(cfg);
  const cognito = new CognitoIdentityProviderClient(cfg);
  const concurrency = opts.concurrency ?? 4;
  return {
    endpoint,
    stack,
    file,
    queue: new SqsRuntimeQueue(stack.sendQueue, sqs, stack.region, concurrency),
    eventsQueue: new SqsRuntimeQueue(stack.eventsQueue, sqs, stack.region, concurrency),
    staffToken: async (who) =>
      (await signIn(cognito, { userPoolId: stack.userPoolId, clientId: stack.clientId }, who))
        .idToken,
    async stop() {
      sqs.destroy();
      cognito.destroy();
      await moto?.stop();
      restore();
    },
  };
}

/**
 * Signs a staff user in and returns the tokens Cognito issues: the user is
 * created (once) with a fresh permanent password, added to its groups and
 * authenticated with AdminInitiateAuth. moto does not check the app client's
 * allowed auth flows (the dashboard client allows SRP only) nor the pool's MFA.
 */
export async function signIn(
  cognito: CognitoIdentityProviderClient,
  pool: { userPoolId: string; clientId: string },
  who: { email: string; groups: readonly string[] },
): Promise<{ idToken: string; accessToken: string }> {
  const UserPoolId = pool.userPoolId;
  const Username = who.email;
  try {
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId,
        Username,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: who.email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
  } catch (err) {
    if (!(err instanceof UsernameExistsException)) throw err;
  }
  const Password = `Aa1!${randomBytes(12).toString('base64url')}`;
  await cognito.send(
    new AdminSetUserPasswordCommand({ UserPoolId, Username, Password, Permanent: true }),
  );
  for (const GroupName of who.groups)
    await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId, Username, GroupName }));
  const out = await cognito.send(
    new AdminInitiateAuthCommand({
      UserPoolId,
      ClientId: pool.clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: Username, PASSWORD: Password },
    }),
  );
  const idToken = out.AuthenticationResult?.IdToken;
  const accessToken = out.AuthenticationResult?.AccessToken;
  if (!idToken || !accessToken)
    throw new Error(
      `Cognito (moto) gave no tokens for ${who.email}: ${out.ChallengeName ?? 'no challenge'}`,
    );
  return { idToken, accessToken };
}
