/**
 * Each role's DynamoDB grants match what its handler really calls. A journey
 * through every handler runs on the local runtime (./journey.ts); every
 * DynamoDB request a handler makes is recorded (./trace.ts) and judged
 * against that function's role as synthesized (./iam.ts): none may be
 * refused, and every grant must be used by the journey or listed below with
 * the reason the journey cannot reach it.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GSI1_PARTITION, PARTITION, TABLE } from '../../functions/adapters/table-definition.js';
import { TABLE_ACCESS, TABLE_ACTIONS, type TableCall } from '../../infra/access.js';
import type { FunctionName } from '../../infra/bundling.js';
import { useRuntime } from '../support/runtime.js';
import { decide, like, roleStatements, type Statement } from './iam.js';
import { runJourney } from './journey.js';
import { deployedFunctions, synthesize } from './synth.js';
import { recordDynamoCalls, traced, type TracedCall } from './trace.js';

// Every handler module, wrapped so that its calls are attributed to its function.
vi.mock('../../functions/sender/handler.js', async (original) =>
  (await import('./trace.js')).underName('sender', await original()),
);
vi.mock('../../functions/launch/handler.js', async (original) =>
  (await import('./trace.js')).underName('launch', await original()),
);
vi.mock('../../functions/events/handler.js', async (original) =>
  (await import('./trace.js')).underName('events', await original()),
);
vi.mock('../../functions/tracking/handler.js', async (original) =>
  (await import('./trace.js')).underName('tracking', await original()),
);
vi.mock('../../functions/web/handler.js', async (original) =>
  (await import('./trace.js')).underName('web', await original()),
);
vi.mock('../../functions/signon/handler.js', async (original) =>
  (await import('./trace.js')).underName('signon', await original()),
);
vi.mock('../../functions/inbound/handler.js', async (original) =>
  (await import('./trace.js')).underName('inbound', await original()),
);
vi.mock('../../functions/api/handler.js', async (original) =>
  (await import('./trace.js')).underName('api', await original()),
);
vi.mock('../../functions/scheduler/handler.js', async (original) =>
  (await import('./trace.js')).underName('scheduler', await original()),
);

/**
 * Grants the journey does not reach, and why: each is a path the local
 * journey cannot (or not reliably) take. A grant neither used nor listed
 * here is more than its function needs: remove it from infra/access.ts.
 */
const UNEXERCISED: Partial<Record<FunctionName, Partial<Record<TableCall | 'index', string[]>>>> = {
  // The launch function re-checks the approval of the current version and logs the
  // launch (and, in single-person mode, the launcher's approval) when the API hands
  // it the queueing; the local API launches in process.
  launch: {
    query: [PARTITION.version, PARTITION.approval],
    put: [PARTITION.approval, PARTITION.audit],
  },
  // A pause on an SES refusal of the account is logged; the local SES accepts every
  // letter. The slot item is read again after a lost race between two senders: timing.
  sender: { put: [PARTITION.audit], get: [PARTITION.rate] },
  // The sign-on confirmation mail takes its slot on the same send line: the slot item is
  // read again only after a lost race between two containers (timing).
  signon: { get: [PARTITION.rate] },
  // The inbound code never suppresses (a delivery report at the reply address is a note);
  // a suppression is put under its name only when the in-process events queue happens to
  // run an SES complaint inside an inbound handler's async context: timing. Review the grant.
  inbound: { put: [PARTITION.suppression] },
  // The tick reads stale claims' letters from the table (the index carries their keys and
  // state only); the journey's senders record every letter they claim, so none goes stale.
  // Sign-on's part of the tick (closing at the closing time: the signatories listed, the
  // settings closed, a version recorded; after the send-out: each mail claimed on the
  // signatory, a slot drawn on the send line) needs a clock past a closing time the journey's
  // sign-on never reaches, and a sent campaign with approved signatories the journey does not
  // have; test/integration/signon/closing.test.ts and after-send.test.ts make these calls.
  scheduler: {
    batchGet: [PARTITION.campaign],
    get: [PARTITION.rate],
    put: [PARTITION.version],
    query: [PARTITION.signon],
    update: [PARTITION.signon, PARTITION.rate],
  },
};

const runtime = useRuntime({ queue: { visibilityTimeoutMs: 200 }, schedulerTickMs: 300 });
const roles = new Map<FunctionName, Statement[]>();
let table: string;
let outdir: string | undefined;

beforeAll(() => {
  recordDynamoCalls();
  const s = synthesize({ bundle: false });
  outdir = s.outdir;
  const resources = s.template.toJSON().Resources;
  table = `arn:${s.stack.getLogicalId(s.stack.storage.table.node.defaultChild as never)}`;
  for (const [name, fn] of Object.entries(deployedFunctions(s.stack)))
    roles.set(
      name as FunctionName,
      roleStatements(resources, s.stack.getLogicalId(fn.role.node.defaultChild as never)),
    );
}, 240_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

/** The partition prefix of a key (ids cut off), for messages. */
function prefixOf(key: string): string {
  const known = [...Object.values(PARTITION), ...Object.values(GSI1_PARTITION)].sort(
    (a, b) => b.length - a.length,
  );
  return known.find((p) => key.startsWith(p)) ?? key;
}

const describeCall = (c: TracedCall) =>
  `${c.fn} ${c.action}${c.index ? ` (index ${c.index})` : ''} ${[...new Set(c.leadingKeys.map(prefixOf))].join(',')} via ${c.command}`;

describe('the roles, against what the handlers call', { timeout: 300_000 }, () => {
  it('a journey through every handler runs', async () => {
    await runJourney(runtime());
    expect(new Set(traced.map((c) => c.fn))).toEqual(new Set(roles.keys()));
  });

  it('no role refuses a call its handler made', () => {
    const refused = traced.filter(
      (c) =>
        decide(roles.get(c.fn) ?? [], {
          action: c.action,
          resource: c.index ? `${table}/index/${c.index}` : table,
          leadingKeys: c.leadingKeys,
        }) !== 'allowed',
    );
    expect([...new Set(refused.map(describeCall))].sort()).toEqual([]);
  });

  it('every grant is used by its handler, or listed with the reason the journey cannot reach it', () => {
    const unused: string[] = [];
    for (const [name, access] of Object.entries(TABLE_ACCESS) as [
      FunctionName,
      (typeof TABLE_ACCESS)[FunctionName],
    ][]) {
      if (!roles.has(name)) continue;
      const mine = traced.filter((c) => c.fn === name);
      for (const [kind, prefixes] of Object.entries(access) as [TableCall | 'index', string[]][]) {
        const action = kind === 'index' ? TABLE_ACTIONS.query : TABLE_ACTIONS[kind];
        for (const prefix of prefixes) {
          const used = mine.some(
            (c) =>
              c.action === action &&
              Boolean(c.index) === (kind === 'index') &&
              c.leadingKeys.some((k) => like(k, `${prefix}*`)),
          );
          if (!used && !UNEXERCISED[name]?.[kind]?.includes(prefix))
            unused.push(`${name} ${kind} ${prefix}`);
        }
      }
    }
    expect(unused.sort()).toEqual([]);
  });

  it('sees one table and its one index, as the table definition names them', () => {
    expect(traced.length).toBeGreaterThan(100);
    expect(new Set(traced.map((c) => c.table))).toEqual(new Set([runtime().table]));
    expect(new Set(traced.filter((c) => c.index).map((c) => c.index))).toEqual(
      new Set([TABLE.gsi1.indexName]),
    );
  });
});
