/**
 * SignonStore on DynamoDB, in a partition of its own per campaign
 * (`SIGNON#<id>`): the settings, each signatory, a marker per contact
 * address (a keyed hash, so the one-signature-per-address rule needs no
 * scan and stores no second copy of the address) and the hourly rate
 * counters (with a TTL at the end of their hour). The public web function
 * may put and update items here and nowhere else (infra/access.ts).
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  AfterSendMail,
  Signatory,
  SignatoryState,
  SignonSettings,
} from '../core/signon/model.js';
import type { SignonStore } from '../core/signon/ports.js';
import { isConditionFailure } from './dynamo-items.js';
import { keys, PARTITION } from './table-definition.js';

const pk = (campaignId: string) => `${PARTITION.signon}${campaignId}`;
const SIG = 'SIG#';

export const signonKeys = {
  settings: (id: string) => ({ pk: pk(id), sk: 'SETTINGS' }),
  signatory: (id: string, sid: string) => ({ pk: pk(id), sk: `${SIG}${sid}` }),
  email: (id: string, key: string) => ({ pk: pk(id), sk: `EMAIL#${key}` }),
  limit: (id: string, key: string, windowEnd: number) => ({
    pk: pk(id),
    sk: `LIMIT#${key}#${windowEnd}`,
  }),
};

function strip<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, type: _type, expiresAt: _e, ...rest } = item;
  return rest as T;
}

export class DynamoSignonStore implements SignonStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async settings(campaignId: string): Promise<SignonSettings | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: signonKeys.settings(campaignId),
        ConsistentRead: true,
      }),
    );
    return out.Item ? strip<SignonSettings>(out.Item) : undefined;
  }

  async putSettings(settings: SignonSettings): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...signonKeys.settings(settings.campaignId), type: 'signon-settings', ...settings },
      }),
    );
  }

  async addPending(signatory: Signatory, emailKey: string, expiresAt: number): Promise<boolean> {
    const c = signatory.campaignId;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...signonKeys.email(c, emailKey),
                  type: 'signon-email',
                  sid: signatory.id,
                  expiresAt,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              // The erasure index: `demarche forget` finds the contact by the same keyed hash.
              Put: {
                TableName: this.table,
                Item: {
                  ...keys.person(emailKey, `SIGNON#${c}#${signatory.id}`),
                  type: 'person-index',
                  kind: 'signatory',
                  campaignId: c,
                  recipientId: signatory.id,
                  expiresAt,
                },
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...signonKeys.signatory(c, signatory.id),
                  type: 'signatory',
                  ...signatory,
                  expiresAt,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async get(campaignId: string, id: string): Promise<Signatory | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: signonKeys.signatory(campaignId, id),
        ConsistentRead: true,
      }),
    );
    return out.Item ? strip<Signatory>(out.Item) : undefined;
  }

  async list(campaignId: string): Promise<Signatory[]> {
    const items: Signatory[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sig)',
          ExpressionAttributeValues: { ':pk': pk(campaignId), ':sig': SIG },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of out.Items ?? []) items.push(strip<Signatory>(item));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async update(
    campaignId: string,
    id: string,
    fields: Partial<Omit<Signatory, 'campaignId' | 'id'>>,
    from?: SignatoryState[],
  ): Promise<boolean> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets: string[] = [];
    const removes: string[] = [];
    Object.entries(fields).forEach(([k, v], i) => {
      names[`#f${i}`] = k;
      if (v === undefined || v === null) removes.push(`#f${i}`);
      else {
        values[`:v${i}`] = v;
        sets.push(`#f${i} = :v${i}`);
      }
    });
    const conditions = ['attribute_exists(pk)'];
    if (from?.length) {
      names['#st'] = 'state';
      conditions.push(`#st IN (${from.map((_, i) => `:from${i}`).join(', ')})`);
      from.forEach((s, i) => (values[`:from${i}`] = s));
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: signonKeys.signatory(campaignId, id),
          UpdateExpression: [
            sets.length ? `SET ${sets.join(', ')}` : '',
            removes.length ? `REMOVE ${removes.join(', ')}` : '',
          ]
            .filter(Boolean)
            .join(' '),
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async closeIfOpen(
    campaignId: string,
    closedAt: string,
    closedBy: string,
  ): Promise<SignonSettings | undefined> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: signonKeys.settings(campaignId),
          UpdateExpression: 'SET #st = :closed, closedAt = :at, closedBy = :by',
          ConditionExpression: 'attribute_exists(pk) AND #st = :open',
          ExpressionAttributeNames: { '#st': 'state' },
          ExpressionAttributeValues: {
            ':closed': 'closed',
            ':open': 'open',
            ':at': closedAt,
            ':by': closedBy,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return strip<SignonSettings>(out.Attributes!);
    } catch (err) {
      if (isConditionFailure(err)) return undefined;
      throw err;
    }
  }

  async updateSettings(
    campaignId: string,
    fields: Partial<Pick<SignonSettings, 'openLetter' | 'copiesDoneAt' | 'summaryDoneAt'>>,
  ): Promise<boolean> {
    const entries = Object.entries(fields).filter(([, v]) => v !== undefined);
    if (!entries.length) return true;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: signonKeys.settings(campaignId),
          UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: Object.fromEntries(entries.map(([k], i) => [`#f${i}`, k])),
          ExpressionAttributeValues: Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])),
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async claimAfterSend(
    campaignId: string,
    id: string,
    mail: AfterSendMail,
    at: string,
  ): Promise<boolean> {
    // Only an approved signatory whose contact was not erased; once per mail, ever.
    const field = mail === 'copy' ? 'copyAt' : 'summaryAt';
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: signonKeys.signatory(campaignId, id),
          UpdateExpression: 'SET #f = :at',
          ConditionExpression:
            'attribute_exists(pk) AND attribute_not_exists(#f) AND #st = :approved AND attribute_exists(confirmedAt) AND attribute_not_exists(contactErasedAt)',
          ExpressionAttributeNames: { '#f': field, '#st': 'state' },
          ExpressionAttributeValues: { ':at': at, ':approved': 'approved' },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async claimMail(campaignId: string, id: string, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: signonKeys.signatory(campaignId, id),
          UpdateExpression: 'SET mailedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(mailedAt)',
          ExpressionAttributeValues: { ':at': at },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async hit(campaignId: string, key: string, windowEnd: number): Promise<number> {
    const out = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: signonKeys.limit(campaignId, key, windowEnd),
        UpdateExpression: 'ADD hits :one SET expiresAt = :end',
        ExpressionAttributeValues: { ':one': 1, ':end': windowEnd },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(out.Attributes?.hits ?? 1);
  }
}
