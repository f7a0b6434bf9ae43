/**
 * The table enforces what the code promises: the synthesized role policies,
 * read statement by statement and evaluated the way IAM does (./iam.ts),
 * prove that no role can rewrite a version, an approval or an audit entry,
 * that the internet-facing functions cannot write campaigns, and that each
 * role may make exactly the calls infra/access.ts lists for its function.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GSI1_PARTITION,
  IMMUTABLE_PARTITIONS,
  keys,
  PARTITION,
  TABLE,
} from '../../functions/adapters/table-definition.js';
import { TABLE_ACCESS, TABLE_ACTIONS, type TableCall } from '../../infra/access.js';
import type { FunctionName } from '../../infra/bundling.js';
import { decide, type Request, roleStatements, type Statement } from './iam.js';
import { deployedFunctions, synthesize, type Synthesized } from './synth.js';

// CloudFormation JSON as synthesized.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Cfn = any;

let s: Synthesized;
let resources: Record<string, Cfn>;
let table: string;
let index: string;
/** Each deployed function's role statements. */
const roles = new Map<FunctionName, Statement[]>();

beforeAll(() => {
  s = synthesize({ bundle: false });
  resources = s.template.toJSON().Resources as Record<string, Cfn>;
  const tableId = s.stack.getLogicalId(s.stack.storage.table.node.defaultChild as never);
  table = `arn:${tableId}`;
  index = `${table}/index/${TABLE.gsi1.indexName}`;
  for (const [name, fn] of Object.entries(deployedFunctions(s.stack))) {
    const roleId = s.stack.getLogicalId(fn.role.node.defaultChild as never);
    roles.set(name as FunctionName, roleStatements(resources, roleId));
  }
}, 240_000);

afterAll(() => {
  if (s) rmSync(s.outdir, { recursive: true, force: true });
});

const id = 'c-0123456789ab';
/** One item of each kind a campaign has, by its real key (table-definition.ts). */
const campaignItems = {
  META: keys.campaign(id).pk,
  RCPT: keys.recipient(id, 'r1').pk,
  COUNTER: keys.counter(id, 3).pk,
  TEMPLATE: keys.template(id, 'en').pk,
  EVENT: keys.event(id, 'r1', '2026-01-01T00:00:00Z', 'e1').pk,
  REPLY: keys.reply(id, 'x').pk,
  VERSION: keys.versions(id),
  AUDIT: keys.auditLog(id),
  APPROVAL: keys.approvals(id),
};
const records = {
  VERSION: keys.versions(id),
  APPROVAL: keys.approvals(id),
  AUDIT: keys.auditLog(id),
};
const WRITES = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];
const on = (action: string, leadingKeys: string[], resource = table): Request => ({
  action,
  resource,
  leadingKeys,
});

/** Every IAM role of the stack, functions' or not (Scheduler's, CDK's custom resources'). */
function allRoles(): [string, Statement[]][] {
  return Object.entries(resources)
    .filter(([, r]) => r.Type === 'AWS::IAM::Role')
    .map(([rid]) => [rid, roleStatements(resources, rid)]);
}

