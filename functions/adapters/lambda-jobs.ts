/**
 * Jobs in AWS: the launch function, invoked asynchronously (InvocationType
 * Event), so the API answers at once and the queueing or import runs with the
 * launch function's own time limit. Lambda retries a failed asynchronous
 * invocation twice; the job's recorded progress makes a retry go on where
 * the failed run stopped.
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { ConfigError } from '../core/errors.js';
import type { JobEvent, Jobs } from '../core/job-ports.js';

export class LambdaJobs implements Jobs {
  constructor(
    private readonly lambda: LambdaClient,
    private readonly functionName: string,
  ) {}

  async start(job: JobEvent): Promise<void> {
    const out = await this.lambda.send(
      new InvokeCommand({
        FunctionName: this.functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(job)),
      }),
    );
    if (out.StatusCode !== 202)
      throw new Error(`the launch function did not accept the job (status ${out.StatusCode})`);
  }
}

export function missingJobs(): Jobs {
  return {
    start: async () => {
      throw new ConfigError(
        'no launch function: set DEMARCHE_LAUNCH_FUNCTION or run through the local runtime',
      );
    },
  };
}
