/** Runs one bench case in this (fresh) process and prints its result as one JSON line on stdout. */
import type { BenchCase } from './types.js';

const name = process.argv[2];
const mod = (await import(`./cases/${name}.ts`)) as { run: BenchCase };
const result = await mod.run();
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
