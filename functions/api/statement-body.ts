/**
 * A statement as the API takes it: the source text (Markdown with front
 * matter, or plain text), its translations, and the overrides plain text
 * needs. Parsed by core/statement.ts, then held to the deployment's senders:
 * a From or reply domain that is not the deployment's is refused here, at
 * creation, with the allowed values, instead of failing every letter later.
 */
import type { DefaultsContext } from '../core/input-warnings.js';
import { z } from 'zod';
import { defaultFrom } from '../adapters/deployment.js';
import type { Deps } from '../adapters/deps.js';
import { checkSender } from '../core/senders.js';
import {
  parseStatement,
  parseTranslation,
  type Statement,
  type StatementOverrides,
} from '../core/statement.js';

export const isoWithZone = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/,
    'must be ISO 8601 with a zone',
  );

export const statementFields = {
  statement: z.string().min(1, 'is empty').max(200_000),
  statementName: z.string().max(200).default('statement'),
  translations: z
    .array(
      z.strictObject({
        language: z.string().max(10),
        source: z.string().min(1, 'is empty').max(200_000),
        name: z.string().max(200).optional(),
      }),
    )
    .max(30)
    .default([]),
  overrides: z
    .strictObject({
      deadline: isoWithZone.optional(),
      zone: z.string().max(64).optional(),
      subject: z.string().max(300).optional(),
      meeting: z.string().max(300).optional(),
      language: z.string().max(10).optional(),
      replyToDomain: z.string().max(253).optional(),
      from: z.strictObject({ name: z.string().max(200), address: z.email() }).optional(),
      signatories: z
        .array(
          z.strictObject({
            name: z.string().max(200),
            organisation: z.string().max(300).optional(),
          }),
        )
        .max(500)
        .optional(),
      postalAddress: z.string().max(500).optional(),
    })
    .default({}),
};

const _statementSchema = z.object(statementFields);
export type StatementBody = z.infer<typeof _statementSchema>;

export const isPlainText = (source: string) => !/^\uFEFF?---\r?\n/.test(source);

/** What the server filled in for a plain-text statement, which its letters would show. */
export function statementDefaults(body: StatementBody): DefaultsContext {
  if (!isPlainText(body.statement)) return {};
  return {
    defaultSender: !body.overrides?.from,
    signatoriesDefaulted: !body.overrides?.signatories?.length,
  };
}

/** Parses the statement and its translations and checks its sender against the deployment's. */
export function statementOf(body: StatementBody, deps: Pick<Deps, 'senders'>): Statement {
  // Plain text says nothing of sender or reply domain: the deployment's defaults fill them.
  const overrides: StatementOverrides = isPlainText(body.statement)
    ? {
        language: 'en',
        replyToDomain: deps.senders.replyDomain,
        from: defaultFrom(),
        ...body.overrides,
      }
    : body.overrides;
  const statement = parseStatement(body.statement, body.statementName, overrides);
  for (const t of body.translations) {
    const translation = parseTranslation(
      t.source,
      t.name ?? `${body.statementName}.${t.language}`,
      t.language,
      statement,
    );
    statement.translations = [...(statement.translations ?? []), translation];
  }
  checkSender(statement, deps.senders, body.statementName);
  return statement;
}

/**
 * A stored statement with `translations` set onto it (a language given
 * replaces that language's translation, the others stay): adding a
 * translation to a draft needs no copy of the main text's source.
 */
export function withTranslations(
  statement: Statement,
  translations: StatementBody['translations'],
  deps: Pick<Deps, 'senders'>,
  file = 'statement',
): Statement {
  const given = new Set(translations.map((t) => t.language));
  const out: Statement = {
    ...statement,
    translations: (statement.translations ?? []).filter((t) => !given.has(t.language)),
  };
  for (const t of translations)
    out.translations = [
      ...(out.translations ?? []),
      parseTranslation(t.source, t.name ?? `${file}.${t.language}`, t.language, statement),
    ];
  checkSender(out, deps.senders, file);
  return out;
}
