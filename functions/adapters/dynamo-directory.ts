/**
 * The target directory in the one table:
 *   TARGET#<shard> / <targetId>     the target as it is now (8 shards: an import
 *                                   of thousands spreads its writes)
 *   TARGET#META / META              `rev`, moved on after every write
 *   TARGETVER#<targetId> / <000001> each version: who, when, which fields
 *   PERSON#<hash> / TARGET#<tid>    the erasure index (and the bounce look-up) of a
 *                  TARGETFB#<tid>  target's primary and fallback addresses
 * A version is written once (attribute_not_exists) in the same transaction
 * as the target it describes, which holds only while the target is still at
 * the version the writer read. Reading the whole directory costs one small
 * read when nothing changed since this container last read it: the targets
 * are kept in memory under the revision they were read at. An archived
 * target expires with its versions (directory-expiry.ts).
 */
import { randomBytes } from 'node:crypto';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  fieldChanges,
  type PrimaryFailing,
  type Target,
  type TargetVersion,
} from '../core/directory/model.js';
import type { DirectoryActor, DirectoryStore, TargetWrite } from '../core/directory/ports.js';
import type { DirectorySelectionRecord } from '../core/directory/campaign.js';
import type { DirectoryEraser } from '../core/governance/forget-job.js';
import { byName } from '../core/directory/select.js';
import { addressKey } from '../core/purpose-keys.js';
import type { CampaignRecipient } from '../core/campaign.js';
import { writeRequests } from './batch-write.js';
import { recipientsIn } from './directory-letters.js';
import { isConditionFailure } from './dynamo-store.js';
import { archivedExpiry, setTargetExpiry } from './directory-expiry.js';
import { keys, PARTITION, TABLE } from './table-definition.js';

type Item = Record<string, unknown>;

export const SHARDS = 8;

export const directoryKeys = {
  target: (id: string) => ({
    pk: `${PARTITION.target}${parseInt(id.slice(1, 3), 16) % SHARDS}`,
    sk: id,
  }),
  meta: { pk: `${PARTITION.target}META`, sk: 'META' },
  version: (id: string, n: number) => ({
    pk: `${PARTITION.targetVersion}${id}`,
    sk: String(n).padStart(6, '0'),
  }),
  /** The erasure-index sort keys of a target's addresses. */
  primaryEntry: (id: string) => `TARGET#${id}`,
  fallbackEntry: (id: string) => `TARGETFB#${id}`,
};

const newId = () => `t${randomBytes(8).toString('hex')}`;

function strip<T>(item: Item | undefined): T | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, type: _type, ...rest } = item;
  return rest as T;
}

/** The directory as read at a revision, per table (a process may serve several tables in tests). */
const cache = new Map<string, { rev: number; targets: Target[] }>();

