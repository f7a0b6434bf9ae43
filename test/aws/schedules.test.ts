/**
 * Scheduled launches and expiries as EventBridge Scheduler schedules (moto),
 * through the adapter deps.ts builds from the environment as the stack sets
 * it: set creates the one-time schedule in the demarche group (UTC, no
 * flexible window, deleted after it runs, retries and the DLQ); set again
 * moves it (create, conflict, update) and never makes a second one; clear
 * deletes it and is a no-op when there is nothing to delete.
 */
import {
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { beforeAll, describe, expect, it } from 'vitest';
import { deps, resetDeps } from '../../functions/adapters/deps.js';
import { EventBridgeSchedules } from '../../functions/adapters/eventbridge-schedules.js';
import { SCHEDULE_GROUP } from '../../functions/adapters/stack-definition.js';
import type { Schedules } from '../../functions/core/lifecycle.js';
import { motoClientConfig } from '../../functions/local/moto-stack.js';
import { REGION, useMoto } from './moto.js';

const aws = useMoto();
let schedules: Schedules;
let client: SchedulerClient;
const campaignId = 'c2027010709001a2b3c';
const name = `demarche-launch-${campaignId}`;

const get = () => client.send(new GetScheduleCommand({ GroupName: SCHEDULE_GROUP, Name: name }));
const count = async () =>
  (await client.send(new ListSchedulesCommand({ GroupName: SCHEDULE_GROUP }))).Schedules?.length;

beforeAll(() => {
  resetDeps();
  schedules = deps().schedules!;
  client = new SchedulerClient(motoClientConfig(aws().endpoint, REGION));
});

describe('EventBridge schedules on Scheduler', () => {
  it('is what deps.ts builds from the schedule group, role and target in the environment', () => {
    expect(schedules).toBeInstanceOf(EventBridgeSchedules);
  });

  it('creates a one-time schedule that invokes the scheduler function with the action', async () => {
    await schedules.set('launch', campaignId, new Date('2027-01-07T08:00:00.250Z'));
    const s = await get();
    expect(s).toMatchObject({
      GroupName: SCHEDULE_GROUP,
      // Rounded up to the second: a launch never fires before its moment.
      ScheduleExpression: 'at(2027-01-07T08:00:01)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
    });
    expect(s.Target).toMatchObject({
      Arn: aws().stack.schedulerTargetArn,
      RoleArn: aws().stack.schedulerRoleArn,
      RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
      DeadLetterConfig: { Arn: aws().stack.schedulerDlqArn },
    });
    expect(JSON.parse(s.Target!.Input!)).toEqual({ action: 'launch', campaignId });
  });

  it('set again moves the same schedule, twice over, without a second one', async () => {
    await schedules.set('launch', campaignId, new Date('2027-01-08T07:30:00Z'));
    await schedules.set('launch', campaignId, new Date('2027-01-08T07:45:00Z'));
    expect((await get()).ScheduleExpression).toBe('at(2027-01-08T07:45:00)');
    expect(await count()).toBe(1);
    // Another action for the same campaign is its own schedule.
    await schedules.set('expire', campaignId, new Date('2027-01-09T09:00:00Z'));
    expect(await count()).toBe(2);
  });

  it('clear deletes the schedule; clearing again, or what never existed, succeeds', async () => {
    await schedules.clear('launch', campaignId);
    await expect(get()).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(schedules.clear('launch', campaignId)).resolves.toBeUndefined();
    await expect(schedules.clear('launch', 'c-never-scheduled')).resolves.toBeUndefined();
    await schedules.clear('expire', campaignId);
    expect(await count()).toBe(0);
  });
});
