/**
 * What the cost bench counts, by phase: every DynamoDB call's consumed
 * capacity (read and write units, the index's share), other SDK calls by
 * service and command, and the bytes of log lines a Lambda would ship to
 * CloudWatch. A phase is the function doing the work (send, events …),
 * carried through async calls, so overlapping phases are told apart.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { MeteredCall } from '../../functions/adapters/client-meter.js';
import { itemSize, writeUnits } from './item-size.js';

export const PHASES = [
  'import',
  'launch',
  'send',
  'events',
  'tracking',
  'web',
  'dashboard',
  /** The scheduler's first tick after the campaign finished: its personal items get their expiry. */
  'finish',
  /** A later tick, with nothing to do: what every five minutes cost, sending or not. */
  'tick',
] as const;
export type Phase = (typeof PHASES)[number];

export interface PhaseTally {
  readUnits: number;
  writeUnits: number;
  /** Write units spent on GSI1 (part of writeUnits). */
  indexWriteUnits: number;
  dynamoCalls: number;
  /** Conditional writes and transactions refused (billed too, counted apart). */
  dynamoRefused: number;
  /** Other services' calls by `service:Command`. */
  calls: Map<string, number>;
  /** Transactions' write units for the items given whole (Puts), counted as DynamoDB bills them. */
  txPutUnits: number;
  /** Transactions' items written by key (Update, Delete, ConditionCheck), by kind: priced at the end. */
  txKeyed: Map<ItemKind, number>;
  /** Index entries written by transactions (GSI1 keys set or removed; standard writes). */
  txIndexWrites: number;
  /** Updates in transactions of an item with a GSI1 entry that kept its key (an index write with ALL). */
  txIndexedUpdates: Map<ItemKind, number>;
  logBytes: number;
  sesMessages: number;
  sesBytes: number;
}

const READS = /^(Get|BatchGet|TransactGet|Query|Scan)/;

interface Capacity {
  CapacityUnits?: number;
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

export class Tally {
  private readonly store = new AsyncLocalStorage<Phase>();
  /** The phase of work not started inside `within` (the bench's own steps). */
  current: Phase = 'import';
  readonly phases = new Map<Phase, PhaseTally>(
    PHASES.map((p) => [
      p,
      {
        readUnits: 0,
        writeUnits: 0,
        indexWriteUnits: 0,
        dynamoCalls: 0,
        dynamoRefused: 0,
        calls: new Map(),
        txPutUnits: 0,
        txKeyed: new Map(),
        txIndexWrites: 0,
        txIndexedUpdates: new Map(),
        logBytes: 0,
        sesMessages: 0,
        sesBytes: 0,
      },
    ]),
  );

  /** Runs `fn` as phase `p`, whatever `current` is meanwhile. */
  within<T>(p: Phase, fn: () => T): T {
    return this.store.run(p, fn);
  }

  private get here(): PhaseTally {
    return this.phases.get(this.store.getStore() ?? this.current)!;
  }

  readonly observe = (c: MeteredCall): void => {
    const t = this.here;
    if (c.service === 'dynamodb') {
      t.dynamoCalls++;
      const consumed = c.output?.ConsumedCapacity as Capacity | Capacity[] | undefined;
      const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
      const units = list.reduce((n, x) => n + (x.CapacityUnits ?? 0), 0);
      const index = list.reduce(
        (n, x) =>
          n +
          Object.values(x.GlobalSecondaryIndexes ?? {}).reduce(
            (m, g) => m + (g.CapacityUnits ?? 0),
            0,
          ),
        0,
      );
      const read = READS.test(c.command);
      if (c.command === 'TransactWriteItemsCommand') {
        // DynamoDB Local's figure for a transaction is not what AWS bills (it reports 2 units
        // for three items): each item is counted here, two units per KB, sizes priced at the end.
        this.transaction(t, c);
        if (c.error) t.dynamoRefused++;
        return;
      }
      if (c.command === 'BatchGetItemCommand' && !c.error) t.readUnits += missingReads(c);
      if (c.error) {
        // A refused write is billed as the write it would have been; at least one unit.
        t.dynamoRefused++;
        t.calls.set(
          `refused:${c.command}:${c.error}`,
          (t.calls.get(`refused:${c.command}:${c.error}`) ?? 0) + 1,
        );
        if (!read) t.writeUnits += refusedUnits(c);
        return;
      }
      if (process.env.COST_DEBUG) {
        const k = `units:${c.command}:${list.length}`;
        t.calls.set(k, (t.calls.get(k) ?? 0) + units);
        const n = `n:${c.command}:${(c.input.TransactItems as unknown[] | undefined)?.length ?? 1}:${units}`;
        t.calls.set(n, (t.calls.get(n) ?? 0) + 1);
      }
      if (read) t.readUnits += units;
      else {
        t.writeUnits += units;
        t.indexWriteUnits += index;
      }
      return;
    }
    const key = `${c.service}:${c.command.replace(/Command$/, '')}`;
    t.calls.set(key, (t.calls.get(key) ?? 0) + 1);
    if (c.service === 'ses' && c.command === 'SendEmailCommand' && !c.error) {
      t.sesMessages++;
      const raw = (c.input.Content as { Raw?: { Data?: Uint8Array } } | undefined)?.Raw?.Data;
      t.sesBytes += raw?.byteLength ?? 0;
    }
  };

