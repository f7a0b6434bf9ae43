/**
 * How every Lambda is bundled, in one place: the CDK functions (infra/lambda.ts)
 * and the cold-start bench (bench/cases/coldstart.ts) both read these options,
 * so the bench measures exactly the bundles the stack deploys.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Repository root (infra/ is one level down). */
export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * The Lambda functions of demarche: one folder under functions/ each, with a
 * thin handler.ts. The stack only instantiates those whose entry file exists.
 */
export const FUNCTION_ENTRIES = {
  sender: 'functions/sender/handler.ts',
  launch: 'functions/launch/handler.ts',
  events: 'functions/events/handler.ts',
  tracking: 'functions/tracking/handler.ts',
  web: 'functions/web/handler.ts',
  signon: 'functions/signon/handler.ts',
  inbound: 'functions/inbound/handler.ts',
  api: 'functions/api/handler.ts',
  scheduler: 'functions/scheduler/handler.ts',
} as const;

export type FunctionName = keyof typeof FUNCTION_ENTRIES;

/** The absolute entry path of a function. */
export function entryPath(name: FunctionName): string {
  return `${REPO_ROOT}${FUNCTION_ENTRIES[name]}`;
}

/** Whether a function's handler has landed; only those are deployed. */
export function hasEntry(name: FunctionName): boolean {
  return existsSync(entryPath(name));
}

/**
 * ESM needs a `require` for the CommonJS dependencies esbuild inlines (some
 * AWS SDK internals call require('buffer') etc.), plus __dirname/__filename.
 */
export const ESM_BANNER =
  "import{createRequire as __cr}from'node:module';import{fileURLToPath as __fu}from'node:url';import{dirname as __dn}from'node:path';const require=__cr(import.meta.url);const __filename=__fu(import.meta.url);const __dirname=__dn(__filename);";

/**
 * The esbuild options shared by CDK and the bench. The AWS SDK is bundled
 * (not taken from the runtime) so that Lambda runs the versions the tests ran;
 * minified ESM keeps each bundle well under 1 MB zipped.
 */
export const BUNDLE = {
  minify: true,
  sourceMap: false,
  target: 'node22',
  format: 'esm',
  platform: 'node',
  mainFields: ['module', 'main'],
  banner: ESM_BANNER,
  externalModules: [] as string[],
} as const;

/**
 * Modules that MJML and cheerio require when they load but call only for
 * options demarche never uses, each with the use it serves. Every bundle maps
 * them to a stand-in (infra/left-out/) that loads fine and throws a clear
 * error if ever called. Together they were 1.2 MB of the API's 1.6 MB zipped
 * (undici and iconv-lite's code pages alone about half); the letters compiled
 * with and without them are byte-identical (test/infra/bundling.test.ts).
 */
export const LEFT_OUT = {
  htmlnano: "MJML's minify option (with cssnano, terser, svgo, cosmiconfig)",
  'cssnano-preset-lite': "MJML's minifyCss: 'lite' option",
  'js-beautify': "MJML's beautify option",
  'web-resource-inliner': "juice's juiceResources/juiceFile: fetching and inlining remote CSS",
  undici: "cheerio's fromURL",
  'encoding-sniffer': "cheerio's loadBuffer and decodeStream (with whatwg-encoding, iconv-lite)",
} as const;

/** esbuild's alias map: each left-out module to its stand-in (absolute paths). */
export const ALIAS: Record<string, string> = Object.fromEntries(
  Object.keys(LEFT_OUT).map((m) => [m, `${REPO_ROOT}infra/left-out/${m}.cjs`]),
);

/**
 * esbuild's own BuildOptions as every Lambda bundle uses them, without the
 * entry: the bench, the size test and the left-out proof (which bundles its
 * own entry) all build exactly what CDK builds.
 */
export function sharedBuildOptions() {
  return {
    bundle: true,
    platform: BUNDLE.platform,
    format: BUNDLE.format,
    target: BUNDLE.target,
    minify: BUNDLE.minify,
    sourcemap: BUNDLE.sourceMap,
    mainFields: [...BUNDLE.mainFields],
    banner: { js: BUNDLE.banner },
    external: [...BUNDLE.externalModules],
    alias: ALIAS,
    metafile: true,
    logLevel: 'silent' as const,
  };
}

/** esbuild's own BuildOptions for a function (used by the bench and the size test). */
export function esbuildOptions(name: FunctionName, outfile: string) {
  return { ...sharedBuildOptions(), entryPoints: [entryPath(name)], outfile };
}
