/**
 * The erasure index: for every place an address appears (a recipient, a
 * recipient's fallback address, the sender of a reply), one small item in the
 * partition PERSON#<keyed hash of the address>, written with the item it
 * points at. Erasure reads that one partition instead of walking every
 * campaign. It holds ids and the hash, never the address: without the
 * deployment secret nobody can tell whose partition is whose.
 */
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { PersonEntry, PersonIndex } from '../core/governance/forget-job.js';
import { addressKey } from '../core/purpose-keys.js';
import type { Recipient } from '../core/recipients.js';
import type { Reply } from '../core/replies/types.js';
import { keys, TABLE } from './table-definition.js';

type Item = Record<string, unknown>;

/** Where an expiry is known when the item is written, the index entry expires with it. */
const ttl = (expiresAt: number | undefined) =>
  expiresAt ? { [TABLE.ttlAttribute]: expiresAt } : {};

/** The index entries of a recipient: their address, and each fallback address. */
export function recipientIndexItems(
  secret: string,
  campaignId: string,
  r: Pick<Recipient, 'id' | 'email' | 'fallbackEmails'>,
  expiresAt?: number,
): Item[] {
  const entry = (email: string, kind: 'recipient' | 'fallback') => ({
    ...keys.person(
      addressKey(secret, email),
      `${kind === 'recipient' ? 'RCPT' : 'FALLBACK'}#${campaignId}#${r.id}`,
    ),
    type: 'person-index',
    kind,
    campaignId,
    recipientId: r.id,
    ...ttl(expiresAt),
  });
  return [
    entry(r.email, 'recipient'),
    ...(r.fallbackEmails ?? []).filter((f) => f !== r.email).map((f) => entry(f, 'fallback')),
  ];
}

/** The index entry of a reply, under its sender's address (none when it has no sender). */
export function replyIndexItem(
  secret: string,
  reply: Pick<Reply, 'id' | 'campaignId' | 'from'>,
  expiresAt?: number,
): Item | undefined {
  if (!reply.from?.address) return undefined;
  return {
    ...keys.person(
      addressKey(secret, reply.from.address),
      `REPLY#${reply.campaignId ?? '-'}#${reply.id}`,
    ),
    type: 'person-index',
    kind: 'reply',
    ...(reply.campaignId ? { campaignId: reply.campaignId } : {}),
    replyId: reply.id,
    ...ttl(expiresAt),
  };
}

export class DynamoPersonIndex implements PersonIndex {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async entries(hashes: string[], limit: number): Promise<PersonEntry[]> {
    const out: PersonEntry[] = [];
    for (const hash of hashes) {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': keys.person(hash, '').pk },
          ConsistentRead: true,
          Limit: limit - out.length,
        }),
      );
      for (const i of page.Items ?? [])
        out.push({
          pk: String(i.pk),
          sk: String(i.sk),
          kind: i.kind as PersonEntry['kind'],
          ...(typeof i.campaignId === 'string' ? { campaignId: i.campaignId } : {}),
          ...(typeof i.recipientId === 'string' ? { recipientId: i.recipientId } : {}),
          ...(typeof i.replyId === 'string' ? { replyId: i.replyId } : {}),
          ...(typeof i.targetId === 'string' ? { targetId: i.targetId } : {}),
        });
      if (out.length >= limit) break;
    }
    return out;
  }

  async remove(entry: PersonEntry): Promise<void> {
    // BatchWriteItem, not DeleteItem: the roles that erase are granted batch writes only.
    let requests: Item[] | undefined = [{ DeleteRequest: { Key: { pk: entry.pk, sk: entry.sk } } }];
    for (let attempt = 0; requests?.length; attempt++) {
      const out = await this.db.send(
        new BatchWriteCommand({ RequestItems: { [this.table]: requests as never } }),
      );
      requests = out.UnprocessedItems?.[this.table] as Item[] | undefined;
      if (requests?.length) await new Promise((r) => setTimeout(r, 50 * 2 ** Math.min(attempt, 6)));
    }
  }
}
