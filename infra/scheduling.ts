/**
 * Scheduling: scheduled launches and deadline expiry run as one-time
 * EventBridge Scheduler schedules in the `demarche` group, created by the API
 * when a campaigner schedules a campaign. Each schedule invokes the scheduler
 * function with `{ action, campaignId }` through a role that may invoke that
 * function only; an invocation Scheduler cannot deliver lands in a DLQ.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnSchedule, ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { acknowledge, nagValue } from './nag.js';
import { Construct } from 'constructs';
import { ENV } from '../functions/adapters/config.js';
import { SCHEDULE_GROUP } from '../functions/adapters/stack-definition.js';
import { grantTable, TABLE_ACCESS } from './access.js';
import { hasEntry } from './bundling.js';
import { DemarcheFunction } from './lambda.js';
import type { Storage } from './storage.js';

/** Minutes between two scheduler ticks. */
export const TICK_MINUTES = 5;

export interface SchedulingProps {
  storage: Storage;
  sendQueue: Queue;
  logRetention: RetentionDays;
}

export class Scheduling extends Construct {
  readonly group: ScheduleGroup;
  readonly deadLetterQueue: Queue;
  readonly handler?: DemarcheFunction;
  readonly schedulerRole?: Role;

  constructor(scope: Construct, id: string, props: SchedulingProps) {
    super(scope, id);
    const { storage } = props;
    const stack = Stack.of(this);

    this.group = new ScheduleGroup(this, 'Group', { scheduleGroupName: SCHEDULE_GROUP });
    this.deadLetterQueue = new Queue(this, 'SchedulerDlq', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.deadLetterQueue, {
      id: 'AwsSolutions-SQS3',
      reason: 'This is the dead-letter queue of the Scheduler schedules.',
    });

    if (!hasEntry('scheduler')) return;
    const fn = new DemarcheFunction(this, 'Handler', {
      name: 'scheduler',
      description: 'demarche: scheduled launch and deadline expiry ({ action, campaignId })',
      memorySize: 512,
      timeout: Duration.minutes(10),
      logRetention: props.logRetention,
      environment: {
        [ENV.table]: storage.table.tableName,
        [ENV.sendQueueUrl]: props.sendQueue.queueUrl,
      },
    });
    grantTable(fn.role, storage.table, TABLE_ACCESS.scheduler);
    props.sendQueue.grantSendMessages(fn.role);
    this.handler = fn;

    this.schedulerRole = new Role(this, 'InvokeRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          // Scheduler names the schedule group as the source of the call.
          ArnEquals: { 'aws:SourceArn': this.group.scheduleGroupArn },
        },
      }),
      description: 'EventBridge Scheduler: invoke the demarche scheduler function',
    });
    this.schedulerRole.addToPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.fn.functionArn] }),
    );
    this.deadLetterQueue.grantSendMessages(this.schedulerRole);

    // The recurring tick: catches any launch or expiry a one-shot schedule
    // missed and sweeps stale claims (functions/scheduler/handler.ts).
    new CfnSchedule(this, 'Tick', {
      groupName: this.group.scheduleGroupName,
      description: 'demarche: due launches, expiries and stale claims',
      scheduleExpression: `rate(${TICK_MINUTES} minutes)`,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: fn.fn.functionArn,
        roleArn: this.schedulerRole.roleArn,
        input: JSON.stringify({ action: 'tick' }),
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: TICK_MINUTES * 60 },
        deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
      },
    });
  }

  /**
   * Lets a function (the API) create, change and delete schedules in the
   * group and hand Scheduler its role, and tells it the names through ENV.
   */
  allowManaging(fn: DemarcheFunction): void {
    if (!this.handler || !this.schedulerRole) return;
    const stack = Stack.of(this);
    fn.role.addToPolicy(
      new PolicyStatement({
        actions: [
          'scheduler:CreateSchedule',
          'scheduler:UpdateSchedule',
          'scheduler:DeleteSchedule',
        ],
        resources: [
          stack.formatArn({
            service: 'scheduler',
            resource: 'schedule',
            resourceName: `${this.group.scheduleGroupName}/*`,
          }),
        ],
      }),
    );
    fn.role.addToPolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    acknowledge(fn.role, {
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:${nagValue(stack.region, 'AWS::Region')}:${nagValue(stack.account, 'AWS::AccountId')}:schedule/${this.group.scheduleGroupName}/*]`,
      reason:
        'Schedules are created at run time, one per campaign launch or deadline, so their names are not known at deploy time; the grant is limited to the demarche schedule group.',
    });
    fn.fn.addEnvironment(ENV.scheduleGroup, this.group.scheduleGroupName);
    fn.fn.addEnvironment(ENV.schedulerRoleArn, this.schedulerRole.roleArn);
    fn.fn.addEnvironment(ENV.schedulerTargetArn, this.handler.fn.functionArn);
    fn.fn.addEnvironment(ENV.schedulerDlqArn, this.deadLetterQueue.queueArn);
  }
}
