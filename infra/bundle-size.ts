/**
 * The size Lambda counts for a function: its deployment package zipped. The
 * CDK CLI zips each asset folder at deploy time (deflate, level 9); this
 * computes the same archive's size without writing it: deflated bytes of
 * every file plus the ZIP headers (local header, central directory entry,
 * end record).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { deflateRawSync } from 'node:zlib';

export interface PackageSize {
  files: number;
  raw: number;
  zipped: number;
}

const LOCAL_HEADER = 30;
const CENTRAL_ENTRY = 46;
const END_RECORD = 22;

/** Raw and zipped size of a folder as a Lambda deployment package. */
export function packageSize(dir: string): PackageSize {
  let raw = 0;
  let zipped = END_RECORD;
  let files = 0;
  for (const path of walk(dir)) {
    const data = readFileSync(path);
    const name = Buffer.byteLength(relative(dir, path));
    const deflated = deflateRawSync(data, { level: 9 }).length;
    raw += data.length;
    // ZIP stores a file uncompressed when deflate does not help.
    zipped += LOCAL_HEADER + CENTRAL_ENTRY + 2 * name + Math.min(deflated, data.length);
    files++;
  }
  return { files, raw, zipped };
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

/** The Lambda size goal: every deployment package under 1 MB zipped. */
export const ZIPPED_LIMIT = 1024 * 1024;
