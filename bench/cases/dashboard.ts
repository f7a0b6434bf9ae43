/**
 * What a browser downloads to show the staff dashboard: index.html and the
 * bundle (app.js, app.css), raw and gzipped as the API serves them, with the
 * minified bytes each part of app.js takes (our components, Preact, uPlot).
 * Goal: everything together ≤ 64 KiB gzipped (scripts/build-dashboard.ts,
 * GZIP_BUDGET, says why). A fresh build, so the figures are of the sources
 * as they are.
 */
import { buildSync } from 'esbuild';
import {
  dashboardBuildOptions,
  ensureDashboard,
  GZIP_BUDGET,
  shippedSizes,
} from '../../scripts/build-dashboard.js';
import type { BenchResult } from '../types.js';

export async function run(): Promise<BenchResult> {
  const t = performance.now();
  ensureDashboard({ force: true });
  const buildMs = Math.round(performance.now() - t);
  const sizes = shippedSizes();
  const gzipped = Object.values(sizes).reduce((n, s) => n + s.gzipped, 0);
  const parts: Record<string, number> = { ours: 0, preact: 0, uplot: 0 };
  const meta = buildSync(dashboardBuildOptions()).metafile!;
  for (const [out, o] of Object.entries(meta.outputs)) {
    if (!out.endsWith('app.js')) continue;
    for (const [input, i] of Object.entries(o.inputs)) {
      const lib = /node_modules\/([^/]+)\//.exec(input)?.[1] ?? 'ours';
      parts[lib] = (parts[lib] ?? 0) + i.bytesInOutput;
    }
  }
  const kib = (n: number) => Math.round((n / 1024) * 10) / 10;
  return {
    name: 'dashboard:assets',
    figures: {
      gzippedKiB: kib(gzipped),
      appJsKiB: kib(sizes['app.js']!.raw),
      appJsGzippedKiB: kib(sizes['app.js']!.gzipped),
      appCssGzippedKiB: kib(sizes['app.css']!.gzipped),
      indexHtmlGzippedKiB: kib(sizes['index.html']!.gzipped),
      oursMinKiB: kib(parts.ours ?? 0),
      preactMinKiB: kib(parts.preact ?? 0),
      uplotMinKiB: kib(parts.uplot ?? 0),
      buildMs,
    },
    goal: `index.html + app.js + app.css ≤ ${GZIP_BUDGET / 1024} KiB gzipped`,
    pass: gzipped <= GZIP_BUDGET,
  };
}
