/**
 * EventStore on DynamoDB. Each event is one transaction of three writes: the
 * timeline entry (conditional on not existing: a redelivered event is a
 * duplicate and changes nothing), the recipient (conditional on the version
 * read: concurrent events for one recipient are applied one after the other)
 * and one random counter shard (so a hot campaign spreads its writes).
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Group } from '../core/recipients.js';
import type { DeliveryState } from '../core/events/model.js';
import type { ApplyResult, EventStore } from '../core/events/ports.js';
import type { EventChange, RecipientTrack, TimelineEntry } from '../core/events/rules.js';
import { keys, TABLE } from './table-definition.js';

const iso = (at: string) => new Date(at).toISOString();

/** Delivery states whose reason (the SES diagnostic) the recipient's item keeps. */
const REASONED = new Set(['bouncedHard', 'bouncedSoft', 'complained', 'rejected']);

export class DynamoEventStore implements EventStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async recipientByMessage(
    messageId: string,
  ): Promise<{ campaignId: string; recipientId: string } | undefined> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: TABLE.gsi1.indexName,
        KeyConditionExpression: 'gsi1pk = :m',
        ExpressionAttributeValues: { ':m': `MSG#${messageId}` },
        ProjectionExpression: 'pk, sk',
        Limit: 1,
      }),
    );
    const item = out.Items?.[0];
    if (!item) return undefined;
    const pk = String(item.pk);
    const sk = String(item.sk);
    if (!pk.startsWith('CAMPAIGN#') || !sk.startsWith('RCPT#')) return undefined;
    return { campaignId: pk.slice('CAMPAIGN#'.length), recipientId: sk.slice('RCPT#'.length) };
  }

  async track(campaignId: string, recipientId: string): Promise<RecipientTrack | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.recipient(campaignId, recipientId),
        ConsistentRead: true,
        ProjectionExpression:
          'email, #g, #s, ev, deliveryState, seen, sentAt, deliveredAt, messageId, fallbackHistory, lastSeen, choice, #x',
        ExpressionAttributeNames: { '#g': 'group', '#s': 'state', '#x': TABLE.ttlAttribute },
      }),
    );
    const i = out.Item;
    if (!i) return undefined;
    return {
      campaignId,
      recipientId,
      email: String(i.email),
      group: i.group as Group,
      sendState: i.state as string | undefined,
      version: Number(i.ev ?? 0),
      deliveryState: i.deliveryState as DeliveryState | undefined,
      seen: i.seen instanceof Set ? [...(i.seen as Set<string>)] : [],
      sentAt: i.sentAt as string | undefined,
      deliveredAt: i.deliveredAt as string | undefined,
      messageId: i.messageId as string | undefined,
      ...(i.choice && typeof i.choice === 'object'
        ? { choice: i.choice as NonNullable<RecipientTrack['choice']> }
        : {}),
      ...(typeof i[TABLE.ttlAttribute] === 'number'
        ? { expiresAt: i[TABLE.ttlAttribute] as number }
        : {}),
      ...(i.lastSeen && typeof i.lastSeen === 'object'
        ? { lastSeen: i.lastSeen as Record<string, string> }
        : {}),
      ...(Array.isArray(i.fallbackHistory)
        ? {
            earlier: (i.fallbackHistory as { messageId: string; email: string }[]).map((m) => ({
              messageId: String(m.messageId),
              email: String(m.email),
            })),
          }
        : {}),
    };
  }

  async apply(r: RecipientTrack, change: EventChange): Promise<ApplyResult> {
    const at = iso(change.entry.at);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':next': r.version + 1, ':at': at };
    const sets = ['ev = :next', 'lastEventAt = :at'];
    let condition = 'attribute_exists(pk) AND ';
    if (r.version === 0) condition += 'attribute_not_exists(ev)';
    else {
      condition += 'ev = :v';
      values[':v'] = r.version;
    }
    if (change.state) {
      sets.push('deliveryState = :s');
      values[':s'] = change.state;
      // The recipients table says why a letter bounced or was refused without opening the timeline.
      if (change.entry.reason && REASONED.has(change.state)) {
        sets.push('deliveryReason = :why');
        values[':why'] = change.entry.reason.slice(0, 300);
      }
    }
    for (const [name, value] of Object.entries(change.firsts)) {
      names[`#${name}`] = name;
      values[`:${name}`] = iso(value);
      sets.push(`#${name} = if_not_exists(#${name}, :${name})`);
    }
    if (change.lastSeen) {
      // Read under the same version lock: the whole map is written back.
      sets.push('lastSeen = :lastSeen');
      values[':lastSeen'] = change.lastSeen;
    }
    if (change.choice) {
      // Under the same version lock: the latest choice by its time (rules.ts).
      sets.push('choice = :choice');
      values[':choice'] = change.choice;
    }
    if (change.entry.anomaly) {
      sets.push('anomalies = if_not_exists(anomalies, :zero) + :one');
      values[':zero'] = 0;
      values[':one'] = 1;
    }
    let update = `SET ${sets.join(', ')}`;
    if (change.flags.length) {
      update += ' ADD seen :flags';
      values[':flags'] = new Set(change.flags);
    }

    const counters = Object.entries(change.counters).filter(([, n]) => n);
    // `type` marks the item kind in this table; the event's own type is stored as `event`.
    const { type: event, ...entry } = change.entry;
    const items = [
      {
        Put: {
          TableName: this.table,
          Item: {
            ...keys.event(r.campaignId, r.recipientId, at, change.entry.id),
            type: 'event',
            event,
            recipientId: r.recipientId,
            ...entry,
            at,
            // The timeline expires with its recipient (set at write, moved at the finish).
            ...(r.expiresAt ? { [TABLE.ttlAttribute]: r.expiresAt } : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: this.table,
          Key: keys.recipient(r.campaignId, r.recipientId),
          UpdateExpression: update,
          ConditionExpression: condition,
          ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: values,
        },
      },
      ...(counters.length
        ? [
            {
              Update: {
                TableName: this.table,
                Key: keys.counter(r.campaignId, Math.floor(Math.random() * TABLE.counterShards)),
                UpdateExpression: `ADD ${counters.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
                ExpressionAttributeNames: Object.fromEntries(
                  counters.map(([c], i) => [`#c${i}`, c]),
                ),
                ExpressionAttributeValues: Object.fromEntries(
                  counters.map(([, n], i) => [`:c${i}`, n]),
                ),
              },
            },
          ]
        : []),
    ];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return 'applied';
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const reasons = err.CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'duplicate';
      if (reasons[1]?.Code === 'ConditionalCheckFailed') return 'conflict';
      if (reasons.some((x) => x.Code === 'TransactionConflict')) return 'conflict';
      throw err;
    }
  }

  async timeline(campaignId: string, recipientId: string): Promise<TimelineEntry[]> {
    const entries: TimelineEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :p AND begins_with(sk, :e)',
          ExpressionAttributeValues: {
            ':p': keys.campaign(campaignId).pk,
            ':e': `EVENT#${recipientId}#`,
          },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) {
        const {
          pk: _pk,
          sk: _sk,
          type: _t,
          recipientId: _r,
          [TABLE.ttlAttribute]: _x,
          event,
          ...entry
        } = item;
        entries.push({ type: event, ...entry } as TimelineEntry);
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return entries;
  }
}
