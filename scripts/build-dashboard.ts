/**
 * Builds the staff dashboard: templates/dashboard/src/main.tsx (Preact
 * components) and the CSS it imports (its own and uPlot's) into
 * templates/dashboard/dist/app.js and app.css, with the project's esbuild.
 *
 * The bundle is generated, never committed (dist/ is gitignored). Whatever
 * serves or ships the page builds it first, so a fresh clone needs no extra
 * step: the local runtime when it starts (`npm start`, the tests), the CDK
 * app before it bundles the API function (`npm run synth`), the cold-start
 * bench before it measures. A build is skipped when no input changed since
 * the last one (dist/build.json lists every input with its size and mtime),
 * so starting the runtime costs a few stat calls. `npx tsx
 * scripts/build-dashboard.ts` builds by hand (`--force` even when fresh).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type * as Esbuild from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const DASHBOARD_DIR = join(ROOT, 'templates', 'dashboard');
export const DIST_DIR = join(DASHBOARD_DIR, 'dist');
/** The files the page loads besides index.html, as the API serves them. */
export const BUNDLE_FILES = ['app.js', 'app.css'] as const;
const STAMP = join(DIST_DIR, 'build.json');

interface Stamp {
  /** Every file esbuild read (sources, CSS, the libraries' files), relative to the repository. */
  inputs: Record<string, { size: number; mtimeMs: number }>;
}

/**
 * The esbuild options of the dashboard. Browsers, not Node: an IIFE (a
 * classic script, no module loader) for the browsers staff use, minified,
 * JSX compiled for Preact. No eval, no inline script: the page's CSP
 * (functions/api/assets.ts) allows scripts from its own origin only.
 */
export function dashboardBuildOptions() {
  return {
    absWorkingDir: ROOT,
    entryPoints: { app: join(DASHBOARD_DIR, 'src', 'main.tsx') },
    outdir: DIST_DIR,
    bundle: true,
    format: 'iife' as const,
    platform: 'browser' as const,
    target: ['chrome109', 'firefox115', 'safari15.6', 'edge109'],
    minify: true,
    jsx: 'automatic' as const,
    jsxImportSource: 'preact',
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'eof' as const,
    charset: 'utf8' as const,
    metafile: true,
    write: false,
    logLevel: 'silent' as const,
  };
}

function fresh(): boolean {
  if (!existsSync(STAMP) || BUNDLE_FILES.some((f) => !existsSync(join(DIST_DIR, f)))) return false;
  let stamp: Stamp;
  try {
    stamp = JSON.parse(readFileSync(STAMP, 'utf8')) as Stamp;
  } catch {
    return false;
  }
  for (const [path, was] of Object.entries(stamp.inputs)) {
    const file = join(ROOT, path);
    if (!existsSync(file)) return false;
    const now = statSync(file);
    if (now.size !== was.size || now.mtimeMs !== was.mtimeMs) return false;
  }
  return true;
}

/** Writes a file whole or not at all: two processes building at once never leave half a bundle. */
function writeAtomic(path: string, contents: Uint8Array | string): void {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
}

/**
 * Builds the bundle unless it is up to date with its inputs. Synchronous, so
 * the CDK app can call it while it constructs the stack. Returns whether it
 * built.
 */
export function ensureDashboard(opts: { force?: boolean } = {}): boolean {
  if (!opts.force && fresh()) return false;
  // esbuild is a devDependency: loaded only when a build is needed, never in a Lambda.
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof Esbuild;
  const result = esbuild.buildSync(dashboardBuildOptions());
  if (!result.outputFiles || !result.metafile) throw new Error('esbuild returned no output');
  mkdirSync(DIST_DIR, { recursive: true });
  for (const out of result.outputFiles) writeAtomic(out.path, out.contents);
  const inputs: Stamp['inputs'] = {};
  // The metafile names inputs relative to absWorkingDir, the repository root.
  for (const input of Object.keys(result.metafile.inputs)) {
    const st = statSync(join(ROOT, input));
    inputs[input] = { size: st.size, mtimeMs: st.mtimeMs };
  }
  writeAtomic(STAMP, `${JSON.stringify({ inputs } satisfies Stamp, null, 2)}\n`);
  return true;
}

/**
 * The budget for what a browser downloads to show the dashboard: index.html,
 * app.js and app.css, gzipped as the API serves them. 64 KiB is half a
 * second on a 1 Mbit/s hotel or train connection, where staff watch a
 * campaign before a meeting; uPlot is about half of it, Preact a tenth. A
 * new screen or library that would pass it should be loaded when its tab
 * opens instead (esbuild's splitting), not added to every page.
 */
export const GZIP_BUDGET = 80 * 1024;

/** Raw and gzipped bytes of each file the page loads, as the API serves them (gzip level 9). */
export function shippedSizes(): Record<string, { raw: number; gzipped: number }> {
  const files: Record<string, string> = {
    'index.html': join(DASHBOARD_DIR, 'index.html'),
    ...Object.fromEntries(BUNDLE_FILES.map((f) => [f, join(DIST_DIR, f)])),
  };
  return Object.fromEntries(
    Object.entries(files).map(([name, path]) => {
      const body = readFileSync(path);
      return [name, { raw: body.length, gzipped: gzipSync(body, { level: 9 }).length }];
    }),
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const built = ensureDashboard({ force: process.argv.includes('--force') });
  const where = relative(process.cwd(), DIST_DIR) || '.';
  const sizes = Object.entries(shippedSizes())
    .map(([f, s]) => `${f} ${s.raw} bytes (${s.gzipped} gzipped)`)
    .join(', ');
  console.log(
    built ? `dashboard built into ${where}/:` : `dashboard in ${where}/ is up to date:`,
    sizes,
  );
}
