/**
 * Sending: the SES v2 identity (Easy DKIM, custom MAIL FROM) and
 * configuration set, the send queue with its dead-letter queue, the sender
 * (SQS → SES, partial batch failures, bounded concurrency) and the launch
 * function that fills the queue.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  EmailIdentity,
  Identity,
  MailFromBehaviorOnMxFailure,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { acknowledge, nagValue } from './nag.js';
import { Construct } from 'constructs';
import { ENV } from '../functions/adapters/config.js';
import { QUEUES } from '../functions/adapters/stack-definition.js';
import { grantTable, TABLE_ACCESS } from './access.js';
import { hasEntry } from './bundling.js';
import type { StackConfig } from './config.js';
import { DemarcheFunction } from './lambda.js';
import type { Storage } from './storage.js';

export interface SendingProps {
  config: StackConfig;
  storage: Storage;
  logRetention: RetentionDays;
}

/** Sender timeout and queue settings: functions/adapters/stack-definition.ts says why. */
const SEND = QUEUES.send;
const SENDER_TIMEOUT = Duration.seconds(SEND.consumerTimeoutSeconds);

/**
 * Sender instances for a send rate (letters a second): each instance holds a
 * batch of ten letters, all waiting for their send slots, so C instances make
 * a line of C × 10 / rate seconds. Sized so the line stays near four seconds
 * (well inside the ten a letter may wait before it is handed back): enough
 * instances to keep SES busy, not so many that most jobs are refused each
 * pass. At least two (the SQS event source's minimum), at most `cap`.
 */
export function senderConcurrency(rate: number, cap: number): number {
  return Math.max(2, Math.min(cap, Math.ceil((rate * 4) / 10)));
}

export class Sending extends Construct {
  readonly identity: EmailIdentity;
  readonly configurationSet: ConfigurationSet;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly sender?: DemarcheFunction;
  readonly launch?: DemarcheFunction;
  /** What preflight reads (core/preflight.ts): any identity, and this configuration set. */
  private readonly preflightReads: PolicyStatement[];
  /** Sending as the coalition's domain, through its identity (and its default configuration set). */
  private readonly mailSends: PolicyStatement;

