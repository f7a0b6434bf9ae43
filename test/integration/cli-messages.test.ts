/**
 * What the CLI says when a person gets a command wrong or cuts its output
 * short: a sentence that names what is missing and how to go on, never a
 * stack trace, and no error at all when the reader of a pipe stops reading.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { repoPath } from '../support/fixtures.js';
import { useRuntime } from '../support/runtime.js';
import { draftCampaign } from '../support/campaigns.js';

const dataDir = mkdtempSync(join(tmpdir(), 'demarche-messages-'));
// A runtime serving from the data folder: the commands attach to it instead of starting one.
const runtime = useRuntime({
  dataDir,
  dynamoEndpoint: inject('dynamoEndpoint'),
  table: `t-messages-${process.pid}`,
  schedulerTickMs: 0,
});
const env = {
  ...process.env,
  DEMARCHE_DATA_DIR: dataDir,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

// Spawned, not spawnSync: the runtime the command attaches to answers from this process.
function demarche(args: string[], extra: Record<string, string> = {}) {
  const child = spawn(process.execPath, [repoPath('bin/demarche.js'), ...args], {
    env: { ...env, ...extra },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
}

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at |Error:|Usage:/);

describe('the CLI tells a person what went wrong', { timeout: 180_000 }, () => {
  it('launch without arguments names what it needs and the ways to call it', async () => {
    const r = await demarche(['launch']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'launch needs --statement and --recipients (or a directory selection) for a new campaign',
    );
    expect(r.stderr).toContain('demarche launch --statement statement.md --tag FAC');
    expect(r.stderr).toContain('demarche launch CAMPAIGN');
    noStack(r.stderr);
    const half = await demarche(['launch', '--statement', 'statement.md']);
    expect(half.stderr).toContain(
      'launch needs --recipients (or a directory selection) for a new campaign',
    );
  });

  it('launch says which defaults a recipient would notice before anything is sent', async () => {
    const r = await demarche([
      'launch',
      '--statement',
      repoPath('../shared/samples/statement-belarus-2020.txt'),
      '--recipients',
      repoPath('examples/recipients.csv'),
      '--deadline',
      new Date(Date.now() + 5 * 86_400_000).toISOString(),
      '--dry-run',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('warning: The letter ends "Signed by: demarche"');
    expect(r.stderr).toContain('warning: The letter is sent as the default sender');
    expect(r.stderr).toMatch(
      /warning: \d+ rows ask for fr, which the statement has no translation/,
    );
    expect(r.stdout).toContain('letters composed, none mailed');
  });

  it('replies without a campaign asks which, and names --unmatched', async () => {
    const r = await demarche(['replies']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('which campaign? demarche replies CAMPAIGN');
    expect(r.stderr).toContain('--unmatched');
    noStack(r.stderr);
  });

  it('replies --unmatched lists the replies that matched no campaign', async () => {
    const r = await demarche(['replies', '--unmatched']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No unmatched replies.');
  });

  it('preview without Chromium writes the letter and says how to do without the picture', async () => {
    const out = join(dataDir, 'preview');
    const r = await demarche(
      [
        'preview',
        '--statement',
        repoPath('examples/statement.md'),
        '--recipients',
        repoPath('examples/recipients.csv'),
        '--out',
        out,
      ],
      { DEMARCHE_CHROMIUM: join(dataDir, 'no-chromium-here') },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(join(out, 'letter.html'));
    expect(r.stderr).toContain('no letter.png: cannot start Chromium');
    expect(r.stderr).toContain('--no-screenshot');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a pipe closed by its reader (campaigns | head) ends quietly', async () => {
    for (let i = 0; i < 3; i++) await draftCampaign(runtime(), 1, `pipe${i}`);
    const child = spawn(process.execPath, [repoPath('bin/demarche.js'), 'campaigns'], { env });
    // The reader is gone before the first line is written.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stderr).not.toContain('EPIPE');
    noStack(stderr);
    expect(code).toBe(0);
  });
});
