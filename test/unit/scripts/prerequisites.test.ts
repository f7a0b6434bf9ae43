import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoPath } from '../../support/fixtures.js';

/** A folder of stand-in programs: each name maps to the shell script body it runs. */
function binDir(programs: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'demarche-prereq-'));
  for (const [name, body] of Object.entries(programs)) {
    const p = join(dir, name);
    writeFileSync(p, `#!/bin/sh\n${body}\n`);
    chmodSync(p, 0o755);
  }
  return dir;
}

/** Runs the check as `npm test` does, with only `dir` on PATH and installing off. */
function check(dir: string) {
  return spawnSync(
    process.execPath,
    [repoPath('node_modules/tsx/dist/cli.mjs'), repoPath('scripts/prerequisites.ts')],
    {
      encoding: 'utf8',
      env: { PATH: dir, DEMARCHE_NO_INSTALL: '1', HOME: tmpdir() },
      timeout: 30_000,
    },
  );
}

const ALL = {
  java: 'echo \'openjdk version "17.0.15" 2025-04-15\' >&2',
  chromium: 'true',
  spamassassin: 'true',
  pdftoppm: 'true',
  moto_server: 'true',
  'cfn-lint': 'true',
};

describe('the test prerequisites check', () => {
  it('names every missing program and the one apt-get line, and fails', () => {
    const r = check(binDir({}));
    expect(r.status).toBe(1);
    for (const program of [
      'java',
      'chromium',
      'spamassassin',
      'pdftoppm',
      'moto_server',
      'cfn-lint',
    ])
      expect(r.stderr).toContain(`- ${program} (`);
    expect(r.stderr).toContain(
      'apt-get install -y --no-install-recommends openjdk-17-jre-headless chromium spamassassin poppler-utils',
    );
    // moto is not a Debian package: the message says how to get it instead.
    expect(r.stderr).toMatch(/moto_server: pip install/);
    expect(r.stderr).toMatch(/cfn-lint: pip install cfn-lint/);
  });

  it('passes when everything is there', () => {
    const r = check(binDir(ALL));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('refuses a Java older than 17, naming the version', () => {
    const r = check(binDir({ ...ALL, java: 'echo \'openjdk version "11.0.2"\' >&2' }));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('java (DynamoDB Local (integration tests)): is Java 11');
    expect(r.stderr).not.toContain('chromium (');
  });

  it('reads Java 8 version strings', () => {
    const r = check(binDir({ ...ALL, java: 'echo \'java version "1.8.0_392"\' >&2' }));
    expect(r.stderr).toContain('is Java 8');
  });
});