  constructor(scope: Construct, id: string, props: SendingProps) {
    super(scope, id);
    const { config, storage } = props;
    const stack = Stack.of(this);

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.identity = new EmailIdentity(this, 'Identity', {
      identity: Identity.domain(config.domain),
      configurationSet: this.configurationSet,
      dkimSigning: true,
      mailFromDomain: `${config.mailFromLabel}.${config.domain}`,
      // Never send with an unaligned MAIL FROM: DMARC alignment matters more than one letter.
      mailFromBehaviorOnMxFailure: MailFromBehaviorOnMxFailure.REJECT_MESSAGE,
    });

    this.deadLetterQueue = new Queue(this, SEND.deadLetter.id, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.seconds(SEND.deadLetter.retentionSeconds),
    });
    this.queue = new Queue(this, SEND.id, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(SEND.visibilityTimeoutSeconds),
      retentionPeriod: Duration.seconds(SEND.retentionSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: SEND.maxReceiveCount },
    });

    const configurationSetArn = stack.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });
    const identityArn = stack.formatArn({
      service: 'ses',
      resource: 'identity',
      resourceName: config.domain,
    });
    const common = {
      [ENV.table]: storage.table.tableName,
      [ENV.secretArn]: storage.secret.secretArn,
    };
    this.mailSends = new PolicyStatement({
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resources: [identityArn, configurationSetArn],
      conditions: {
        StringLike: { 'ses:FromAddress': [`*@${config.domain}`, `*@*.${config.domain}`] },
      },
    });
    this.preflightReads = [
      new PolicyStatement({
        actions: ['ses:GetEmailIdentity'],
        resources: [stack.formatArn({ service: 'ses', resource: 'identity', resourceName: '*' })],
      }),
      new PolicyStatement({
        actions: ['ses:GetConfigurationSet', 'ses:GetConfigurationSetEventDestinations'],
        resources: [configurationSetArn],
      }),
    ];

    if (hasEntry('sender')) {
      const sender = new DemarcheFunction(this, 'Sender', {
        name: 'sender',
        description: 'demarche: SQS send jobs → one letter each through SES v2',
        memorySize: 512,
        timeout: SENDER_TIMEOUT,
        logRetention: props.logRetention,
        environment: {
          ...common,
          [ENV.configurationSet]: this.configurationSet.configurationSetName,
          [ENV.sendRateMargin]: String(config.sesRateMargin),
        },
      });
      grantTable(sender.role, storage.table, TABLE_ACCESS.sender);
      storage.secret.grantRead(sender.role);
      sender.role.addToPolicy(
        new PolicyStatement({
          actions: ['ses:SendEmail', 'ses:SendRawEmail'],
          resources: [identityArn, configurationSetArn],
          conditions: {
            StringLike: { 'ses:FromAddress': [`*@${config.domain}`, `*@*.${config.domain}`] },
          },
        }),
      );
      // Pacing reads the account's MaxSendRate; GetAccount has no resource-level permissions.
      sender.role.addToPolicy(
        new PolicyStatement({ actions: ['ses:GetAccount'], resources: ['*'] }),
      );
      acknowledge(sender.role, {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ses:GetAccount (read the send quota for pacing) supports no resource-level permissions, so its resource must be *; the action itself is not a wildcard.',
      });
      sender.fn.addEventSource(
        new SqsEventSource(this.queue, {
          batchSize: SEND.batchSize,
          maxBatchingWindow: Duration.seconds(SEND.maxBatchingWindowSeconds),
          reportBatchItemFailures: true,
          maxConcurrency: senderConcurrency(
            config.sesMaxSendRate * config.sesRateMargin,
            config.senderMaxConcurrency,
          ),
        }),
      );
      this.sender = sender;
    }

    if (hasEntry('launch')) {
      const launch = new DemarcheFunction(this, 'Launch', {
        name: 'launch',
        description: 'demarche: campaign launch → one send job per recipient',
        memorySize: 512,
        // Streams 100,000 recipients in pages onto SQS: minutes, not seconds.
        timeout: Duration.minutes(10),
        logRetention: props.logRetention,
        environment: {
          [ENV.table]: storage.table.tableName,
          [ENV.sendQueueUrl]: this.queue.queueUrl,
        },
      });
      grantTable(launch.role, storage.table, TABLE_ACCESS.launch);
      this.queue.grantSendMessages(launch.role);
      this.launch = launch;
    }
  }

  /**
   * Lets a function send mail of its own as the coalition's domain (sign-on's
   * confirmation and rename notices); `paced`: it draws from the shared send
   * line, which reads the account's send rate.
   */
  allowMail(fn: DemarcheFunction, paced: boolean): void {
    fn.role.addToPolicy(this.mailSends);
    if (!paced) return;
    fn.role.addToPolicy(new PolicyStatement({ actions: ['ses:GetAccount'], resources: ['*'] }));
    acknowledge(fn.role, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ses:GetAccount (read the send quota for pacing) supports no resource-level permissions, so its resource must be *; the action itself is not a wildcard.',
    });
  }

  /**
   * Lets a function run preflight before a launch: read the sending identity
   * (the From address, its domain and parents, and in the SES sandbox each
   * recipient's, so any identity of the account) and the configuration set
   * with its event destinations.
   */
  allowPreflight(fn: DemarcheFunction): void {
    for (const statement of this.preflightReads) fn.role.addToPolicy(statement);
    const stack = Stack.of(this);
    acknowledge(fn.role, {
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:${nagValue(stack.region, 'AWS::Region')}:${nagValue(stack.account, 'AWS::AccountId')}:identity/*]`,
      reason:
        'ses:GetEmailIdentity (read only) on the identities of this account and region: preflight looks up the From address, its domain and parent domains, and in the SES sandbox each recipient, none of which is known when the stack is deployed.',
    });
  }
}
