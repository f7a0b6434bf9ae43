/**
 * The emulated-AWS mode creates the stack's resources from the definitions
 * the CDK code reads, so what a test meets on moto is what AWS runs: the
 * queues' visibility timeouts, retention and redrive policies, the schedule
 * group, the staff user pool's groups; and the functions' environment names
 * them as CDK does.
 */
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetScheduleGroupCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  ListGroupsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../functions/adapters/config.js';
import {
  cognitoIssuer,
  QUEUES,
  SCHEDULE_GROUP,
  STAFF_GROUPS,
} from '../../functions/adapters/stack-definition.js';
import { motoClientConfig } from '../../functions/local/moto-stack.js';
import { REGION, useMoto } from './moto.js';

const aws = useMoto();
const cfg = () => motoClientConfig(aws().endpoint, REGION);

describe('the stack on moto', () => {
  it.each(Object.entries(QUEUES))(
    'the %s queue has the visibility timeout, retention and redrive policy of the CDK code',
    async (name, def) => {
      const sqs = new SQSClient(cfg());
      const q = name === 'send' ? aws().stack.sendQueue : aws().stack.eventsQueue;
      const main = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: q.url, AttributeNames: ['All'] }),
      );
      expect(main.Attributes).toMatchObject({
        VisibilityTimeout: String(def.visibilityTimeoutSeconds),
        MessageRetentionPeriod: String(def.retentionSeconds),
        QueueArn: q.arn,
      });
      expect(JSON.parse(main.Attributes!.RedrivePolicy!)).toEqual({
        deadLetterTargetArn: q.dlqArn,
        maxReceiveCount: def.maxReceiveCount,
      });
      const dlq = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: q.dlqUrl, AttributeNames: ['All'] }),
      );
      expect(dlq.Attributes?.MessageRetentionPeriod).toBe(String(def.deadLetter.retentionSeconds));
      expect(dlq.Attributes?.RedrivePolicy).toBeUndefined();
      // The send queue's hidden time is six sender timeouts: 18 minutes.
      if (name === 'send') expect(def.visibilityTimeoutSeconds).toBe(1080);
      sqs.destroy();
    },
  );

  it('has the bucket, the secret, the schedule group and the staff pool the environment names', async () => {
    const { stack } = aws();
    expect(process.env[ENV.sendQueueUrl]).toBe(stack.sendQueue.url);
    expect(process.env[ENV.inboundBucket]).toBe(stack.bucket);
    expect(process.env[ENV.scheduleGroup]).toBe(SCHEDULE_GROUP);
    expect(process.env[ENV.authIssuer]).toBe(cognitoIssuer(REGION, stack.userPoolId));
    expect(process.env[ENV.authAudience]).toBe(stack.clientId);
    expect(process.env.AWS_ENDPOINT_URL_SQS).toBe(aws().endpoint);

    await new S3Client(cfg()).send(new HeadBucketCommand({ Bucket: stack.bucket }));
    const secret = await new SecretsManagerClient(cfg()).send(
      new DescribeSecretCommand({ SecretId: process.env[ENV.secretArn] }),
    );
    expect(secret.Name).toBe('demarche-SigningSecret');
    const group = await new SchedulerClient(cfg()).send(
      new GetScheduleGroupCommand({ Name: SCHEDULE_GROUP }),
    );
    expect(group.State).toBe('ACTIVE');

    const cognito = new CognitoIdentityProviderClient(cfg());
    const groups = await cognito.send(new ListGroupsCommand({ UserPoolId: stack.userPoolId }));
    expect(groups.Groups?.map((g) => g.GroupName).sort()).toEqual([...STAFF_GROUPS].sort());
    const client = await cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: stack.userPoolId, ClientId: stack.clientId }),
    );
    expect(client.UserPoolClient?.ClientSecret).toBeUndefined();
  });
});
