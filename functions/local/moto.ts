/**
 * moto (`moto_server`, the widely used AWS API emulator) as a child process
 * on a free loopback port: it answers SQS, S3, Secrets Manager, EventBridge
 * Scheduler and Cognito user pools with AWS's wire protocols, so the real
 * adapters run against it unchanged. It is a Python program, not an npm
 * package: when it is missing, the error says so and how to get it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { ConfigError } from '../core/errors.js';
import { freePort } from './ports.js';

export interface Moto {
  endpoint: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** The account id moto answers for (its default); ARNs it makes carry it. */
export const MOTO_ACCOUNT = '123456789012';

const MISSING =
  'the emulated-AWS mode needs moto, and `moto_server` was not found on PATH. Install it with `pip install "moto[server]"` (Python 3.9+), so that `moto_server` is on PATH, and try again.';

/**
 * moto runs under a small shell that ends it when its standard input closes:
 * when stop() closes it, and also when this process dies however it dies (a
 * killed test worker), so no emulator outlives the runtime that started it.
 * Exit code 127: the program is not on PATH.
 */
const GUARD =
  'command -v "$0" >/dev/null || exit 127; "$0" "$@" </dev/null & m=$!; cat >/dev/null; kill $m 2>/dev/null; wait $m';

export async function startMoto(opts: { port?: number; program?: string } = {}): Promise<Moto> {
  const port = await freePort(opts.port);
  const program = opts.program ?? 'moto_server';
  const child = spawn('/bin/sh', ['-c', GUARD, program, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const endpoint = `http://127.0.0.1:${port}`;
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'ENOENT' ? new ConfigError(MISSING) : err),
    );
    child.once('exit', (code) =>
      reject(
        code === 127
          ? new ConfigError(MISSING)
          : new Error(
              `moto_server exited (code ${code}) before it was ready on ${endpoint}:\n${output}`,
            ),
      ),
    );
  });
  try {
    await Promise.race([waitForMoto(endpoint), failed]);
  } catch (err) {
    await stopMoto(child);
    throw err;
  }
  child.removeAllListeners('exit');
  child.removeAllListeners('error');
  // A request log line per call: read, never printed, so nothing fills the pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  return { endpoint, port, process: child, stop: () => stopMoto(child) };
}

/** Closes the guard's input (it then stops moto and waits for it); kills it if that takes over 10 s. */
function stopMoto(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve();
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    child.stdin?.end();
  });
}

/** Waits for moto's own API (`/moto-api/`) to answer; Python takes a second or two to start. */
async function waitForMoto(endpoint: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`moto_server did not answer on ${endpoint} within 60 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
