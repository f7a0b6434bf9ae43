/**
 * The `demarche` command as a person runs it: a process of its own on a
 * data folder of the test's, under two-person approval (the default) unless
 * the test says otherwise. Each call boots its own local runtime.
 */
import { spawnSync } from 'node:child_process';
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
