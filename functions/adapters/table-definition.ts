/**
 * The one DynamoDB table of demarche, defined once: the CDK storage construct
 * and the local runtime both build it from this value. Plain data, no SDK, so
 * that infra/ can import it without pulling Lambda code.
 *
 * Items (single-table design):
 *   CAMPAIGN#<id> / META              the campaign (status, statement, counts expected)
 *   CAMPAIGN#<id> / TEMPLATE#<lang>   a compiled letter
 *   CAMPAIGN#<id> / RCPT#<rid>        a recipient and the state of their letter
 *   CAMPAIGN#<id> / COUNTER#<n>       one shard of the campaign's counters
 *   CAMPAIGN#<id> / REPLY#<replyId>   a reply (REPLIES#UNMATCHED / REPLY#… when not matched)
 *   CAMPAIGN#<id> / EVENT#<rid>#<at>#<eventId>  a recipient's timeline (delivery, open, click …)
 *   CAMPAIGN#<id> / ERASED#<random>   what is left of an erased recipient (group, country, state)
 *   CAMPAIGN#<id> / RETENTION         the campaign's personal items have their expiry
 *   SUPPRESSION#<email or hmac:…> / SUPPRESSION  an address never to be mailed again
 *                                    (`liftedAt` set: the recipient undid their own unsubscribe)
 *   SUPPRESSION#<email> / FOLLOWUPS#<campaign>    no follow-ups of that campaign to this address
 *   INBOUND#<message-id or raw hash> / INBOUND   an inbound message already received
 *   RATE#ses / RATE                   the senders' shared send slots
 *   VERSION#<id> / <000001>           an immutable content version of a campaign
 *   APPROVAL#<id> / <hash>#<who>      one person's approval of one version
 *   AUDIT#<id> / <at>#<random>        one audit log entry
 *   PERSON#<keyed hash of an address> / RCPT#<id>#<rid> | FALLBACK#<id>#<rid> | REPLY#<id or ->#<replyId>
 *                                     where an address appears (the erasure index; no address in it)
 *   FORGET#JOBS / <jobId>             an erasure job: its progress and its report
 *   SIGNON#<id> / SETTINGS | SIG#<sid> | EMAIL#<keyed hash> | LIMIT#<key>#<window>
 *                                     coalition sign-on: settings, signatories, one-per-address
 *                                     markers, hourly rate counters (adapters/dynamo-signon.ts)
 *   TARGET#<shard 0-7> / <targetId>   a target of the directory (adapters/dynamo-directory.ts)
 *   TARGET#META / META                the directory's revision, moved on by every write
 *   TARGETVER#<targetId> / <000001>   one version of a target: who changed which field, when
 *   PERSON#<hash> / TARGET#<tid> | TARGETFB#<tid>  a directory address, for erasure and bounces
 * GSI1:
 *   gsi1pk CAMPAIGNS, gsi1sk <createdAt>#<id>   campaigns by creation time
 *   gsi1pk MSG#<ses message id>                   the recipient a message went to
 *   gsi1pk CLAIMED#<campaign>, gsi1sk <claimedAt>  letters claimed and not yet recorded
 *   gsi1pk HELD#<campaign>, gsi1sk <due time>      letters held for office hours (core/held.ts)
 *   gsi1pk STUCK#<campaign>, gsi1sk <state>#<at>#<rid>  failed and unknown letters, for staff (core/stuck.ts)
 *
 * Versions, approvals and the audit log have partitions of their own, apart
 * from the campaign's: IAM's dynamodb:LeadingKeys condition sees only the
 * partition key, so only a partition of their own lets the roles be denied
 * every update and delete of them while they keep writing the campaign
 * (infra/access.ts, docs/architecture.md).
 */
import type { Campaign } from '../core/campaign.js';

/**
 * Every top-level field of a campaign but the statement: what a list of
 * campaigns reads (from GSI1). The check below fails to compile when
 * Campaign gains a field this list lacks, so a list never silently drops one.
 */
export const CAMPAIGN_HEAD_FIELDS = [
  'id',
  'status',
  'languages',
  'recipientCount',
  'configurationSet',
  'dryRun',
  'createdAt',
  'launchedAt',
  'completedAt',
  'scheduledAt',
  'pausedReason',
  'pausedAt',
  'cancelledAt',
  'expiredAt',
  'tracking',
  'staffAddress',
  'followUpOf',
  'followUpAudience',
  'delivery',
  'plan',
  'launch',
  'import',
  'approvalRequest',
  'author',
  'archive',
  'deleted',
] as const satisfies readonly (keyof Campaign)[];
type Unlisted = Exclude<keyof Campaign, 'statement' | (typeof CAMPAIGN_HEAD_FIELDS)[number]>;
const everyFieldListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyFieldListed;

/**
 * The attributes GSI1 carries besides its keys and the table's: what its
 * queries read and nothing more. The campaign list reads the head fields and
 * the statement's small ones; the message lookup a recipient's campaignId
 * and id; the held, stuck and claimed lists a letter's state (the stuck and
 * claimed lists then read the letters themselves from the table). Not ALL:
 * with every attribute projected, each write to a recipient that carries a
 * GSI1 key (every delivery, open and click event) was written to the index
 * too, twice the write units; an update that changes no projected attribute
 * writes nothing to the index.
 */
export const GSI1_PROJECTED = [
  ...CAMPAIGN_HEAD_FIELDS,
  'statement',
  'campaignId',
  'state',
] as const;

