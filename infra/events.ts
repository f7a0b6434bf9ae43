/**
 * Events: SES publishes every event of the configuration set to EventBridge;
 * one rule sends them to an SQS queue (with a DLQ) that the events function
 * drains with partial batch failures. A CloudWatch destination on the same
 * configuration set gives the alarms and dashboard per-campaign Send, Bounce
 * and Complaint metrics (dimension `campaign`, from the message tag).
 */
import { Duration } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  CloudWatchDimensionSource,
  type ConfigurationSet,
  EmailSendingEvent,
  EventDestination,
} from 'aws-cdk-lib/aws-ses';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../functions/adapters/config.js';
import { QUEUES } from '../functions/adapters/stack-definition.js';
import { grantTable, TABLE_ACCESS } from './access.js';
import { hasEntry } from './bundling.js';
import { DemarcheFunction } from './lambda.js';
import type { Storage } from './storage.js';

/** The EventBridge detail types SES uses, one per event type it publishes. */
export const SES_DETAIL_TYPES = [
  'Email Sent',
  'Email Delivered',
  'Email Bounced',
  'Email Complaint Received',
  'Email Rejected',
  'Email Delivery Delayed',
  'Email Opened',
  'Email Clicked',
  'Email Rendering Failed',
  'Email Subscribed',
];

/** The CloudWatch metric dimension SES fills from each message's `campaign` tag. */
export const CAMPAIGN_DIMENSION = 'campaign';

export interface EventsProps {
  storage: Storage;
  configurationSet: ConfigurationSet;
  logRetention: RetentionDays;
  /**
   * SES's Send, Delivery, Bounce, Complaint and Reject metrics per campaign in
   * CloudWatch (custom metrics, billed by the hour they receive data): the
   * `full` profile's dashboard and rate alarms read them.
   */
  campaignMetrics?: boolean;
}

const EVENTS = QUEUES.events;
const EVENTS_TIMEOUT = Duration.seconds(EVENTS.consumerTimeoutSeconds);

/** What became of each letter: the events both destinations carry. */
const LETTER_EVENTS = [
  EmailSendingEvent.SEND,
  EmailSendingEvent.DELIVERY,
  EmailSendingEvent.BOUNCE,
  EmailSendingEvent.COMPLAINT,
  EmailSendingEvent.REJECT,
];

export class Events extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly rule: Rule;
  readonly handler?: DemarcheFunction;

  constructor(scope: Construct, id: string, props: EventsProps) {
    super(scope, id);
    const { storage, configurationSet } = props;

    configurationSet.addEventDestination('ToEventBridge', {
      destination: EventDestination.eventBus(
        EventBus.fromEventBusName(this, 'DefaultBus', 'default'),
      ),
      events: [
        ...LETTER_EVENTS,
        EmailSendingEvent.DELIVERY_DELAY,
        EmailSendingEvent.OPEN,
        EmailSendingEvent.CLICK,
        EmailSendingEvent.RENDERING_FAILURE,
        EmailSendingEvent.SUBSCRIPTION,
      ],
    });
    if (props.campaignMetrics !== false)
      configurationSet.addEventDestination('ToCloudWatch', {
        destination: EventDestination.cloudWatchDimensions([
          {
            name: CAMPAIGN_DIMENSION,
            source: CloudWatchDimensionSource.MESSAGE_TAG,
            defaultValue: 'none',
          },
        ]),
        events: LETTER_EVENTS,
      });

    this.deadLetterQueue = new Queue(this, EVENTS.deadLetter.id, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.seconds(EVENTS.deadLetter.retentionSeconds),
    });
    this.queue = new Queue(this, EVENTS.id, {
      // SSE-SQS, not KMS: EventBridge can deliver to it without a key policy.
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(EVENTS.visibilityTimeoutSeconds),
      retentionPeriod: Duration.seconds(EVENTS.retentionSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: EVENTS.maxReceiveCount },
    });
    this.rule = new Rule(this, 'SesEvents', {
      description: 'SES events of the demarche configuration set → events queue',
      eventPattern: {
        source: ['aws.ses'],
        detailType: SES_DETAIL_TYPES,
        detail: {
          mail: { tags: { 'ses:configuration-set': [configurationSet.configurationSetName] } },
        },
      },
      targets: [new SqsQueue(this.queue, { deadLetterQueue: this.deadLetterQueue })],
    });

    if (hasEntry('events')) {
      const fn = new DemarcheFunction(this, 'Handler', {
        name: 'events',
        description: 'demarche: SES events → recipient state, counters, suppressions',
        memorySize: 512,
        timeout: EVENTS_TIMEOUT,
        logRetention: props.logRetention,
        environment: { [ENV.table]: storage.table.tableName },
      });
      grantTable(fn.role, storage.table, TABLE_ACCESS.events);
      fn.fn.addEventSource(
        new SqsEventSource(this.queue, {
          batchSize: EVENTS.batchSize,
          maxBatchingWindow: Duration.seconds(EVENTS.maxBatchingWindowSeconds),
          reportBatchItemFailures: true,
          maxConcurrency: 5,
        }),
      );
      this.handler = fn;
    }
  }
}