  /**
   * Adds the transactions' keyed items at the sizes measured at the end (the
   * largest recipient, counter shard and campaign item), two units per KB, and
   * their index writes; with an index projecting ALL, every update of an
   * indexed item is also an index write of the item's size.
   */
  settle(sizes: Record<ItemKind, number>, projectsAll: boolean): void {
    for (const t of this.phases.values()) {
      let units = t.txPutUnits;
      for (const [kind, n] of t.txKeyed) units += 2 * n * writeUnits(sizes[kind]);
      let index = t.txIndexWrites * (projectsAll ? writeUnits(sizes.recipient) : 1);
      if (projectsAll)
        for (const [kind, n] of t.txIndexedUpdates) index += n * writeUnits(sizes[kind]);
      t.writeUnits += units + index;
      t.indexWriteUnits += index;
    }
  }

  /** GSI1 keys the meter saw set (and not removed since), by item. */
  private readonly indexed = new Set<string>();

  private transaction(t: PhaseTally, c: MeteredCall): void {
    const items = (c.input.TransactItems ?? []) as Record<string, Record<string, unknown>>[];
    for (const part of items) {
      const [op, body] = Object.entries(part)[0]!;
      if (op === 'Put') {
        t.txPutUnits += 2 * writeUnits(itemSize(body.Item as Record<string, unknown>));
        continue;
      }
      const key = body.Key as Record<string, unknown>;
      const kind = kindOf(key);
      t.txKeyed.set(kind, (t.txKeyed.get(kind) ?? 0) + 1);
      if (op !== 'Update' || c.error) continue;
      const id = `${plain(key.pk)}\n${plain(key.sk)}`;
      const expr = String(body.UpdateExpression ?? '');
      const [sets, removes] = expr.split(/\bREMOVE\b/);
      const had = this.indexed.has(id);
      if (/\bgsi1pk\b/.test(sets ?? '')) {
        t.txIndexWrites += had ? 2 : 1;
        this.indexed.add(id);
      } else if (/\bgsi1pk\b/.test(removes ?? '')) {
        if (had) t.txIndexWrites += 1;
        this.indexed.delete(id);
      } else if (had) t.txIndexedUpdates.set(kind, (t.txIndexedUpdates.get(kind) ?? 0) + 1);
    }
  }

  /** Counts a log line as CloudWatch would ingest it. */
  log(bytes: number): void {
    this.here.logBytes += bytes;
  }
}

/** A refused conditional write is billed one unit (a transaction's items are counted apart). */
function refusedUnits(_c: MeteredCall): number {
  return 1;
}

/** The kinds of item a transaction writes by key, priced at their measured sizes. */
export type ItemKind = 'recipient' | 'counter' | 'campaign' | 'other';

const plain = (v: unknown): string =>
  typeof v === 'string' ? v : String((v as { S?: string } | undefined)?.S ?? '');

function kindOf(key: Record<string, unknown>): ItemKind {
  const sk = plain(key.sk);
  if (sk.startsWith('RCPT#')) return 'recipient';
  if (sk.startsWith('COUNTER#')) return 'counter';
  if (sk === 'META') return 'campaign';
  return 'other';
}

/** Keys a BatchGetItem asked for and did not get: DynamoDB bills their reads too (Local does not). */
function missingReads(c: MeteredCall): number {
  const asked = (c.input.RequestItems ?? {}) as Record<
    string,
    { Keys?: unknown[]; ConsistentRead?: boolean }
  >;
  const got = (c.output?.Responses ?? {}) as Record<string, unknown[]>;
  let units = 0;
  for (const [table, req] of Object.entries(asked)) {
    const missing = (req.Keys?.length ?? 0) - (got[table]?.length ?? 0);
    units += Math.max(0, missing) * (req.ConsistentRead ? 1 : 0.5);
  }
  return units;
}
