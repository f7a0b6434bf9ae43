/**
 * Reading a statement file with its translations from disk. A translation
 * sits beside the statement with the language before the extension:
 * statement.md, statement.fr.md, statement.de.md (or statement.txt,
 * statement.ru.txt). Parsing stays in core; this file only finds and reads.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { DemarcheError } from '../core/errors.js';
import type { StatementIssue } from '../core/errors.js';
import { defaultFrom, EXAMPLE_REPLY_DOMAIN } from '../adapters/deployment.js';
import { overridesOf } from './sources.js';
import {
  LANGUAGE_CODE,
  parseTranslation,
  readStatementSource,
  type Statement,
  type StatementOverrides,
} from '../core/statement.js';

/** A file's text, or an INPUT_UNREADABLE error naming it and what it was for. */
export function read(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new DemarcheError(
      'INPUT_UNREADABLE',
      `cannot read the ${what} file ${path}: ${(err as Error).message}`,
      { path },
    );
  }
}

/** The translation files beside `path`, as [language, file] pairs sorted by language. */
export function translationFiles(path: string): [string, string][] {
  const ext = extname(path);
  const stem = basename(path, ext);
  const dir = dirname(path);
  const found: [string, string][] = [];
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(`${stem}.`) || extname(name) !== ext) continue;
    const lang = name.slice(stem.length + 1, name.length - ext.length);
    if (LANGUAGE_CODE.test(lang)) found.push([lang, join(dir, name)]);
  }
  return found.sort(([a], [b]) => a.localeCompare(b));
}

/** True when a statement source is Markdown with front matter (else plain text). */
export function isMarkdownStatement(source: string): boolean {
  return /^\uFEFF?---\r?\n/.test(source);
}

/**
 * Reads and parses a statement and every translation beside it. Each file's
 * problems are reported with that file's name and line; `onWarning` hears
 * what was cleaned or ignored (control characters, unknown front-matter keys).
 */
export function readStatement(
  path: string,
  overrides: (plainText: boolean) => StatementOverrides,
  onWarning?: (w: StatementIssue & { file: string }) => void,
): Statement {
  const source = read(path, 'statement');
  const { statement, warnings } = readStatementSource(
    source,
    path,
    overrides(!isMarkdownStatement(source)),
  );
  for (const w of warnings) onWarning?.({ ...w, file: path });
  for (const [language, file] of translationFiles(path)) {
    const translation = parseTranslation(read(file, 'translation'), file, language, statement);
    statement.translations = [...(statement.translations ?? []), translation];
  }
  return statement;
}

/**
 * The overrides a statement read on this machine gets (plan, preview): the
 * options, and for plain text the example sender and reply domain (or
 * DEMARCHE_FROM / DEMARCHE_REPLY_DOMAIN). What is stored and sent is the
 * server's reading, held to the deployment's senders.
 */
export function statementOverrides(
  opts: {
    deadline?: string;
    subject?: string;
    meeting?: string;
    language?: string;
    replyDomain?: string;
    from?: string;
    signatory?: string[];
  },
  plainText: boolean,
): StatementOverrides {
  const o: StatementOverrides = {};
  if (opts.deadline) o.deadline = opts.deadline;
  if (opts.subject) o.subject = opts.subject;
  if (opts.meeting) o.meeting = opts.meeting;
  if (opts.language) o.language = opts.language;
  if (opts.replyDomain) o.replyToDomain = opts.replyDomain;
  if (opts.signatory?.length)
    o.signatories = overridesOf({ signatory: opts.signatory })
      .signatories as StatementOverrides['signatories'];
  if (opts.from) o.from = overridesOf({ from: opts.from }).from as StatementOverrides['from'];
  else if (plainText) o.from = defaultFrom();
  if (plainText) {
    o.replyToDomain ??= process.env.DEMARCHE_REPLY_DOMAIN ?? EXAMPLE_REPLY_DOMAIN;
    o.language ??= 'en';
  }
  return o;
}
