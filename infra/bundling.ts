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
  // cosmiconfig (under mjml's htmlnano) requires typescript lazily, only to
  // read .ts config files, which never happens in Lambda: leaving it out
  // saves 3.5 MB of the API bundle.
  externalModules: ['typescript'] as string[],
} as const;

/** esbuild's own BuildOptions for an entry (used by the bench and the size test). */
export function esbuildOptions(name: FunctionName, outfile: string) {
  return {
    entryPoints: [entryPath(name)],
    outfile,
    bundle: true,
    platform: BUNDLE.platform,
    format: BUNDLE.format,
    target: BUNDLE.target,
    minify: BUNDLE.minify,
    sourcemap: BUNDLE.sourceMap,
    mainFields: [...BUNDLE.mainFields],
    banner: { js: BUNDLE.banner },
    external: [...BUNDLE.externalModules],
    metafile: true,
    logLevel: 'silent' as const,
  };
}
