/**
 * Reading a request: path parameters, the query string and the body, each
 * validated with zod. A failure names every bad field and where it was
 * (query, body, path), as a RequestInvalidError (400).
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { RequestInvalidError } from './errors.js';

export function validate<T extends z.ZodType>(
  schema: T,
  value: unknown,
  where: string,
): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new RequestInvalidError(
    where,
    result.error.issues.map((i) => ({
      field: i.path.length ? i.path.join('.') : '(whole)',
      message: i.message,
    })),
  );
}

export function query<T extends z.ZodType>(event: APIGatewayProxyEventV2, schema: T): z.infer<T> {
  return validate(schema, event.queryStringParameters ?? {}, 'query string');
}

/** The body as text, whatever the transport did to it (API Gateway base64-encodes binary bodies). */
export function bodyText(event: APIGatewayProxyEventV2): string {
  if (!event.body) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

export function jsonBody<T extends z.ZodType>(
  event: APIGatewayProxyEventV2,
  schema: T,
): z.infer<T> {
  const text = bodyText(event);
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch (err) {
    throw new RequestInvalidError('body', [
      { field: '(whole)', message: `not valid JSON: ${(err as Error).message}` },
    ]);
  }
  return validate(schema, parsed, 'body');
}

/** Ids in paths: what our own ids look like, nothing else reaches the store. */
export const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'is not a valid id');

export const bool = z.enum(['true', 'false']).transform((s) => s === 'true');

export const recipientsQuery = z.strictObject({
  group: z.enum(['minister', 'eu-institution', 'ngo', 'other']).optional(),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166 alpha-2 code')
    .transform((s) => s.toUpperCase())
    .optional(),
  state: z
    .enum(['pending', 'claimed', 'held', 'sent', 'failed', 'expired', 'suppressed', 'unknown'])
    .optional(),
  delivery: z
    .enum(['sent', 'delayed', 'delivered', 'bouncedSoft', 'bouncedHard', 'rejected', 'complained'])
    .optional(),
  opened: bool.optional(),
  replied: bool.optional(),
  unsubscribed: z.enum(['all', 'followups']).optional(),
  fallback: bool.optional(),
  /** Words a name, organisation or address starts with. */
  q: z.string().trim().max(200).optional(),
  /** The column to sort by (staff-queries.ts, SORT_KEYS), and its direction. */
  sort: z.enum(['name', 'organisation', 'group', 'country', 'delivery', 'sentAt']).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const pageQuery = z.strictObject({
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
