/**
 * The `demarche` command as a person runs it: a process of its own on a
 * data folder of the test's, under two-person approval (the default) unless
 * the test says otherwise. Each call boots its own local runtime.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from './fixtures.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A runner of `demarche ARGS…` on a fresh data folder; `extra` adds to (or, undefined, removes from) its environment. */
export function demarcheCli(prefix: string, extra: Record<string, string | undefined> = {}) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const env: Record<string, string | undefined> = {
    ...process.env,
    DEMARCHE_DATA_DIR: join(dir, 'data'),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  // Who acts and how approval works come from the command line and the test, not the shell.
  delete env.DEMARCHE_APPROVAL;
  delete env.DEMARCHE_USER;
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const run = (...args: string[]): CliRun => {
    const out = spawnSync(process.execPath, [repoPath('bin/demarche.js'), ...args], {
      env,
      encoding: 'utf8',
      timeout: 480_000,
    });
    return { code: out.status, stdout: out.stdout, stderr: out.stderr };
  };
  return { dir, run };
}

/**
 * The `demarche` command against a runtime's API, as after `demarche login`:
 * a process of its own, awaited without blocking this one (the runtime's
 * HTTP server answers it from here). `configDir` holds its login state (a
 * fresh one when not given).
 */
export function demarcheApi(
  baseUrl: string,
  token: string,
  args: string[],
  configDir = mkdtempSync(join(tmpdir(), 'demarche-api-')),
): Promise<CliRun> {
  const api = baseUrl.replace('localhost', '127.0.0.1');
  const env: Record<string, string | undefined> = {
    ...process.env,
    XDG_CONFIG_HOME: configDir,
    DEMARCHE_TOKEN: token,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  delete env.DEMARCHE_API_URL;
  return new Promise<CliRun>((resolve) => {
    const child = spawn(
      process.execPath,
      [repoPath('bin/demarche.js'), '--target', 'api', '--api', api, ...args],
      { env },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