export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  gsi1: {
    indexName: 'gsi1',
    partitionKey: 'gsi1pk',
    sortKey: 'gsi1sk',
    projection: 'INCLUDE',
    nonKeyAttributes: GSI1_PROJECTED,
  },
  ttlAttribute: 'expiresAt',
  /** Counter shards per campaign: writes spread over this many items, reads stay O(1). */
  counterShards: 8,
} as const;

/**
 * The partition-key prefixes, one per collection a role is granted or denied
 * as a whole (IAM conditions on dynamodb:LeadingKeys match these).
 */
export const PARTITION = {
  campaign: 'CAMPAIGN#',
  suppression: 'SUPPRESSION#',
  unmatchedReplies: 'REPLIES#UNMATCHED',
  inbound: 'INBOUND#',
  rate: 'RATE#',
  version: 'VERSION#',
  approval: 'APPROVAL#',
  audit: 'AUDIT#',
  person: 'PERSON#',
  forget: 'FORGET#',
  testLetter: 'TESTLETTER#',
  signon: 'SIGNON#',
  /** The target directory, and its versions (erased with their target: not immutable). */
  target: 'TARGET#',
  targetVersion: 'TARGETVER#',
} as const;

/** The partition-key prefixes of GSI1. */
export const GSI1_PARTITION = {
  campaigns: 'CAMPAIGNS',
  message: 'MSG#',
  claimed: 'CLAIMED#',
  held: 'HELD#',
  stuck: 'STUCK#',
} as const;

/** The records no role may change or remove once written: versions, approvals, the audit log. */
export const IMMUTABLE_PARTITIONS = [PARTITION.version, PARTITION.approval, PARTITION.audit];

export const keys = {
  campaign: (id: string) => ({ pk: `CAMPAIGN#${id}`, sk: 'META' }),
  template: (id: string, lang: string) => ({ pk: `CAMPAIGN#${id}`, sk: `TEMPLATE#${lang}` }),
  recipient: (id: string, rid: string) => ({ pk: `CAMPAIGN#${id}`, sk: `RCPT#${rid}` }),
  counter: (id: string, shard: number) => ({ pk: `CAMPAIGN#${id}`, sk: `COUNTER#${shard}` }),
  suppression: (email: string) => ({ pk: `SUPPRESSION#${email}`, sk: 'SUPPRESSION' }),
  /** A recipient's stop of one campaign's follow-ups only (in the suppression partition: the sender reads both at once). */
  followUpsStop: (email: string, campaignId: string) => ({
    pk: `SUPPRESSION#${email}`,
    sk: `FOLLOWUPS#${campaignId}`,
  }),
  /** A reply (or rejected inbound message); `undefined` campaign: not matched to any. */
  reply: (id: string | undefined, replyId: string) => ({
    pk: id ? `CAMPAIGN#${id}` : PARTITION.unmatchedReplies,
    sk: `REPLY#${replyId}`,
  }),
  /** Marks an inbound message as received (Message-ID or raw hash), so a redelivery writes nothing. */
  inbound: (dedupeKey: string) => ({ pk: `INBOUND#${dedupeKey}`, sk: 'INBOUND' }),
  /** GSI1 keys of a failed or unknown letter: what staff list to resend or mark as sent. */
  stuck: (id: string, state: 'failed' | 'unknown', at: string, rid: string) => ({
    gsi1pk: `${GSI1_PARTITION.stuck}${id}`,
    gsi1sk: `${state}#${at}#${rid}`,
  }),
  /** One timeline entry; sorts by recipient, then time. Written at most once per event id. */
  event: (id: string, rid: string, at: string, eventId: string) => ({
    pk: `CAMPAIGN#${id}`,
    sk: `EVENT#${rid}#${at}#${eventId}`,
  }),
  /** The partitions of a campaign's versions, approvals and audit log (one each, see above). */
  versions: (id: string) => `${PARTITION.version}${id}`,
  approvals: (id: string) => `${PARTITION.approval}${id}`,
  auditLog: (id: string) => `${PARTITION.audit}${id}`,
  /** One place an address appears, under the keyed hash of the address (purpose-keys.ts addressKey). */
  person: (hash: string, sk: string) => ({ pk: `${PARTITION.person}${hash}`, sk }),
  /** An erasure job (all in one partition: the scheduler's tick lists the running ones). */
  forgetJob: (jobId: string) => ({ pk: `${PARTITION.forget}JOBS`, sk: jobId }),
  /** A test letter's web version, kept a few days so its "view in browser" link works. */
  testLetter: (id: string) => ({ pk: `${PARTITION.testLetter}${id}`, sk: 'LETTER' }),
} as const;

/** The CreateTable input for the local runtime; CDK mirrors the same attributes. */
export function createTableInput(tableName: string) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [
      { AttributeName: TABLE.partitionKey, AttributeType: 'S' as const },
      { AttributeName: TABLE.sortKey, AttributeType: 'S' as const },
      { AttributeName: TABLE.gsi1.partitionKey, AttributeType: 'S' as const },
      { AttributeName: TABLE.gsi1.sortKey, AttributeType: 'S' as const },
    ],
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: TABLE.gsi1.indexName,
        KeySchema: [
          { AttributeName: TABLE.gsi1.partitionKey, KeyType: 'HASH' as const },
          { AttributeName: TABLE.gsi1.sortKey, KeyType: 'RANGE' as const },
        ],
        Projection: {
          ProjectionType: TABLE.gsi1.projection,
          NonKeyAttributes: [...TABLE.gsi1.nonKeyAttributes],
        },
      },
    ],
  };
}
