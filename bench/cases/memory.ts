/**
 * memory: `demarche launch --dry-run` of 100,000 recipients from a CSV, in a
 * fresh process started as bin/demarche.js starts (its Node flags), reporting
 * that process's peak RSS; the same at 10,000 in the
 * same run. Goal: ≤ 300 MB at 100,000, and ≤ 1.3 × the peak at 10,000 (the
 * list streams: memory must not grow with it). The list spells its groups
 * every way the docs accept, and must import whole.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GROUP_SPELLINGS } from '../../functions/core/recipients.js';
import type { BenchResult } from '../types.js';
import { round, timed } from '../support.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * How `bin/demarche.js` starts (its `#!/usr/bin/env -S [VAR=value …] node
 * [flags]` line): the case measures the CLI as a user runs it, bounded heap
 * and malloc settings included.
 */
function binStart(): { env: Record<string, string>; flags: string[] } {
  const shebang = readFileSync(join(root, 'bin/demarche.js'), 'utf8').split('\n')[0]!;
  const m = /^#!\/usr\/bin\/env -S (.*)$/.exec(shebang);
  const words = m ? m[1]!.trim().split(/\s+/) : [];
  const node = words.indexOf('node');
  if (node < 0) throw new Error(`bin/demarche.js: unexpected first line ${shebang}`);
  const env = Object.fromEntries(
    words.slice(0, node).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]),
  );
  return { env, flags: words.slice(node + 1) };
}

async function writeCsv(path: string, n: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('email,name,title,organisation,country,language,group,salutation\n');
  const countries = ['FR', 'DE', 'PL', 'ES', 'SE', 'IT', 'BE', 'NL'];
  // Every spelling of a group the docs accept ("eu_institution", "NGO member" …): the list imports whole.
  const groups = GROUP_SPELLINGS;
  for (let i = 0; i < n; i++) {
    const line = `person${i}@example.org,Recipient Numéro ${i},Minister,Ministry of Foreign Affairs ${i},${countries[i % 8]},en,${groups[i % groups.length]},\n`;
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(r));
}

async function dryRun(
  n: number,
  dir: string,
): Promise<{ maxRssMb: number; seconds: number; letters: number }> {
  const csv = join(dir, `r${n}.csv`);
  await writeCsv(csv, n);
  const { ms, value } = await timed(
    () =>
      new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve) => {
        const child = spawn(
          process.execPath,
          [
            ...binStart().flags,
            '--import',
            'tsx',
            '--import',
            join(root, 'bench/maxrss.ts'),
            join(root, 'bin/demarche.js'),
            '--data-dir',
            join(dir, `data${n}`),
            'launch',
            '--dry-run',
            '--json',
            '--statement',
            join(root, 'examples/statement.md'),
            '--recipients',
            csv,
            '--deadline',
            new Date(Date.now() + 7 * 86_400_000).toISOString(),
          ],
          {
            cwd: root,
            env: {
              ...process.env,
              ...binStart().env,
              AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
            },
          },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('exit', (code) => resolve({ stdout, stderr, code }));
      }),
  );
  const rss = /MAXRSS_KB=(\d+)/.exec(value.stderr);
  if (value.code !== 0 || !rss)
    throw new Error(`dry run of ${n} failed (code ${value.code}): ${value.stderr.slice(-2000)}`);
  const report = JSON.parse(value.stdout) as { dryRun: { letters: number } };
  return { maxRssMb: Number(rss[1]) / 1024, seconds: ms / 1000, letters: report.dryRun.letters };
}

export async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'demarche-bench-memory-'));
  try {
    const small = await dryRun(10_000, dir);
    const large = await dryRun(100_000, dir);
    if (small.letters !== 10_000 || large.letters !== 100_000)
      throw new Error('dry run composed the wrong number of letters');
    const growth = large.maxRssMb / small.maxRssMb;
    return {
      name: 'memory',
      figures: {
        peakRssMb10k: round(small.maxRssMb, 1),
        peakRssMb100k: round(large.maxRssMb, 1),
        growth: round(growth),
        seconds10k: round(small.seconds, 1),
        seconds100k: round(large.seconds, 1),
      },
      goal: 'peak RSS ≤ 300 MB at 100,000 and ≤ 1.3 × the peak at 10,000',
      pass: large.maxRssMb <= 300 && growth <= 1.3,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
