/**
 * Inbound: replies to reply+TOKEN@<reply domain>. An SES receipt rule (spam
 * and virus scanning on, TLS required) stores the raw MIME in an encrypted,
 * private, TLS-only bucket with a lifecycle, then invokes the inbound
 * function, which reads the object. SES cannot activate a rule set from
 * CloudFormation: the README's deploy steps do it once. The function has
 * reserved concurrency: anyone on the internet can send mail to the reply
 * domain, and a flood must wait in Lambda's event queue (which retries for up
 * to six hours) instead of taking the account's concurrency from the sender.
 */
import { type CfnElement, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { ReceiptRuleSet, TlsPolicy } from 'aws-cdk-lib/aws-ses';
import { Lambda, LambdaInvocationType, S3 } from 'aws-cdk-lib/aws-ses-actions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { acknowledge } from './nag.js';
import { Construct } from 'constructs';
import { ENV } from '../functions/adapters/config.js';
import { INBOUND_PREFIX } from '../functions/adapters/stack-definition.js';
import { grantTable, TABLE_ACCESS } from './access.js';
import { hasEntry } from './bundling.js';
import type { StackConfig } from './config.js';
import { DemarcheFunction } from './lambda.js';
import type { Storage } from './storage.js';

/** Where raw inbound messages are stored in the bucket. */
export { INBOUND_PREFIX };

/**
 * Inbound functions running at once, at most. Reading one message costs at
 * most about a second (its parse budget), so five take about 18,000 replies
 * an hour, and the rest of the account's concurrency stays for sending.
 */
export const INBOUND_CONCURRENCY = 5;

export interface InboundProps {
  config: StackConfig;
  storage: Storage;
  logRetention: RetentionDays;
}

export class Inbound extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;
  readonly ruleSet: ReceiptRuleSet;
  readonly deadLetterQueue: Queue;
  readonly handler?: DemarcheFunction;

  constructor(scope: Construct, id: string, props: InboundProps) {
    super(scope, id);
    const { config, storage } = props;

    this.accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(config.inboundRetentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new Bucket(this, 'Mail', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: false,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'mail/',
      lifecycleRules: [
        {
          prefix: INBOUND_PREFIX,
          expiration: Duration.days(config.inboundRetentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const fn = hasEntry('inbound')
      ? new DemarcheFunction(this, 'Handler', {
          name: 'inbound',
          description: 'demarche: SES inbound reply → match, classify, extract, store',
          memorySize: 1024,
          timeout: Duration.seconds(60),
          logRetention: props.logRetention,
          environment: {
            [ENV.table]: storage.table.tableName,
            [ENV.secretArn]: storage.secret.secretArn,
          },
        })
      : undefined;
    // Receipt rules invoke asynchronously: a reply the function cannot take
    // after Lambda's retries lands here (the raw message stays in S3).
    this.deadLetterQueue = new Queue(this, 'InboundDlq', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.deadLetterQueue, {
      id: 'AwsSolutions-SQS3',
      reason:
        'This is the failure destination of the inbound function; nothing reads it but people.',
    });
    if (fn) {
      (fn.fn.node.defaultChild as CfnFunction).reservedConcurrentExecutions = INBOUND_CONCURRENCY;
      fn.fn.configureAsyncInvoke({
        retryAttempts: 2,
        onFailure: new SqsDestination(this.deadLetterQueue),
      });
      // Matching a reply by its References reads the sent Message-IDs in batches.
      grantTable(fn.role, storage.table, TABLE_ACCESS.inbound);
      storage.secret.grantRead(fn.role);
      this.allowReading(fn);
      this.handler = fn;
    }

    this.ruleSet = new ReceiptRuleSet(this, 'RuleSet', {
      rules: [
        {
          recipients: [config.replyDomain],
          scanEnabled: true,
          tlsPolicy: TlsPolicy.REQUIRE,
          actions: [
            new S3({ bucket: this.bucket, objectKeyPrefix: INBOUND_PREFIX }),
            ...(fn
              ? [new Lambda({ function: fn.fn, invocationType: LambdaInvocationType.EVENT })]
              : []),
          ],
        },
      ],
    });
  }

  /**
   * Lets a function read raw replies (the inbound handler parses them, the
   * API shows them to staff, and deletes them when a person is erased):
   * s3:GetObject (s3:DeleteObject with `erase`) under the inbound prefix only, and
   * the bucket's name and prefix through ENV.
   */
  allowReading(fn: DemarcheFunction, opts: { erase?: boolean } = {}): void {
    fn.role.addToPolicy(
      new PolicyStatement({
        // Erasing a person (issue 11) deletes their raw replies too.
        actions: opts.erase ? ['s3:GetObject', 's3:DeleteObject'] : ['s3:GetObject'],
        resources: [this.bucket.arnForObjects(`${INBOUND_PREFIX}*`)],
      }),
    );
    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnElement);
    acknowledge(fn.role, {
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${INBOUND_PREFIX}*]`,
      reason:
        'Each reply is a new object named by SES (its message id) under inbound/; the grant is s3:GetObject (and, for the API that erases people, s3:DeleteObject) under that prefix only, no wildcard action.',
    });
    fn.fn.addEnvironment(ENV.inboundBucket, this.bucket.bucketName);
    fn.fn.addEnvironment(ENV.inboundPrefix, INBOUND_PREFIX);
  }
}
