/**
 * moto (`moto_server`, the widely used AWS API emulator) as a child process
 * on a free loopback port: it answers SQS, S3, Secrets Manager, EventBridge
 * Scheduler and Cognito user pools with AWS's wire protocols, so the real
 * adapters run against it unchanged. It is a Python program, not an npm
 * package: when it is missing, the error says so and how to get it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { ConfigError } from '../core/errors.js';
import { stopChild } from './dynamodb.js';
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

export async function startMoto(opts: { port?: number; program?: string } = {}): Promise<Moto> {
  const port = await freePort(opts.port);
  const program = opts.program ?? 'moto_server';
  const child = spawn(program, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
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
        new Error(
          `moto_server exited (code ${code}) before it was ready on ${endpoint}:\n${output}`,
        ),
      ),
    );
  });
  try {
    await Promise.race([waitForMoto(endpoint), failed]);
  } catch (err) {
    // A program that never started (ENOENT) has no process to stop.
    if (child.pid !== undefined) await stopChild(child);
    throw err;
  }
  child.removeAllListeners('exit');
  child.removeAllListeners('error');
  // A request log line per call: read, never printed, so nothing fills the pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  return { endpoint, port, process: child, stop: () => stopChild(child) };
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
