/**
 * The dashboard's bundle as it ships: within its size budget, built from the
 * page's own sources and its two libraries only (no server code), nothing
 * the CSP would refuse (eval, new Function), and not rebuilt when nothing
 * changed (starting the local runtime stays cheap).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../infra/bundling.js';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import {
  DIST_DIR,
  dashboardBuildOptions,
  ensureDashboard,
  GZIP_BUDGET,
  shippedSizes,
} from '../../../scripts/build-dashboard.js';

describe('the dashboard bundle', () => {
  it(`is at most ${GZIP_BUDGET / 1024} KiB gzipped, page and styles included`, () => {
    ensureDashboard();
    const sizes = shippedSizes();
    const total = Object.values(sizes).reduce((n, s) => n + s.gzipped, 0);
    expect(Object.keys(sizes)).toEqual(['index.html', 'app.js', 'app.css']);
    expect(total, JSON.stringify(sizes)).toBeLessThanOrEqual(GZIP_BUDGET);
  });

  it('holds only the page, Preact and uPlot, and nothing the CSP refuses', () => {
    const meta = buildSync(dashboardBuildOptions()).metafile!;
    const inputs = Object.keys(meta.inputs);
    const outside = inputs.filter(
      (i) =>
        !i.startsWith('templates/dashboard/') &&
        !i.startsWith('node_modules/preact/') &&
        !i.startsWith('node_modules/uplot/'),
    );
    expect(outside).toEqual([]);
    const code = readFileSync(join(DIST_DIR, 'app.js'), 'utf8');
    expect(/\beval\(|new Function\(/.test(code)).toBe(false);
  });

  it('sets nothing as HTML in its own code, except the letter preview and the report print frames', () => {
    const sources = Object.keys(buildSync(dashboardBuildOptions()).metafile!.inputs).filter((i) =>
      i.startsWith('templates/dashboard/src/'),
    );
    expect(sources.length).toBeGreaterThan(15);
    const html =
      /dangerouslySetInnerHTML|innerHTML|outerHTML|insertAdjacentHTML|document\.write|srcdoc/;
    const using = sources.filter((f) => html.test(readFileSync(join(REPO_ROOT, f), 'utf8')));
    // Both are sandboxed frames without scripts, holding HTML the server rendered and escaped.
    expect(using.sort()).toEqual([
      'templates/dashboard/src/campaign/LetterPreview.tsx',
      'templates/dashboard/src/campaign/ReportButton.tsx',
    ]);
  });

  it('is not built again when no input changed', () => {
    ensureDashboard();
    expect(ensureDashboard()).toBe(false);
  });
});
