import { randomBytes } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, inject } from 'vitest';
import { dynamoClient } from '../../functions/adapters/dynamo-store.js';
import { LOCAL_CREDENTIALS } from '../../functions/adapters/config.js';
import type { LocalQueue } from '../../functions/local/queue.js';
import {
  startLocalRuntime,
  type LocalRuntime,
  type RuntimeOptions,
} from '../../functions/local/runtime.js';
import { sesStore, type StoredEmail } from '../../functions/local/ses.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * Starts one in-memory local runtime for the test file and stops it after.
 * Unless the file keeps data on disk or runs on moto, its table lives in the
 * run's shared DynamoDB Local (test/support/global-dynamo.ts) under a name of
 * its own, dropped when the file is done.
 */
export function useRuntime(opts: RuntimeOptions = {}): () => LocalRuntime<LocalQueue> {
  let runtime: LocalRuntime<LocalQueue> | undefined;
  const shared = !opts.dataDir && !opts.aws && !opts.dynamoEndpoint;
  const table = opts.table ?? (shared ? `t-${randomBytes(6).toString('hex')}` : undefined);
  beforeAll(async () => {
    // Timeouts and delays shortened alike: a visibility timeout of 0.2 s, a delay of 1 s in 20 ms.
    runtime = await startLocalRuntime({
      ...(shared ? { dynamoEndpoint: inject('dynamoEndpoint') } : {}),
      ...(table ? { table } : {}),
      ...opts,
      queue: { visibilityTimeoutMs: 200, delayMsPerSecond: 20, ...opts.queue },
    });
  });
  afterAll(async () => {
    await runtime?.stop();
    if (shared && runtime) await dropTable(runtime.dynamoEndpoint, runtime.table);
  });
  return () => {
    if (!runtime) throw new Error('runtime not started');
    return runtime;
  };
}

async function dropTable(endpoint: string, table: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: LOCAL_CREDENTIALS });
  try {
    await client.send(new DeleteTableCommand({ TableName: table }));
  } finally {
    client.destroy();
  }
}

/** Emails in the SES endpoint's store addressed to any of `addresses`. */
export async function mailsTo(
  runtime: LocalRuntime,
  addresses: Iterable<string>,
): Promise<StoredEmail[]> {
  const wanted = new Set(addresses);
  return (await sesStore(runtime.sesEndpoint)).filter((m) =>
    m.destination.to.some((t) => wanted.has(t)),
  );
}

/** Counts letters per recipient address. */
export function perRecipient(mails: StoredEmail[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of mails)
    for (const to of m.destination.to) counts.set(to, (counts.get(to) ?? 0) + 1);
  return counts;
}

/** Every item of the runtime's table, read strongly consistent: what a test checks is gone is gone. */
export async function scanTable(runtime: LocalRuntime): Promise<Record<string, unknown>[]> {
  const db = dynamoClient({ region: 'eu-west-1', endpoint: runtime.dynamoEndpoint });
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new ScanCommand({ TableName: runtime.table, ExclusiveStartKey: start, ConsistentRead: true }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}
