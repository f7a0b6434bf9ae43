/**
 * A parsed statement as one language's reader sees it. Apart from the parser
 * (statement.ts, with YAML and Markdown) so that the recipient-facing
 * functions, which only read stored statements, load neither.
 */
import type { Statement } from './statement.js';

/** Every language a statement can be read in, the default first. */
export function statementLanguages(s: Statement): string[] {
  return [s.language, ...(s.translations ?? []).map((t) => t.language)];
}

/** The statement as a reader of `language` sees it; the default language when it has no translation. */
export function statementIn(s: Statement, language: string): Statement {
  const t = s.translations?.find((x) => x.language === language);
  if (!t) return s;
  const { meeting: _meeting, ...rest } = s;
  return {
    ...rest,
    language,
    title: t.title,
    subject: t.subject,
    ...(t.meeting ? { meeting: t.meeting } : {}),
    body: t.body,
  };
}
