/**
 * What each function may do in the one table, written out by action and by
 * partition key, so that a reviewer reads exactly what each role allows and
 * the table itself enforces what the code promises:
 *
 * - Every grant names the DynamoDB actions the function's code calls, never
 *   more (CDK's grantReadWriteData would add Scan, DeleteItem, an index
 *   wildcard …), and carries a `ForAllValues:StringLike` condition on
 *   `dynamodb:LeadingKeys`: the partition keys of the request must all begin
 *   with one of the prefixes listed (functions/adapters/table-definition.ts,
 *   PARTITION). LeadingKeys is the partition key only: a role that may write
 *   a campaign's recipients may write its META item too, which is why
 *   versions, approvals and the audit log have partitions of their own.
 * - Every role with table access also carries an explicit Deny of UpdateItem,
 *   DeleteItem and BatchWriteItem on those record partitions (VERSION#,
 *   APPROVAL#, AUDIT#): no grant added later can lift it. PutItem on them is
 *   granted only to the functions that record them. IAM cannot require a
 *   condition expression, so what keeps a put from replacing a record is the
 *   code's `attribute_not_exists(pk)` condition (dynamo-governance.ts).
 * - Index queries carry the same condition with GSI1's partition prefixes.
 *   AWS documents LeadingKeys as the table's partition key and applies it to
 *   index resources without saying which value an index query supplies: if it
 *   is the index's partition key, the condition narrows the query to these
 *   prefixes; if none is supplied, `ForAllValues` over nothing is true and
 *   the grant is that of the index as a whole. Either way the index is
 *   read-only and only the roles listed here may query it.
 * - The internet-facing functions (tracking, web) get, in addition, an
 *   explicit Deny of every write outside what they need (web: put and update
 *   in the sign-on partitions, update of the send line;
 *   tracking: PutItem of suppression entries only).
 *
 * docs/deploy.md lists each role and why.
 */
import type { IGrantable, IPrincipal } from 'aws-cdk-lib/aws-iam';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import {
  GSI1_PARTITION,
  IMMUTABLE_PARTITIONS,
  PARTITION,
  TABLE,
} from '../functions/adapters/table-definition.js';
import type { FunctionName } from './bundling.js';

/** The DynamoDB actions a grant may name, by the kind of call the code makes. */
export const TABLE_ACTIONS = {
  get: 'dynamodb:GetItem',
  query: 'dynamodb:Query',
  batchGet: 'dynamodb:BatchGetItem',
  put: 'dynamodb:PutItem',
  update: 'dynamodb:UpdateItem',
  batchWrite: 'dynamodb:BatchWriteItem',
} as const;

export type TableCall = keyof typeof TABLE_ACTIONS;

/**
 * One function's access: for each kind of call, the partition-key prefixes
 * it may address; `index`: the GSI1 partition prefixes it may query.
 * Transactions need the per-item action of each of their parts (a Put is
 * PutItem, an Update is UpdateItem).
 */
export type TableAccess = Partial<Record<TableCall, readonly string[]>> & {
  index?: readonly string[];
};

const {
  campaign,
  suppression,
  unmatchedReplies,
  inbound,
  rate,
  version,
  approval,
  audit,
  person,
  forget,
  testLetter,
  signon,
  target,
  targetVersion,
} = PARTITION;
const { campaigns, message, claimed, held, stuck } = GSI1_PARTITION;

/**
 * What each function's handler calls, by partition. Checked against the
 * handlers' real calls on DynamoDB Local (test/infra/access-trace.test.ts)
 * and read by the policy tests (test/infra/access.test.ts).
 */