describe('versions, approvals and the audit log', () => {
  it('live in partitions of their own, apart from the campaign', () => {
    for (const pk of Object.values(records)) {
      expect(pk.startsWith(PARTITION.campaign), pk).toBe(false);
      expect(
        IMMUTABLE_PARTITIONS.some((p) => pk.startsWith(p)),
        pk,
      ).toBe(true);
    }
  });

  it('cannot be updated, deleted or batch-written by any role of the stack', () => {
    const checked = allRoles();
    expect(checked.length).toBeGreaterThanOrEqual(roles.size);
    for (const [rid, statements] of checked) {
      for (const action of [
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:BatchWriteItem',
      ])
        for (const [kind, pk] of Object.entries(records)) {
          // Alone, or hidden in a batch beside a campaign item.
          for (const leading of [[pk], [keys.campaign(id).pk, pk]]) {
            expect(decide(statements, on(action, leading)), `${rid} ${action} ${kind}`).not.toBe(
              'allowed',
            );
          }
        }
    }
  });

  it('are refused by an explicit Deny in every role with table access, whatever else it is granted', () => {
    for (const [name, statements] of roles) {
      for (const action of [
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:BatchWriteItem',
      ])
        for (const pk of Object.values(records))
          expect(decide(statements, on(action, [pk])), `${name} ${action} ${pk}`).toBe('denied');
      // The Deny would still hold against a grant of everything.
      const everything: Statement = { Effect: 'Allow', Action: ['dynamodb:*'], Resource: ['*'] };
      expect(decide([...statements, everything], on('dynamodb:UpdateItem', [records.AUDIT]))).toBe(
        'denied',
      );
    }
  });

  it("are refused to every principal by the table's own resource policy, puts left to the roles", () => {
    const tableProps = Object.values(resources).find((r) => r.Type === 'AWS::DynamoDB::Table')!
      .Properties as Cfn;
    const policy = (tableProps.ResourcePolicy.PolicyDocument.Statement as Cfn[]).map(
      (st): Statement => {
        // Every principal, in this account or any other.
        expect(st.Principal).toEqual({ AWS: '*' });
        return {
          Effect: st.Effect,
          Action: [st.Action].flat(),
          Resource: [st.Resource].flat(),
          Condition: st.Condition,
        };
      },
    );
    for (const action of ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'])
      for (const pk of Object.values(records))
        expect(decide(policy, on(action, [keys.campaign(id).pk, pk])), `${action} ${pk}`).toBe(
          'denied',
        );
    // It denies nothing else: the roles' own grants decide the rest.
    expect(decide(policy, on('dynamodb:PutItem', [records.AUDIT]))).toBe('not-allowed');
    expect(decide(policy, on('dynamodb:UpdateItem', [campaignItems.RCPT]))).toBe('not-allowed');
    expect(decide([...policy, ...roles.get('api')!], on('dynamodb:PutItem', [records.AUDIT]))).toBe(
      'allowed',
    );
  });

  it('are put only by the functions that record them', () => {
    const putters = (pk: string) =>
      [...roles]
        .filter(([, st]) => decide(st, on('dynamodb:PutItem', [pk])) === 'allowed')
        .map(([name]) => name)
        .sort();
    const present = (names: FunctionName[]) => names.filter((n) => roles.has(n)).sort();
    // The scheduler records one kind of version: sign-on closed at its closing time, its
    // approved list locked into the statement (as the API's close does).
    expect(putters(records.VERSION)).toEqual(present(['api', 'scheduler']));
    expect(putters(records.APPROVAL)).toEqual(present(['api', 'launch', 'scheduler']));
    expect(putters(records.AUDIT)).toEqual(
      present(['api', 'events', 'launch', 'scheduler', 'sender']),
    );
  });
});

describe('the internet-facing functions', () => {
  it('web writes nothing at all', () => {
    const web = roles.get('web');
    if (!web) return;
    for (const action of WRITES)
      for (const pk of [...Object.values(campaignItems), keys.suppression('a@b.org').pk])
        expect(decide(web, on(action, [pk])), `${action} ${pk}`).toBe('denied');
  });

  it('tracking writes no campaign item (META, RCPT, COUNTER, TEMPLATE, VERSION, AUDIT, APPROVAL …)', () => {
    const tracking = roles.get('tracking');
    if (!tracking) return;
    for (const action of WRITES)
      for (const [kind, pk] of Object.entries(campaignItems))
        expect(decide(tracking, on(action, [pk])), `${action} ${kind}`).toBe('denied');
    // A suppression hidden in a write with a campaign item is refused as a whole.
    expect(
      decide(
        tracking,
        on('dynamodb:PutItem', [keys.suppression('a@b.org').pk, campaignItems.RCPT]),
      ),
    ).toBe('denied');
  });

  it('tracking may read and put a suppression entry (a recipient’s stop and its undo take effect at once), nothing more', () => {
    const tracking = roles.get('tracking');
    if (!tracking) return;
    const entry = keys.suppression('a@b.org').pk;
    expect(keys.followUpsStop('a@b.org', 'c1').pk).toBe(entry);
    expect(decide(tracking, on('dynamodb:PutItem', [entry]))).toBe('allowed');
    expect(decide(tracking, on('dynamodb:GetItem', [entry]))).toBe('allowed');
    for (const action of ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'])
      expect(decide(tracking, on(action, [entry])), action).toBe('denied');
  });

  it('read campaign items by key only: no query, no batch, no index', () => {
    for (const name of ['tracking', 'web'] as const) {
      const st = roles.get(name);
      if (!st) continue;
      expect(decide(st, on('dynamodb:GetItem', [campaignItems.RCPT])), name).toBe('allowed');
      expect(decide(st, on('dynamodb:Query', [campaignItems.RCPT])), name).not.toBe('allowed');
      expect(decide(st, on('dynamodb:BatchGetItem', [campaignItems.RCPT])), name).not.toBe(
        'allowed',
      );
      for (const p of Object.values(GSI1_PARTITION))
        expect(decide(st, on('dynamodb:Query', [`${p}x`], index)), name).not.toBe('allowed');
      // Nor the records: an approval or the audit log is not theirs to read.
      for (const pk of Object.values(records))
        expect(decide(st, on('dynamodb:GetItem', [pk])), name).not.toBe('allowed');
    }
  });
});

describe('each role', () => {
  it('may make exactly the calls infra/access.ts lists for its function, on exactly those partitions', () => {
    expect(roles.size).toBeGreaterThanOrEqual(6);
    for (const [name, statements] of roles) {
      const access = TABLE_ACCESS[name];
      for (const [call, action] of Object.entries(TABLE_ACTIONS) as [TableCall, string][]) {
        for (const prefix of Object.values(PARTITION)) {
          const granted = (access[call] ?? []).includes(prefix);
          expect(
            decide(statements, on(action, [`${prefix}x`])),
            `${name} ${action} ${prefix}`,
          ).toEqual(granted ? 'allowed' : expect.stringMatching(/^(denied|not-allowed)$/));
        }
      }
      for (const prefix of Object.values(GSI1_PARTITION)) {
        const granted = (access.index ?? []).includes(prefix);
        expect(
          decide(statements, on('dynamodb:Query', [`${prefix}x`], index)),
          `${name} index ${prefix}`,
        ).toBe(granted ? 'allowed' : 'not-allowed');
        // The index is read-only for everyone.
        expect(decide(statements, on('dynamodb:PutItem', [`${prefix}x`], index))).not.toBe(
          'allowed',
        );
      }
    }
  });

  it('is granted no Scan, DeleteItem, ConditionCheckItem, PartiQL, stream or table management', () => {
    const never = [
      'dynamodb:Scan',
      'dynamodb:DeleteItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:PartiQLSelect',
      'dynamodb:PartiQLInsert',
      'dynamodb:PartiQLUpdate',
      'dynamodb:PartiQLDelete',
      'dynamodb:GetRecords',
      'dynamodb:DescribeTable',
      'dynamodb:DeleteTable',
      'dynamodb:UpdateTable',
      'dynamodb:RestoreTableToPointInTime',
    ];
    for (const [rid, statements] of allRoles())
      for (const action of never)
        for (const leading of [[], [campaignItems.META]])
          expect(decide(statements, on(action, leading)), `${rid} ${action}`).not.toBe('allowed');
  });

  it('has every table and index grant conditioned on the partition keys', () => {
    const known = new Set(
      [...Object.values(PARTITION), ...Object.values(GSI1_PARTITION)].map((p) => `${p}*`),
    );
    for (const [name, statements] of roles)
      for (const st of statements.filter(
        (x) => x.Effect === 'Allow' && x.Action.some((a) => a.startsWith('dynamodb:')),
      )) {
        expect(
          st.Resource.every((r) => r === table || r === index),
          name,
        ).toBe(true);
        expect(Object.keys(st.Condition ?? {}), name).toEqual(['ForAllValues:StringLike']);
        const patterns = st.Condition!['ForAllValues:StringLike']!['dynamodb:LeadingKeys']!;
        expect(patterns.length, name).toBeGreaterThan(0);
        for (const p of patterns) expect(known.has(p), `${name}: ${p}`).toBe(true);
      }
  });
});
