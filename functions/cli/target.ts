/**
 * Where the CLI works: the local runtime (default; started in-process unless
 * one is already serving from the same data folder) or a deployed stack
 * (DEMARCHE_TARGET=aws, with the table and queue from the environment, as the
 * stack outputs print them).
 */
import { deps, type Deps } from '../adapters/deps.js';
import { startLocalRuntime, type LocalRuntime } from '../local/runtime.js';

export interface TargetOptions {
  target?: string;
  dataDir?: string;
  /** An already running runtime of this process (the demo); it is used and left running. */
  runtime?: LocalRuntime;
}

export interface Target {
  kind: 'local' | 'aws';
  deps: Deps;
  runtime?: LocalRuntime;
  /** Resolves when every job this process enqueued is handled (local); at once in AWS. */
  drained(): Promise<void>;
  stop(): Promise<void>;
}

export async function openTarget(opts: TargetOptions): Promise<Target> {
  const kind = (opts.target ?? process.env.DEMARCHE_TARGET ?? 'local') === 'aws' ? 'aws' : 'local';
  if (kind === 'aws') {
    return { kind, deps: deps(), drained: async () => {}, stop: async () => {} };
  }
  const runtime =
    opts.runtime ?? (await startLocalRuntime({ dataDir: opts.dataDir ?? '.demarche' }));
  return {
    kind,
    runtime,
    deps: runtime.deps(),
    drained: () => runtime.queue.drained(),
    stop: async () => {
      if (!opts.runtime) await runtime.stop();
    },
  };
}
