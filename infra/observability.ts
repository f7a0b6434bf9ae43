/**
 * Observability: alarms that page someone (via an encrypted SNS topic to the
 * configured address) and one CloudWatch dashboard. Alarms: any message in a
 * dead-letter queue, any handler error, the bounce and complaint rates of
 * the letters sent through the configuration set (per campaign on the
 * dashboard), and the SES account's own reputation metrics, set below the
 * levels at which AWS puts an account under review (5 % bounces, 0.1 %
 * complaints); and from demarche's own metrics (functions/core/metrics.ts):
 * letters waiting in `unknown`, the failed rate, a campaign paused because
 * SES refused the account, partial batch failures (which are not Lambda
 * errors), and the send queue falling behind the nearest deadline. The
 * topic's policy lets CloudWatch publish, for these alarms of this account
 * only: without that statement an alarm may never reach anyone.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  METRIC,
  type MetricName,
  METRICS_NAMESPACE,
  METRICS_SERVICE,
} from '../functions/core/metrics.js';
import { CAMPAIGN_DIMENSION } from './events.js';
import type { DemarcheFunction } from './lambda.js';
import { acknowledge } from './nag.js';

/** Alarm thresholds: below AWS's review levels, so staff act before SES does. */
export const THRESHOLDS = {
  /** Bounces / sends over an hour, across the configuration set. */
  bounceRate: 0.04,
  /** Complaints / sends over an hour, across the configuration set. */
  complaintRate: 0.0008,
  /** SES account Reputation.BounceRate (AWS reviews at 0.05). */
  accountBounceRate: 0.04,
  /** SES account Reputation.ComplaintRate (AWS reviews at 0.001). */
  accountComplaintRate: 0.0008,
  /** Sends in the hour below which a rate says nothing. */
  minimumSample: 100,
  /** Letters SES refused for their recipient / letters sent or refused, over 15 minutes. */
  failedRate: 0.05,
  /** Letters in 15 minutes below which a failed rate says nothing. */
  failedSample: 20,
  /** The send queue's oldest job may wait this share of the time left to the nearest deadline. */
  queueAgeShareOfTimeLeft: 0.25,
} as const;

export interface ObservabilityProps {
  /**
   * `lean` (the default profile): the alarms that page someone about lost
   * letters, a deadline at risk and the SES account's standing, on a topic
   * without a customer-managed key, and no CloudWatch dashboard; `full`:
   * every alarm and the dashboard, the topic under a KMS key (docs/cost.md).
   */
  profile?: 'lean' | 'full';
  alarmEmail: string;
  configurationSetName: string;
  functions: Record<string, DemarcheFunction | undefined>;
  deadLetterQueues: Record<string, Queue>;
  queues: Record<string, Queue>;
}

