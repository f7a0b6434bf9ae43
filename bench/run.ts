/**
 * `npm run bench [case …]`: runs every case in bench/cases/ (or the named
 * ones), each in a fresh Node process so that one case's memory and JIT state
 * never colour another's, prints one JSON line per result and writes them all
 * to bench/results.json. Exits non-zero only when a case crashes; a missed
 * goal is a figure to act on, reported with pass=false.
 */
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './types.js';

const casesDir = fileURLToPath(new URL('./cases/', import.meta.url));
const runner = fileURLToPath(new URL('./case-runner.ts', import.meta.url));
const resultsFile = fileURLToPath(new URL('./results.json', import.meta.url));

const wanted = process.argv.slice(2);
const cases = readdirSync(casesDir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .filter((c) => wanted.length === 0 || wanted.includes(c))
  .sort();

function runCase(name: string): Promise<BenchResult[]> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--expose-gc', runner, name], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => {
      const line = out
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{') || l.startsWith('['))
        .pop();
      if (code === 0 && line) {
        const parsed = JSON.parse(line) as BenchResult | BenchResult[];
        resolve(Array.isArray(parsed) ? parsed : [parsed]);
      } else {
        resolve([
          { name, figures: { error: `case exited with code ${code}` }, goal: 'runs', pass: false },
        ]);
      }
    });
  });
}

const results: BenchResult[] = [];
let crashed = false;
for (const name of cases) {
  for (const r of await runCase(name)) {
    results.push(r);
    if ('error' in r.figures) crashed = true;
    process.stdout.write(`${JSON.stringify(r)}\n`);
  }
}
writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
process.exitCode = crashed ? 1 : 0;