export class DynamoDirectory implements DirectoryStore, DirectoryEraser {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    /** Keys the erasure index; without it (tools, tests) no index entries are written. */
    private readonly secret?: () => Promise<string>,
  ) {}

  private async rev(): Promise<number> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: directoryKeys.meta, ConsistentRead: true }),
    );
    return Number(out.Item?.rev ?? 0);
  }

  /** Moves the revision on: every reader's cached copy is then read again. */
  private async bump(): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: directoryKeys.meta,
        UpdateExpression: 'ADD rev :one',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
  }

  /** Every target, sorted by name (select.ts byName); the same array while the revision stands. */
  async all(): Promise<Target[]> {
    // The revision is read before the targets: a write after it moves it on, so the next read reloads.
    const rev = await this.rev();
    const hit = cache.get(this.table);
    if (hit && hit.rev === rev) return hit.targets;
    const shards = await Promise.all(
      Array.from({ length: SHARDS }, (_, n) => this.shard(`${PARTITION.target}${n}`)),
    );
    // Sorted once per revision, so that a list request only filters.
    const targets = shards.flat().sort(byName);
    cache.set(this.table, { rev, targets });
    return targets;
  }

  private async shard(pk: string): Promise<Target[]> {
    const out: Target[] = [];
    let start: Item | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': pk },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const i of page.Items ?? []) out.push(strip<Target>(i)!);
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  async get(id: string): Promise<Target | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: directoryKeys.target(id),
        ConsistentRead: true,
      }),
    );
    return strip<Target>(out.Item);
  }

  async versions(id: string): Promise<TargetVersion[]> {
    const out: TargetVersion[] = [];
    let start: Item | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': directoryKeys.version(id, 0).pk },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const i of page.Items ?? []) out.push(strip<TargetVersion>(i)!);
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /** Index entries for addresses of target `id`: the primary's (TARGET#) and fallbacks' (TARGETFB#). */
  private async indexItems(
    id: string,
    primary: string | undefined,
    fallbacks: string[],
  ): Promise<Item[]> {
    if (!this.secret) return [];
    const secret = await this.secret();
    const entry = (email: string, sk: string) => ({
      ...keys.person(addressKey(secret, email), sk),
      type: 'person-index',
      kind: 'target',
      targetId: id,
    });
    return [
      ...(primary ? [entry(primary, directoryKeys.primaryEntry(id))] : []),
      ...fallbacks.map((f) => entry(f, directoryKeys.fallbackEntry(id))),
    ];
  }

  async create(writes: TargetWrite[], by: DirectoryActor, at: string): Promise<Target[]> {
    const created: Target[] = [];
    const items: Item[] = [];
    for (const w of writes) {
      const t: Target = {
        ...w.fields,
        id: newId(),
        version: 1,
        createdAt: at,
        updatedAt: at,
        updatedBy: by.sub,
      };
      created.push(t);
      const version: TargetVersion = {
        targetId: t.id,
        number: 1,
        at,
        by: by.sub,
        ...(by.email ? { byEmail: by.email } : {}),
        reason: w.reason,
        changes: fieldChanges(undefined, w.fields),
      };
      items.push(
        { ...directoryKeys.target(t.id), type: 'target', ...t },
        { ...directoryKeys.version(t.id, 1), type: 'target-version', ...version },
        ...(await this.indexItems(t.id, t.email, t.fallbackEmails ?? [])),
      );
    }
    // New ids, never seen before: plain batch puts, four batches in flight.
    const chunks: Item[][] = [];
    for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
    let next = 0;
    const worker = async () => {
      while (next < chunks.length)
        await this.batch(chunks[next++]!.map((Item) => ({ PutRequest: { Item } })));
    };
    await Promise.all(Array.from({ length: Math.min(4, chunks.length) }, worker));
    if (created.length) await this.bump();
    return created;
  }

  /** One BatchWriteItem of at most 25 puts or deletes (adapters/batch-write.ts). */
  private batch(chunk: Item[]): Promise<void> {
    return writeRequests(this.db, this.table, chunk);
  }

  async update(
    id: string,
    expected: number,
    w: TargetWrite,
    by: DirectoryActor,
    at: string,
  ): Promise<Target | undefined> {
    const before = await this.get(id);
    if (!before || before.version !== expected) return undefined;
    const archived = w.archived ?? before.archived;
    const changes = fieldChanges(before, w.fields);
    if (archived !== before.archived)
      changes.push({ field: 'archived', ...(archived ? { after: 'yes' } : { before: 'yes' }) });
    const failing = before.failing;
    // Archived: expires the retention after it was archived (an edit meanwhile keeps that day).
    const expiresAt = archived ? (before.expiresAt ?? archivedExpiry(at)) : undefined;
    const next: Target = {
      ...w.fields,
      id,
      version: expected + 1,
      createdAt: before.createdAt,
      updatedAt: at,
      updatedBy: by.sub,
      ...(archived ? { archived: true } : {}),
      ...(failing && !w.clearFailing ? { failing } : {}),
      ...(expiresAt !== undefined ? { expiresAt } : {}),
    };
    const version: TargetVersion = {
      targetId: id,
      number: expected + 1,
      at,
      by: by.sub,
      ...(by.email ? { byEmail: by.email } : {}),
      reason: w.reason,
      changes,
    };
    // Entries for addresses new to the target (old ones stay: its history names them); a
    // fallback promoted to primary gets a primary entry, which bounces are looked up by.
    const known = new Set([before.email, ...(before.fallbackEmails ?? [])]);
    const fresh = await this.indexItems(
      id,
      next.email !== before.email ? next.email : undefined,
      (next.fallbackEmails ?? []).filter((f) => !known.has(f)),
    );
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...directoryKeys.target(id), type: 'target', ...next },
                ConditionExpression: 'version = :v',
                ExpressionAttributeValues: { ':v': expected },
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...directoryKeys.version(id, expected + 1),
                  type: 'target-version',
                  ...version,
                  ...(expiresAt !== undefined ? { [TABLE.ttlAttribute]: expiresAt } : {}),
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...fresh.map((Item) => ({
              Put: {
                TableName: this.table,
                Item: {
                  ...Item,
                  ...(expiresAt !== undefined ? { [TABLE.ttlAttribute]: expiresAt } : {}),
                },
              },
            })),
          ],
        }),
      );
    } catch (err) {
      if (isConditionFailure(err) || (err as Error).name === 'TransactionCanceledException')
        return undefined;
      throw err;
    }
    // Archiving or restoring moves the expiry of the older versions and the index entries too.
    if (expiresAt !== before.expiresAt)
      await setTargetExpiry(
        this.db,
        this.table,
        this.secret,
        next,
        await this.versions(id),
        (n) => directoryKeys.version(id, n),
        expiresAt,
      );
    await this.bump();
    return next;
  }

  /** What a campaign took from the directory (CAMPAIGN#<id> / DIRECTORY), written with its recipients. */
  async putSelection(campaignId: string, taken: DirectorySelectionRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...keys.campaign(campaignId),
          sk: 'DIRECTORY',
          type: 'directory-selection',
          ...taken,
        },
      }),
    );
  }

  async selection(campaignId: string): Promise<DirectorySelectionRecord | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { ...keys.campaign(campaignId), sk: 'DIRECTORY' },
        ConsistentRead: true,
      }),
    );
    return strip<DirectorySelectionRecord>(out.Item);
  }

  /**
   * Erasure (the launch function's job): the target whose primary is `email`
   * goes with its whole history; a target that names it otherwise keeps its
   * record without it, and each version naming it says "(erased)" instead.
   */
  async eraseAddress(id: string, email: string): Promise<{ targets: number; versions: number }> {
    const t = await this.get(id);
    if (!t) return { targets: 0, versions: 0 };
    const versions = await this.versions(id);
    if (t.email === email) {
      const doomed = [
        directoryKeys.target(id),
        ...versions.map((v) => directoryKeys.version(id, v.number)),
      ];
      for (let i = 0; i < doomed.length; i += 25)
        await this.batch(doomed.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } })));
      await this.bump();
      return { targets: 1, versions: versions.length };
    }
    const scrub = (s: string | undefined) => (s && s.includes(email) ? '(erased)' : s);
    let scrubbed = 0;
    for (const v of versions) {
      if (!v.changes.some((c) => c.before?.includes(email) || c.after?.includes(email))) continue;
      const changes = v.changes.map((c) => ({
        field: c.field,
        ...(c.before !== undefined ? { before: scrub(c.before) } : {}),
        ...(c.after !== undefined ? { after: scrub(c.after) } : {}),
      }));
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...directoryKeys.version(id, v.number), type: 'target-version', ...v, changes },
        }),
      );
      scrubbed++;
    }
    if (t.fallbackEmails?.includes(email)) {
      const rest = t.fallbackEmails.filter((f) => f !== email);
      const { fallbackEmails: _f, ...kept } = t;
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...directoryKeys.target(id),
            type: 'target',
            ...kept,
            ...(rest.length ? { fallbackEmails: rest } : {}),
          },
        }),
      );
    }
    await this.bump();
    return { targets: 0, versions: scrubbed };
  }

  /** The recipient records of these addresses' ids in these campaigns (a target's letters). */
  letters(
    campaignIds: readonly string[],
    recipientIds: readonly string[],
  ): Promise<CampaignRecipient[]> {
    return recipientsIn(this.db, this.table, campaignIds, recipientIds);
  }

  async markFailing(email: string, failing: PrimaryFailing): Promise<number> {
    if (!this.secret) return 0;
    const pk = keys.person(addressKey(await this.secret(), email), '').pk;
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :t)',
        ExpressionAttributeValues: { ':p': pk, ':t': 'TARGET#' },
      }),
    );
    let marked = 0;
    for (const entry of out.Items ?? []) {
      try {
        // Only while the address is still the target's primary (it may have been replaced since).
        await this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key: directoryKeys.target(String(entry.targetId)),
            UpdateExpression: 'SET failing = :f',
            ConditionExpression: 'email = :e',
            ExpressionAttributeValues: { ':f': failing, ':e': email },
          }),
        );
        marked++;
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
      }
    }
    if (marked) await this.bump();
    return marked;
  }
}
