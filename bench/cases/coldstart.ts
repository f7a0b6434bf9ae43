/**
 * Each Lambda's deployment package and cold import: bundles every handler
 * that exists with esbuild exactly as the stack does (infra/bundling.ts),
 * measures the package raw and zipped (infra/bundle-size.ts, what Lambda
 * counts), and times `import()` of the bundle in fresh Node processes, from a
 * folder outside the repository so nothing resolves from node_modules.
 * Goals: each package ≤ 1 MB zipped, import ≤ 300 ms of CPU (median of 3;
 * the tracking and web functions ≤ 150 KiB and ≤ 60 ms;
 * wall time is reported too, but on a shared machine it mostly measures the
 * wait for a core). The API carries MJML (it compiles letters), without the
 * parts demarche never calls (infra/bundling.ts, LEFT_OUT). Lambda gives a
 * 512 MB function about 0.3 vCPU,
 * so its cold import takes roughly CPU time / 0.3 there.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { packageSize, ZIPPED_LIMIT } from '../../infra/bundle-size.js';
import {
  esbuildOptions,
  FUNCTION_ENTRIES,
  hasEntry,
  REPO_ROOT,
  type FunctionName,
} from '../../infra/bundling.js';
import { COPY_FILES, LEFT_BEHIND, prepareCopyFiles } from '../../infra/lambda.js';
import type { BenchResult } from '../types.js';

const IMPORT_GOAL_MS = 300;
/**
 * The functions a recipient waits for (the open pixel, a click, the web
 * version) import only their own adapters (adapters/public-deps.ts), and
 * are held to a tighter goal.
 */
const PUBLIC_GOAL = { zippedKiB: 150, importCpuMs: 60 };
const PUBLIC_FUNCTIONS: ReadonlySet<FunctionName> = new Set(['tracking', 'web']);
const RUNS = 3;

/**
 * Wall and CPU milliseconds to import the bundle in a new Node process
 * (module load and top-level code). CPU time is the import's own cost; wall
 * time also counts waiting for a core, which other processes inflate.
 */
function importMs(file: string): { wall: number; cpu: number } {
  const script = `const c0=process.cpuUsage();const t=performance.now();await import(${JSON.stringify(file)});const c=process.cpuUsage(c0);process.stdout.write(JSON.stringify({wall:performance.now()-t,cpu:(c.user+c.system)/1000}));`;
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH, AWS_REGION: 'eu-west-1', AWS_LAMBDA_FUNCTION_NAME: 'bench' },
    encoding: 'utf8',
  });
  if (out.status !== 0) throw new Error(`importing ${file} failed: ${out.stderr}`);
  return JSON.parse(out.stdout) as { wall: number; cpu: number };
}

export async function run(): Promise<BenchResult[]> {
  const root = mkdtempSync(join(tmpdir(), 'demarche-coldstart-'));
  const results: BenchResult[] = [];
  try {
    for (const name of Object.keys(FUNCTION_ENTRIES) as FunctionName[]) {
      if (!hasEntry(name)) continue;
      const dir = join(root, name);
      await build(esbuildOptions(name, join(dir, 'index.mjs')));
      prepareCopyFiles(name);
      for (const [from, to] of COPY_FILES[name] ?? []) {
        mkdirSync(dirname(join(dir, to)), { recursive: true });
        cpSync(join(REPO_ROOT, from), join(dir, to), { recursive: true });
      }
      for (const path of LEFT_BEHIND[name] ?? [])
        rmSync(join(dir, path), { recursive: true, force: true });
      const size = packageSize(dir);
      const runs = Array.from({ length: RUNS }, () => importMs(join(dir, 'index.mjs')));
      const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
      const wall = median(runs.map((r) => r.wall));
      const cpu = median(runs.map((r) => r.cpu));
      const lean = PUBLIC_FUNCTIONS.has(name);
      const zippedGoal = lean ? PUBLIC_GOAL.zippedKiB * 1024 : ZIPPED_LIMIT;
      const cpuGoal = lean ? PUBLIC_GOAL.importCpuMs : IMPORT_GOAL_MS;
      results.push({
        name: `coldstart:${name}`,
        figures: {
          rawKiB: Math.round(size.raw / 1024),
          zippedKiB: Math.round(size.zipped / 1024),
          importMs: Math.round(wall),
          importCpuMs: Math.round(cpu),
          loadAverage: Number(loadavg()[0]!.toFixed(1)),
        },
        goal: `zipped ≤ ${Math.round(zippedGoal / 1024)} KiB, import ≤ ${cpuGoal} ms of CPU`,
        pass: size.zipped <= zippedGoal && cpu <= cpuGoal,
      });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return results;
}
