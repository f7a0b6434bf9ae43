/**
 * What the CLI sends the API: the statement's source and its translations'
 * (the files beside it, statement.fr.md …), the overrides given as options,
 * and a recipients list inline or, when large, uploaded. The server parses
 * and checks all of it; the CLI only reads files.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { DemarcheError } from '../core/errors.js';
import { CsvDecoder, describeEncoding } from '../core/recipients/decode.js';
import { read, translationFiles } from './statement-file.js';
import type { Client } from './target.js';

/** Lists larger than this go through an upload (and an import job) instead of the request body. */
export const INLINE_CSV_BYTES = 4_000_000;

export interface StatementOptions {
  deadline?: string;
  zone?: string;
  subject?: string;
  meeting?: string;
  from?: string;
  replyDomain?: string;
  language?: string;
  signatory?: string[];
  address?: string;
}

/** A file's text, or an INPUT_UNREADABLE error naming it. */
export const readInput = read;

function parseFrom(s: string): { name: string; address: string } {
  const m = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(s);
  if (m) return { name: m[1] || 'demarche', address: m[2]!.trim() };
  if (/^[^\s<>@]+@[^\s<>@]+$/.test(s.trim())) return { name: 'demarche', address: s.trim() };
  throw new DemarcheError('OPTION_INVALID', `--from ${JSON.stringify(s)} is not "Name <address>"`);
}

function parseSignatory(s: string) {
  const [name, ...org] = s.split(',');
  const organisation = org.join(',').trim();
  return organisation ? { name: name!.trim(), organisation } : { name: name!.trim() };
}

export function overridesOf(o: StatementOptions): Record<string, unknown> {
  return {
    ...(o.deadline ? { deadline: o.deadline } : {}),
    ...(o.zone ? { zone: o.zone } : {}),
    ...(o.subject ? { subject: o.subject } : {}),
    ...(o.meeting ? { meeting: o.meeting } : {}),
    ...(o.language ? { language: o.language } : {}),
    ...(o.replyDomain ? { replyToDomain: o.replyDomain } : {}),
    ...(o.from ? { from: parseFrom(o.from) } : {}),
    ...(o.signatory?.length ? { signatories: o.signatory.map(parseSignatory) } : {}),
    ...(o.address ? { postalAddress: o.address } : {}),
  };
}

/** The statement file and the translation files beside it, as the API's statement fields. */
export function statementSources(path: string, o: StatementOptions = {}) {
  return {
    statement: readInput(path, 'statement'),
    statementName: path,
    translations: translationFiles(path).map(([language, file]) => ({
      language,
      source: readInput(file, 'translation'),
      name: file,
    })),
    overrides: overridesOf(o),
  };
}

/**
 * A recipients file as the API takes it: inline when it is small UTF-8, else
 * uploaded as its bytes. Spreadsheet exports are often Windows-1252 or
 * UTF-16: reading those as UTF-8 here would turn every accent into U+FFFD
 * before the server's encoding detection ever saw the bytes.
 */
export async function recipientsSource(
  client: Client,
  path: string,
): Promise<{ csv: string } | { upload: string }> {
  const bytes = readBytes(path, 'recipients');
  if (bytes.length <= INLINE_CSV_BYTES) {
    const csv = utf8(bytes);
    if (csv !== undefined) return { csv };
  }
  return { upload: await client.upload(bytes) };
}

/**
 * A CSV file as text for a request body that takes only text (directory
 * imports, a directory campaign's ad-hoc rows): valid UTF-8 as it is (the
 * server then names its line ends); anything else decoded as the recipients
 * reader decodes it (Windows-1252, UTF-16), so no accent turns into U+FFFD.
 */
export function readCsvText(path: string, what: string): { text: string; encoding: string } {
  const bytes = readBytes(path, what);
  const text = utf8(bytes);
  if (text !== undefined) return { text, encoding: 'UTF-8' };
  const d = new CsvDecoder(basename(path));
  const decoded = d.write(bytes) + d.end();
  return { text: decoded, encoding: describeEncoding(d.format) };
}

function utf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function readBytes(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new DemarcheError(
      'INPUT_UNREADABLE',
      `cannot read the ${what} file ${path}: ${(err as Error).message}`,
      { path },
    );
  }
}

/** Prints the rows the server skipped as `file:line: skipped: reason`. */
export function printProblems(file: string, problems: { line: number; message: string }[]): void {
  for (const p of problems) process.stderr.write(`${file}:${p.line}: skipped: ${p.message}\n`);
}

export const shortName = (path: string) => basename(path);
