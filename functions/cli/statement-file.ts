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
import {
  LANGUAGE_CODE,
  parseTranslation,
  readStatementSource,
  type Statement,
  type StatementOverrides,
} from '../core/statement.js';

function read(path: string, what: string): string {
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
