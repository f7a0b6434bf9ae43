#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-old-space-size=160
// Runs the TypeScript CLI through tsx, so the same sources serve the CLI, the tests and the Lambda bundles.
//
// The heap is bounded (the flag above): everything the CLI does streams, so its live data stays
// well under 100 MB, and without a bound V8 lets garbage pile up to several hundred MB before it
// collects (a 100,000-letter launch peaked at 430 MB of RSS: `npm run bench memory`). Two malloc
// arenas instead of one per thread keep the native memory of libuv's threads from adding ~15 MB. For a report of a very large campaign, run it with a larger heap:
// `node --max-old-space-size=2048 bin/demarche.js report …`.
import { register } from 'tsx/esm/api';

register();
await import('../functions/cli/main.ts');
