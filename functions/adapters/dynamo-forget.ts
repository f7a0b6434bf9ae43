/**
 * Erasure jobs in the one table (FORGET#JOBS / <jobId>): created once, moved
 * on by conditional writes on their step, like a campaign's launch and import
 * progress. A finished job keeps its report (campaigns and counts, no
 * address) for the retention period, then DynamoDB's TTL removes it.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ForgetDeps, ForgetJob, ForgetJobStore } from '../core/governance/forget-job.js';
import type { Deps } from './deps.js';
import { privacyStoreFor, retentionDaysFromEnv } from './dynamo-privacy.js';
import { dynamoClient, isConditionFailure } from './dynamo-store.js';
import { DynamoPersonIndex } from './person-index.js';
import { sesClient } from './ses-mailer.js';
import { SesAccountSuppression } from './ses-suppression.js';
import { keys, TABLE } from './table-definition.js';

const strip = (item: Record<string, unknown> | undefined): ForgetJob | undefined => {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, type: _t, [TABLE.ttlAttribute]: _ttl, ...job } = item;
  return job as unknown as ForgetJob;
};

export class DynamoForgetJobs implements ForgetJobStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retentionDays = retentionDaysFromEnv(),
  ) {}

  private item(job: ForgetJob): Record<string, unknown> {
    const expires =
      job.finishedAt &&
      Math.floor((Date.parse(job.finishedAt) + this.retentionDays * 86_400_000) / 1000);
    return {
      ...keys.forgetJob(job.id),
      type: 'forget-job',
      ...job,
      ...(expires ? { [TABLE.ttlAttribute]: expires } : {}),
    };
  }

  async create(job: ForgetJob): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: this.item(job),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(id: string): Promise<ForgetJob | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.forgetJob(id), ConsistentRead: true }),
    );
    return strip(out.Item);
  }

  async advance(id: string, fromStep: number, next: ForgetJob): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: this.item({ ...next, id }),
          ConditionExpression: 'step = :from',
          ExpressionAttributeValues: { ':from': fromStep },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async running(): Promise<ForgetJob[]> {
    const out: ForgetJob[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :p',
          FilterExpression: '#s = :erasing',
          ExpressionAttributeNames: { '#s': 'state' },
          ExpressionAttributeValues: { ':p': keys.forgetJob('').pk, ':erasing': 'erasing' },
          ExclusiveStartKey: start,
        }),
      );
      out.push(...(page.Items ?? []).map((i) => strip(i)!));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }
}

let cached: { key: string; deps: Omit<ForgetDeps, keyof Deps | 'secrets'> } | undefined;

/** What an erasure job needs, from the handler's deps (one set of clients per process). */
export function forgetDeps(d: Deps): ForgetDeps {
  const key = `${d.config.region}|${d.config.dynamoEndpoint ?? ''}|${d.config.sesEndpoint ?? ''}|${d.config.table}`;
  if (cached?.key !== key) {
    const db = dynamoClient({ region: d.config.region, endpoint: d.config.dynamoEndpoint });
    cached = {
      key,
      deps: {
        privacy: privacyStoreFor(d.config),
        forgetJobs: new DynamoForgetJobs(db, d.config.table),
        personIndex: new DynamoPersonIndex(db, d.config.table),
        accountSuppression: new SesAccountSuppression(
          sesClient({ region: d.config.region, endpoint: d.config.sesEndpoint }),
        ),
      },
    };
  }
  return { ...d, ...cached.deps, secrets: async () => [await d.secret()] };
}
