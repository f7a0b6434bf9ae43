/**
 * One DynamoDB Local (in memory) for the whole test run. Booting the JVM is
 * the dearest part of a local runtime (seconds of CPU each time), and the
 * suite has dozens of files that each want a runtime; sharing one engine,
 * with a table of its own per runtime, keeps the suite's cost in the tests.
 * Files that stop and restart DynamoDB, or keep data on disk, start their own.
 */
import type { TestProject } from 'vitest/node';
import { startDynamo } from '../../functions/local/dynamodb.js';
import { freePort } from '../../functions/local/ports.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dynamo = await startDynamo({ port: await freePort() });
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return () => dynamo.stop();
}
