/**
 * Archived targets expire: the target, every version of it and every
 * erasure-index entry of an address it had carry DynamoDB's TTL
 * (`expiresAt`) from the day it is archived plus the retention
 * (DEMARCHE_RETENTION_DAYS, as a finished campaign's personal items), so a
 * target nobody keeps any more does not stay forever. Restoring it takes the
 * expiry off all of them again. The target and its new version get the
 * expiry in their own transaction (dynamo-directory.ts); this moves the
 * older versions and the index entries after it, each only while it exists.
 */
import {
  type DynamoDBDocumentClient,
  PutCommand,
  type PutCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Target, TargetVersion } from '../core/directory/model.js';
import { addressKey } from '../core/purpose-keys.js';
import { isConditionFailure } from './dynamo-store.js';
import { retentionDaysFromEnv } from './retention-env.js';
import { keys, TABLE } from './table-definition.js';

/** When a target archived at `at` expires (epoch seconds). */
export function archivedExpiry(at: string): number {
  return Math.floor((Date.parse(at) + retentionDaysFromEnv() * 86_400_000) / 1000);
}

/** Every address a target has or had: its own, and each one its versions name. */
function addressesOf(t: Target, versions: readonly TargetVersion[]): Set<string> {
  const out = new Set([t.email, ...(t.fallbackEmails ?? [])]);
  for (const v of versions)
    for (const c of v.changes)
      if (c.field === 'email' || c.field === 'fallbackEmails')
        for (const text of [c.before, c.after])
          for (const a of (text ?? '').split(';'))
            // An erased address reads "(erased)" in the versions: it has no entry to move.
            if (a.trim() && !a.includes('(erased)')) out.add(a.trim());
  return out;
}

/**
 * Sets (`expiresAt` given) or removes the expiry of a target's versions and
 * index entries. Each is written whole (the API may put them, never update
 * them) and only while it is as read: a version whose text an erasure
 * scrubbed meanwhile, or an index entry that is not there (an address only
 * ever a fallback has no primary entry; an erased address none), is left
 * alone.
 */
export async function setTargetExpiry(
  db: DynamoDBDocumentClient,
  table: string,
  secret: (() => Promise<string>) | undefined,
  target: Target,
  versions: readonly TargetVersion[],
  versionKey: (n: number) => { pk: string; sk: string },
  expiresAt: number | undefined,
): Promise<number> {
  const ttl = expiresAt === undefined ? {} : { [TABLE.ttlAttribute]: expiresAt };
  const puts: PutCommandInput[] = versions.map((v) => {
    const { [TABLE.ttlAttribute]: _old, ...rest } = v as TargetVersion & Record<string, unknown>;
    return {
      TableName: table,
      Item: { ...versionKey(v.number), type: 'target-version', ...rest, ...ttl },
      ConditionExpression: 'attribute_exists(pk) AND changes = :c',
      ExpressionAttributeValues: { ':c': v.changes },
    };
  });
  if (secret) {
    const s = await secret();
    for (const a of addressesOf(target, versions))
      for (const sk of [`TARGET#${target.id}`, `TARGETFB#${target.id}`])
        puts.push({
          TableName: table,
          Item: {
            ...keys.person(addressKey(s, a), sk),
            type: 'person-index',
            kind: 'target',
            targetId: target.id,
            ...ttl,
          },
          ConditionExpression: 'attribute_exists(pk)',
        });
  }
  let touched = 0;
  for (let i = 0; i < puts.length; i += 16) {
    const done = await Promise.all(
      puts.slice(i, i + 16).map(async (input) => {
        try {
          await db.send(new PutCommand(input));
          return 1;
        } catch (err) {
          if (isConditionFailure(err)) return 0;
          throw err;
        }
      }),
    );
    touched += done.reduce((n: number, x) => n + x, 0);
  }
  return touched;
}
