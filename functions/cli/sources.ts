/**
 * What the CLI sends the API: the statement's source and its translations'
 * (the files beside it, statement.fr.md …), the overrides given as options,
 * and a recipients list inline or, when large, uploaded. The server parses
 * and checks all of it; the CLI only reads files.
 */
import { basename } from 'node:path';
import { DemarcheError } from '../core/errors.js';
import { read, translationFiles } from './statement-file.js';
import type { Client } from './target.js';

/** Lists larger than this go through an upload (and an import job) instead of the request body. */
export const INLINE_CSV_BYTES = 4_000_000;

export interface StatementOptions {
  deadline?: string;
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

/** A recipients file as the API takes it: inline, or an upload id for a large list. */
export async function recipientsSource(
  client: Client,
  path: string,
): Promise<{ csv: string } | { upload: string }> {
  const csv = readInput(path, 'recipients');
  if (Buffer.byteLength(csv) <= INLINE_CSV_BYTES) return { csv };
  return { upload: await client.upload(csv) };
}

/** Prints the rows the server skipped as `file:line: skipped: reason`. */
export function printProblems(file: string, problems: { line: number; message: string }[]): void {
  for (const p of problems) process.stderr.write(`${file}:${p.line}: skipped: ${p.message}\n`);
}

export const shortName = (path: string) => basename(path);