export const TABLE_ACCESS: Record<FunctionName, TableAccess> = {
  // Claims, sends and records letters; reads the suppression list and the
  // shared send slots; holds letters for office hours; completes the campaign,
  // or pauses it (reputation guard, an SES refusal of the account) and logs why.
  sender: {
    get: [campaign, rate],
    query: [campaign],
    batchGet: [campaign, suppression],
    update: [campaign, rate],
    put: [audit],
  },
  // Checks the approval of the current version, stamps and queues the letters,
  // records its progress and the launch in the audit log (and, in single-person
  // mode, the launcher's approval). Imports uploaded lists (recipients with their
  // erasure-index entries). Erasure jobs: reads the person's index entries, replaces
  // their recipient record by a stub and deletes timeline, replies, index entries and
  // the plain suppression entry (batch writes), settles a pending letter, keeps the
  // suppression as a keyed hash (and deletes every other entry under the address: its
  // follow-ups stops, a lifted unsubscribe), records its progress and an audit entry per campaign.
  // The directory's part of an erasure: a target and its versions deleted, or the address
  // taken out of another target and its versions.
  launch: {
    get: [campaign, suppression, unmatchedReplies, forget, target],
    query: [campaign, version, approval, person, suppression, targetVersion],
    batchGet: [suppression],
    // Erasure also takes a co-signing organisation's contact off its sign-on record.
    update: [campaign, signon, target],
    put: [approval, audit, forget, target, targetVersion],
    batchWrite: [campaign, suppression, unmatchedReplies, person, target, targetVersion],
  },
  // SES events: a recipient's state, timeline and counters; suppressions; a
  // letter moved to a fallback address (logged); the message id → recipient index.
  // A hard bounce marks the directory target whose primary the address is as failing
  // (found through the erasure index's keyed hash of the address).
  events: {
    get: [campaign],
    query: [person],
    batchGet: [suppression],
    put: [campaign, suppression, audit],
    update: [campaign, target],
    index: [message],
  },
  // Replies: matched (by token, by Message-ID through the index, by sender among
  // recent campaigns), stored once (INBOUND# marker), counted. It suppresses no
  // one: a delivery report by mail can be forged, so bounces come from SES events.
  inbound: {
    get: [campaign, inbound],
    batchGet: [campaign],
    put: [campaign, unmatchedReplies, inbound, person],
    update: [campaign],
    index: [message, campaigns],
  },
  // Internet-facing: reads the campaign to check a token's letter; reads and
  // writes the recipient's own stops at once (their address's suppression
  // entry, or its follow-ups entry; an undo is a conditional put, no delete),
  // and hands opens, clicks and unsubscribes to the events function through
  // the events queue.
  tracking: {
    get: [campaign, suppression],
    put: [suppression],
  },
  // Internet-facing: the web version of one letter, read-only (a test letter's from its
  // own record).
  web: {
    get: [campaign, testLetter],
  },
  // Internet-facing: coalition sign-on: reads the campaign, the settings and signatories,
  // puts a pending signatory with its address marker and its erasure-index entry, confirms
  // it, counts requests per IP and invite; draws a send slot for the confirmation mail.
  // Nothing a letter is sent from: approval is the API's.
  signon: {
    get: [campaign, signon, rate],
    query: [signon],
    put: [signon, person],
    update: [signon, rate],
  },
  // The staff API: every campaign write (recipients with their erasure-index
  // entries), the versions, approvals and the audit log it records, replies
  // (matched or not), erasure requests and their progress (the launch function erases),
  // test letters' web versions. The directory: targets, their versions (each written once,
  // with its target) and their erasure-index entries; a target's page reads the suppression list.
  api: {
    get: [campaign, unmatchedReplies, forget, signon, target],
    query: [campaign, unmatchedReplies, version, approval, audit, signon, target, targetVersion],
    batchGet: [campaign, suppression],
    put: [
      campaign,
      version,
      approval,
      audit,
      person,
      forget,
      signon,
      testLetter,
      target,
      targetVersion,
    ],
    update: [campaign, signon, target],
    batchWrite: [campaign, person, target, targetVersion],
    // Held letters for the plan; failed and unknown letters for staff to resend.
    index: [campaigns, held, stuck],
  },
  // Scheduled launches, follow-ups and expiry; stale claims and held letters
  // (through the index); personal data's expiry (retention) on finished campaigns;
  // erasure jobs that stand still (started again); a follow-up's recipients (with
  // their erasure-index entries). Sign-on: closed at its closing time (the approved list
  // locked into the statement: letters compiled again, a version recorded, audited); after
  // the send-out each signatory's copy and summary claimed once and sent, on the send line.
  scheduler: {
    get: [campaign, signon, rate],
    query: [campaign, version, approval, forget, signon],
    // The stale claims found through the index, read from the table (the index has their keys).
    batchGet: [campaign],
    put: [campaign, approval, audit, person, version],
    update: [campaign, signon, rate],
    index: [campaigns, claimed, held],
  },
};

