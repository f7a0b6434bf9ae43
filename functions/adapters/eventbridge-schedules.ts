/**
 * Scheduled launches and deadline expiry as one-time EventBridge Scheduler
 * schedules (the group, role, target and DLQ come from infra/scheduling.ts
 * through ENV). Each invokes the scheduler function with
 * `{ action, campaignId }` and deletes itself once it has run.
 */
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import type { ScheduledAction, Schedules } from '../core/lifecycle.js';
import { ENV } from './config.js';

export interface ScheduleTargets {
  group: string;
  roleArn: string;
  targetArn: string;
  dlqArn?: string;
}

/** The schedule targets from the environment, or undefined where none are set (locally). */
export function scheduleTargetsFromEnv(
  env: Record<string, string | undefined> = process.env,
): ScheduleTargets | undefined {
  const group = env[ENV.scheduleGroup];
  const roleArn = env[ENV.schedulerRoleArn];
  const targetArn = env[ENV.schedulerTargetArn];
  if (!group || !roleArn || !targetArn) return undefined;
  return { group, roleArn, targetArn, dlqArn: env[ENV.schedulerDlqArn] };
}

/**
 * `at(...)` wants UTC wall time to the second, without zone or fraction. The
 * time is rounded up, never down: a launch or an expiry must not fire before
 * its moment (the handler would find it not yet due and do nothing).
 */
export const atExpression = (when: Date) =>
  `at(${new Date(Math.ceil(when.getTime() / 1000) * 1000).toISOString().slice(0, 19)})`;

export class EventBridgeSchedules implements Schedules {
  constructor(
    private readonly client: SchedulerClient,
    private readonly targets: ScheduleTargets,
  ) {}

  private name(action: ScheduledAction, campaignId: string): string {
    return `demarche-${action}-${campaignId}`.slice(0, 64);
  }

  /** Creates the schedule, or moves it to `when` if it already exists. */
  async set(action: ScheduledAction, campaignId: string, when: Date): Promise<void> {
    const input = {
      Name: this.name(action, campaignId),
      GroupName: this.targets.group,
      ScheduleExpression: atExpression(when),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' as const },
      ActionAfterCompletion: 'DELETE' as const,
      Target: {
        Arn: this.targets.targetArn,
        RoleArn: this.targets.roleArn,
        Input: JSON.stringify({ action, campaignId }),
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
        ...(this.targets.dlqArn ? { DeadLetterConfig: { Arn: this.targets.dlqArn } } : {}),
      },
    };
    try {
      await this.client.send(new CreateScheduleCommand(input));
    } catch (err) {
      if (!(err instanceof ConflictException)) throw err;
      await this.client.send(new UpdateScheduleCommand(input));
    }
  }

  async clear(action: ScheduledAction, campaignId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteScheduleCommand({
          Name: this.name(action, campaignId),
          GroupName: this.targets.group,
        }),
      );
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
    }
  }
}

/** EventBridge schedules when the stack configured them; undefined locally (the runtime's timer ticks). */
export function schedulesFromEnv(region: string): Schedules | undefined {
  const targets = scheduleTargetsFromEnv();
  return targets ? new EventBridgeSchedules(new SchedulerClient({ region }), targets) : undefined;
}
