/**
 * Test helpers for the AWS adapter tests: one moto per test file with the
 * stack's resources on it (as the local runtime's emulated-AWS mode creates
 * them) and the functions' environment pointing at it, or a whole local
 * runtime in that mode.
 */
import { afterAll, beforeAll } from 'vitest';
import {
  startMotoAws,
  type MotoAws,
  type MotoOptions,
} from '../../functions/local/moto-runtime.js';
import type { SqsRuntimeQueue } from '../../functions/local/moto-runtime.js';
import {
  startLocalRuntime,
  type LocalRuntime,
  type RuntimeOptions,
} from '../../functions/local/runtime.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
export const REGION = 'eu-west-1';

/** moto and the stack on it, for the test file; the environment is restored after. */
export function useMoto(opts: MotoOptions = {}): () => MotoAws {
  let aws: MotoAws | undefined;
  beforeAll(async () => {
    aws = await startMotoAws({ region: REGION, ...opts });
  });
  afterAll(async () => {
    await aws?.queue.stop();
    await aws?.eventsQueue.stop();
    await aws?.stop();
  });
  return () => {
    if (!aws) throw new Error('moto not started');
    return aws;
  };
}

/** A local runtime in emulated-AWS mode for the test file. */
export function useMotoRuntime(
  opts: Omit<RuntimeOptions, 'aws'> = {},
): () => LocalRuntime<SqsRuntimeQueue> {
  let runtime: LocalRuntime<SqsRuntimeQueue> | undefined;
  beforeAll(async () => {
    runtime = await startLocalRuntime({ ...opts, aws: 'moto' });
  });
  afterAll(async () => {
    await runtime?.stop();
  });
  return () => {
    if (!runtime) throw new Error('runtime not started');
    return runtime;
  };
}
