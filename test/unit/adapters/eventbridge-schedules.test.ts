import { describe, expect, it } from 'vitest';
import {
  atExpression,
  scheduleTargetsFromEnv,
} from '../../../functions/adapters/eventbridge-schedules.js';

describe('EventBridge schedules', () => {
  it('never fire before their moment: at() is rounded up to the second', () => {
    expect(atExpression(new Date('2027-01-10T08:00:00.000Z'))).toBe('at(2027-01-10T08:00:00)');
    expect(atExpression(new Date('2027-01-10T08:00:00.001Z'))).toBe('at(2027-01-10T08:00:01)');
    expect(atExpression(new Date('2027-01-10T07:59:59.999+00:00'))).toBe('at(2027-01-10T08:00:00)');
  });

  it('are configured only when the stack set group, role and target', () => {
    expect(scheduleTargetsFromEnv({})).toBeUndefined();
    expect(
      scheduleTargetsFromEnv({
        DEMARCHE_SCHEDULE_GROUP: 'demarche',
        DEMARCHE_SCHEDULER_ROLE_ARN: 'arn:aws:iam::1:role/r',
        DEMARCHE_SCHEDULER_TARGET_ARN: 'arn:aws:lambda:eu-west-1:1:function:f',
      }),
    ).toEqual({
      group: 'demarche',
      roleArn: 'arn:aws:iam::1:role/r',
      targetArn: 'arn:aws:lambda:eu-west-1:1:function:f',
      dlqArn: undefined,
    });
  });
});