/** The pattern that matches every partition key beginning with `prefix`. */
const like = (prefixes: readonly string[]) => [...new Set(prefixes)].sort().map((p) => `${p}*`);

/** Statements for one access: the actions with the same prefixes share one statement. */
export function accessStatements(table: Table, access: TableAccess): PolicyStatement[] {
  const byPrefixes = new Map<string, { prefixes: string[]; actions: string[] }>();
  for (const [call, action] of Object.entries(TABLE_ACTIONS) as [TableCall, string][]) {
    const prefixes = access[call];
    if (!prefixes?.length) continue;
    const patterns = like(prefixes);
    const key = patterns.join(',');
    const entry = byPrefixes.get(key) ?? { prefixes: patterns, actions: [] };
    entry.actions.push(action);
    byPrefixes.set(key, entry);
  }
  const statements = [...byPrefixes.values()].map(
    ({ prefixes, actions }) =>
      new PolicyStatement({
        actions: actions.sort(),
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes } },
      }),
  );
  if (access.index?.length) {
    statements.push(
      new PolicyStatement({
        actions: [TABLE_ACTIONS.query],
        resources: [`${table.tableArn}/index/${TABLE.gsi1.indexName}`],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': like(access.index) } },
      }),
    );
  }
  return statements;
}

/** The writes that would change or remove a record (a version, an approval, an audit entry). */
export const RECORD_REWRITES = [
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
] as const;

/** Every DynamoDB action that writes an item, with the kind of call that would grant it. */
export const ITEM_WRITES: [string, TableCall | undefined][] = [
  ['dynamodb:PutItem', 'put'],
  ['dynamodb:UpdateItem', 'update'],
  ['dynamodb:BatchWriteItem', 'batchWrite'],
  ['dynamodb:DeleteItem', undefined],
  ['dynamodb:PartiQLInsert', undefined],
  ['dynamodb:PartiQLUpdate', undefined],
  ['dynamodb:PartiQLDelete', undefined],
];

/**
 * The Deny that keeps versions, approvals and the audit log from being changed
 * or removed: in every function role (on the table's ARN) and in the table's
 * own resource policy (for any principal, `*` being the table itself there).
 */
export function recordsStayStatement(
  resources: string[],
  principals?: IPrincipal[],
): PolicyStatement {
  return new PolicyStatement({
    effect: Effect.DENY,
    actions: [...RECORD_REWRITES],
    resources,
    ...(principals ? { principals } : {}),
    conditions: {
      'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': like(IMMUTABLE_PARTITIONS) },
    },
  });
}

/**
 * Grants a function its table access (TABLE_ACCESS), with the Deny that keeps
 * versions, approvals and the audit log from being changed or removed.
 */
export function grantTable(grantee: IGrantable, table: Table, access: TableAccess): void {
  const principal = grantee.grantPrincipal;
  for (const st of accessStatements(table, access)) principal.addToPrincipalPolicy(st);
  principal.addToPrincipalPolicy(recordsStayStatement([table.tableArn]));
}

/**
 * For an internet-facing function: an explicit Deny of every write its access
 * does not grant (a write it may make, outside its partitions; any other write
 * at all), so that a grant added later by mistake still cannot let a public
 * route write a campaign, a version or the audit log.
 */
export function denyWritesBeyond(grantee: IGrantable, table: Table, access: TableAccess): void {
  const principal = grantee.grantPrincipal;
  const never = ITEM_WRITES.filter(([, call]) => !call || !access[call]?.length).map(([a]) => a);
  if (never.length)
    principal.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.DENY, actions: never, resources: [table.tableArn] }),
    );
  for (const [action, call] of ITEM_WRITES) {
    const prefixes = call ? access[call] : undefined;
    if (!prefixes?.length) continue;
    principal.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.DENY,
        actions: [action],
        resources: [table.tableArn],
        conditions: { 'ForAnyValue:StringNotLike': { 'dynamodb:LeadingKeys': like(prefixes) } },
      }),
    );
  }
}
