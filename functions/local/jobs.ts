/**
 * The local stand-in for invoking the launch function asynchronously: the
 * same handler, run in the background of the runtime's process. `drained`
 * resolves when no job is running; `stop` waits for the running ones.
 */
import { handler as launchHandler } from '../launch/handler.js';
import type { JobEvent, Jobs } from '../core/job-ports.js';

export class LocalJobs implements Jobs {
  private readonly running = new Set<Promise<unknown>>();
  /** Replaces the handler (fault tests: a launch that dies half-way). */
  run: (job: JobEvent) => Promise<unknown> = (job) => launchHandler(job);

  async start(job: JobEvent): Promise<void> {
    const p: Promise<unknown> = new Promise<void>((r) => setImmediate(r))
      .then(() => this.run(job))
      .catch((err: unknown) =>
        process.stderr.write(
          `local ${job.action} job ${job.campaignId} failed: ${(err as Error).message}\n`,
        ),
      )
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  /** Resolves once every job started so far (and any they started) has finished. */
  async drained(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  async stop(): Promise<void> {
    await this.drained();
  }
}
