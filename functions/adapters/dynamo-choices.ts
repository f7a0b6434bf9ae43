/**
 * ChoiceStore on DynamoDB: a recipient's own stops, in the suppression
 * partition of their address, the only partition the public tracking role
 * may write (PutItem; it has no DeleteItem or UpdateItem). A stop is a put;
 * an undo is a put of the same entry with `liftedAt`, conditional on the
 * entry being the one the page read, so it never lifts a stop that a hard
 * bounce or a complaint made meanwhile. The sender reads both kinds of entry
 * before each letter (dynamo-store.ts suppressedAmong) and skips lifted ones.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  liftedExpiry,
  type ChoiceStore,
  type RecipientChoices,
  type StopEntry,
  type StopScope,
  UNSUBSCRIBED,
} from '../core/recipient-pages/choice.js';
import { isConditionFailure } from './dynamo-items.js';
import { keys } from './table-definition.js';

/** The reason a follow-ups stop carries (the coalition-wide one carries UNSUBSCRIBED). */
const FOLLOW_UPS = 'unsubscribed from follow-ups';

export class DynamoChoiceStore implements ChoiceStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private key(email: string, scope: StopScope, campaignKey: string) {
    return scope === 'all' ? keys.suppression(email) : keys.followUpsStop(email, campaignKey);
  }

  /** The stored entry of a stop: its key, kind, address, reason and time, and what `extra` adds. */
  private item(
    email: string,
    scope: StopScope,
    campaignKey: string,
    entry: { reason: string; at: string },
    extra: Record<string, unknown>,
  ) {
    return {
      ...this.key(email, scope, campaignKey),
      type: scope === 'all' ? 'suppression' : 'followups-stop',
      email,
      reason: entry.reason,
      at: entry.at,
      campaignId: campaignKey,
      ...extra,
    };
  }

  async choices(email: string, campaignKey: string): Promise<RecipientChoices> {
    const [all, followUps] = await Promise.all(
      (['all', 'followups'] as const).map(async (scope) => {
        const out = await this.db.send(
          new GetCommand({
            TableName: this.table,
            Key: this.key(email, scope, campaignKey),
            ConsistentRead: true,
          }),
        );
        return out.Item ? entry(out.Item) : undefined;
      }),
    );
    return { ...(all ? { all } : {}), ...(followUps ? { followUps } : {}) };
  }

  async stop(
    email: string,
    scope: StopScope,
    campaignKey: string,
    at: string,
    expiresAt?: number,
  ): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: this.item(
            email,
            scope,
            campaignKey,
            { reason: scope === 'all' ? UNSUBSCRIBED : FOLLOW_UPS, at },
            expiresAt ? { expiresAt } : {},
          ),
          // A stop for another reason stays what it is: an unsubscribe must not make a
          // hard bounce's or a complaint's entry undoable.
          ConditionExpression:
            'attribute_not_exists(pk) OR reason = :r OR attribute_exists(liftedAt)',
          ExpressionAttributeValues: { ':r': scope === 'all' ? UNSUBSCRIBED : FOLLOW_UPS },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  async lift(
    email: string,
    scope: StopScope,
    campaignKey: string,
    read: StopEntry,
    at: string,
  ): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: this.item(email, scope, campaignKey, read, {
            liftedAt: at,
            expiresAt: liftedExpiry(at),
          }),
          ConditionExpression: '#at = :at AND reason = :r AND attribute_not_exists(liftedAt)',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':at': read.at, ':r': read.reason },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }
}

function entry(item: Record<string, unknown>): StopEntry {
  return {
    reason: String(item.reason ?? ''),
    at: String(item.at ?? ''),
    ...(typeof item.liftedAt === 'string' ? { liftedAt: item.liftedAt } : {}),
  };
}