export class Observability extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard?: Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const region = Stack.of(this).region;
    const full = props.profile === 'full';

    // A customer-managed key: CloudWatch can only publish to an encrypted
    // topic whose key policy lets it, which AWS-managed keys do not. It costs
    // $1 a month, half of a lean stack's idle cost, for messages that carry
    // alarm names and figures only: the full profile has it.
    let key: Key | undefined;
    if (full) {
      key = new Key(this, 'AlarmsKey', {
        description: 'demarche alarm topic',
        enableKeyRotation: true,
      });
      key.grant(
        new ServicePrincipal('cloudwatch.amazonaws.com'),
        'kms:Decrypt',
        'kms:GenerateDataKey*',
      );
    }
    this.topic = new Topic(this, 'Alarms', {
      ...(key ? { masterKey: key } : {}),
      enforceSSL: true,
    });
    if (!key)
      acknowledge(this.topic, {
        id: 'AwsSolutions-SNS2',
        reason:
          'Alarm notifications carry alarm names and metric figures, no personal data; the KMS key CloudWatch needs to publish to an encrypted topic costs $1 a month. The full profile (cdk.json demarche.profile) encrypts the topic.',
      });
    this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const action = new SnsAction(this.topic);
    const alarm = (a: Alarm) => {
      a.addAlarmAction(action);
      this.alarms.push(a);
      return a;
    };

    for (const [name, dlq] of Object.entries(props.deadLetterQueues)) {
      alarm(
        new Alarm(this, `${name}DlqNotEmpty`, {
          alarmDescription: `demarche: messages in the ${name} dead-letter queue; inspect and redrive`,
          metric: dlq.metricApproximateNumberOfMessagesVisible({
            period: Duration.minutes(1),
            statistic: 'Maximum',
          }),
          threshold: 0,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    if (!full) {
      // One alarm for every function's errors (alarms are billed per metric): Lambda's
      // account-wide Errors, so deploy demarche in an account of its own (docs/deploy.md).
      alarm(
        new Alarm(this, 'FunctionErrors', {
          alarmDescription:
            'demarche: a function failed (any function of this account and region); its log group names it',
          metric: new Metric({
            namespace: 'AWS/Lambda',
            metricName: 'Errors',
            statistic: 'Sum',
            period: Duration.minutes(5),
          }),
          threshold: 0,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    for (const [name, f] of Object.entries(props.functions)) {
      if (!f || !full) continue;
      alarm(
        new Alarm(this, `${name}Errors`, {
          alarmDescription: `demarche: the ${name} function failed`,
          metric: f.fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
          threshold: 0,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }

    const ses = (metricName: string, period = Duration.hours(1)) =>
      new Metric({
        namespace: 'AWS/SES',
        metricName,
        dimensionsMap: { 'ses:configuration-set': props.configurationSetName },
        statistic: 'Sum',
        period,
      });
    const rate = (numerator: string, label: string) =>
      new MathExpression({
        // No rate until the hour has enough sends to mean something.
        expression: `IF(sends >= ${THRESHOLDS.minimumSample}, ${numerator.toLowerCase()} / sends, 0)`,
        usingMetrics: { [numerator.toLowerCase()]: ses(numerator), sends: ses('Send') },
        label,
        period: Duration.hours(1),
      });
    // The configuration set's rates read SES's CloudWatch metrics, which only the full profile
    // publishes; the account's reputation alarms below and the campaign guard cover the lean one.
    if (full) {
      alarm(
        new Alarm(this, 'BounceRate', {
          alarmDescription: `demarche: over ${THRESHOLDS.bounceRate * 100} % of the last hour's letters bounced; the campaign guard pauses the campaign, check the list`,
          metric: rate('Bounce', 'bounce rate'),
          threshold: THRESHOLDS.bounceRate,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
      alarm(
        new Alarm(this, 'ComplaintRate', {
          alarmDescription: `demarche: over ${THRESHOLDS.complaintRate * 100} % of the last hour's letters were marked as spam`,
          metric: rate('Complaint', 'complaint rate'),
          threshold: THRESHOLDS.complaintRate,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    const reputation = (metricName: string) =>
      new Metric({
        namespace: 'AWS/SES',
        metricName,
        statistic: 'Maximum',
        period: Duration.minutes(15),
      });
    alarm(
      new Alarm(this, 'AccountBounceRate', {
        alarmDescription: 'demarche: the SES account bounce rate nears the 5 % review level',
        metric: reputation('Reputation.BounceRate'),
        threshold: THRESHOLDS.accountBounceRate,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
    alarm(
      new Alarm(this, 'AccountComplaintRate', {
        alarmDescription: 'demarche: the SES account complaint rate nears the 0.1 % review level',
        metric: reputation('Reputation.ComplaintRate'),
        threshold: THRESHOLDS.accountComplaintRate,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );

    const own = (name: MetricName, statistic: string, period: Duration) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: name,
        dimensionsMap: { service: METRICS_SERVICE },
        statistic,
        period,
      });
    alarm(
      new Alarm(this, 'UnknownLetters', {
        alarmDescription:
          'demarche: letters are in state unknown (their sender stopped between SES and the record, and no SES event settled them); a person decides: `demarche stuck ID`, then resend (accepting a possible duplicate) or mark-sent — docs/troubleshooting.md',
        metric: own(METRIC.unknownLetters, 'Maximum', Duration.minutes(5)),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
    if (full)
      alarm(
        new Alarm(this, 'FailedRate', {
          alarmDescription: `demarche: over ${THRESHOLDS.failedRate * 100} % of the last 15 minutes' letters were refused by SES for their recipient; check the list (\`demarche stuck ID --state failed\`)`,
          metric: new MathExpression({
            expression: `IF(sent + failed >= ${THRESHOLDS.failedSample}, failed / (sent + failed), 0)`,
            usingMetrics: {
              sent: own(METRIC.lettersSent, 'Sum', Duration.minutes(15)),
              failed: own(METRIC.lettersFailed, 'Sum', Duration.minutes(15)),
            },
            label: 'failed rate',
            period: Duration.minutes(15),
          }),
          threshold: THRESHOLDS.failedRate,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    alarm(
      new Alarm(this, 'SesAccountPause', {
        alarmDescription:
          'demarche: SES refused to send for a reason of the account or its configuration (sending paused, access denied, MAIL FROM not verified …) and a campaign paused itself; its pausedReason (dashboard, `demarche status ID`) names the fix; resume after it',
        metric: own(METRIC.accountPauses, 'Sum', Duration.minutes(1)),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
    if (full)
      alarm(
        new Alarm(this, 'PartialBatchFailures', {
          alarmDescription:
            'demarche: queue records keep failing (storage errors, unknown SES answers) in two of the last three 5-minute periods; they are retried and end in a dead-letter queue if they go on',
          metric: own(METRIC.batchItemFailures, 'Sum', Duration.minutes(5)),
          threshold: 0,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 3,
          datapointsToAlarm: 2,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    const sendQueue = props.queues.send;
    if (sendQueue) {
      alarm(
        new Alarm(this, 'SendQueueBehindDeadline', {
          alarmDescription: `demarche: the send queue's oldest job has waited more than ${THRESHOLDS.queueAgeShareOfTimeLeft * 100} % of the time left before the nearest deadline of a sending campaign: letters may expire unsent; check the sender's errors and throttles, and the SES quota`,
          metric: new MathExpression({
            expression: `IF(left > 0 AND age > left * ${THRESHOLDS.queueAgeShareOfTimeLeft}, 1, 0)`,
            usingMetrics: {
              age: sendQueue.metricApproximateAgeOfOldestMessage({
                period: Duration.minutes(5),
                statistic: 'Maximum',
              }),
              left: own(METRIC.secondsToDeadline, 'Minimum', Duration.minutes(5)),
            },
            label: 'send queue behind the deadline',
            period: Duration.minutes(5),
          }),
          threshold: 0,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }

    // CloudWatch may publish to the topic, for this account's alarms above and no others.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
          ArnLike: { 'aws:SourceArn': this.alarms.map((a) => a.alarmArn) },
        },
      }),
    );

    // The staff dashboard shows each campaign's figures; CloudWatch's ($3 a month) is the full profile's.
    if (!full) return;
    const perCampaign = (metricName: string, label: string) =>
      new MathExpression({
        expression: `SELECT SUM("${metricName}") FROM SCHEMA("AWS/SES", "ses:configuration-set", ${CAMPAIGN_DIMENSION}) WHERE "ses:configuration-set" = '${props.configurationSetName}' GROUP BY ${CAMPAIGN_DIMENSION}`,
        label,
        period: Duration.minutes(5),
      });
    const fnMetrics = (pick: (f: DemarcheFunction) => IMetric) =>
      Object.values(props.functions)
        .filter((f): f is DemarcheFunction => f !== undefined)
        .map(pick);
    const dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(3),
    });
    this.dashboard = dashboard;
    dashboard.addWidgets(
      new TextWidget({
        markdown: `# demarche (${region})\nLetters, events, queues and functions. Campaign figures for staff are on the demarche dashboard (/dashboard).`,
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Letters (configuration set)',
        left: ['Send', 'Delivery', 'Bounce', 'Complaint', 'Reject'].map((m) =>
          ses(m, Duration.minutes(5)),
        ),
        width: 12,
      }),
      new GraphWidget({
        title: 'Bounce and complaint rate (last hour)',
        left: [rate('Bounce', 'bounce rate'), rate('Complaint', 'complaint rate')],
        right: [reputation('Reputation.BounceRate'), reputation('Reputation.ComplaintRate')],
        width: 12,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Sends per campaign',
        left: [perCampaign('Send', 'sends')],
        width: 8,
      }),
      new GraphWidget({
        title: 'Bounces per campaign',
        left: [perCampaign('Bounce', 'bounces')],
        width: 8,
      }),
      new GraphWidget({
        title: 'Complaints per campaign',
        left: [perCampaign('Complaint', 'complaints')],
        width: 8,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Queues: messages waiting',
        left: Object.values(props.queues).map((q) =>
          q.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
        ),
        right: Object.values(props.deadLetterQueues).map((q) =>
          q.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
        ),
        width: 12,
      }),
      new GraphWidget({
        title: 'Functions: errors and throttles',
        left: fnMetrics((f) => f.fn.metricErrors({ period: Duration.minutes(5) })),
        right: fnMetrics((f) => f.fn.metricThrottles({ period: Duration.minutes(5) })),
        width: 12,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Letters: sent, failed, handed back; unknown',
        left: [
          own(METRIC.lettersSent, 'Sum', Duration.minutes(5)),
          own(METRIC.lettersFailed, 'Sum', Duration.minutes(5)),
          own(METRIC.handBacks, 'Sum', Duration.minutes(5)),
        ],
        right: [own(METRIC.unknownLetters, 'Maximum', Duration.minutes(5))],
        width: 12,
      }),
      new GraphWidget({
        title: 'Partial batch failures, SES account pauses, repeated tracking',
        left: [
          own(METRIC.batchItemFailures, 'Sum', Duration.minutes(5)),
          own(METRIC.accountPauses, 'Sum', Duration.minutes(5)),
        ],
        right: [own(METRIC.trackingRepeats, 'Sum', Duration.minutes(5))],
        width: 12,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Functions: duration p95',

        left: fnMetrics((f) =>
          f.fn.metricDuration({ period: Duration.minutes(5), statistic: 'p95' }),
        ),
        width: 24,
      }),
    );
  }
}
