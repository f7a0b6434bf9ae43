/**
 * What every DynamoDB adapter shares: the document client, the item without
 * its storage attributes, and whether an error is a refused condition. Kept
 * apart from the campaign store so that the small public functions (tracking,
 * web) load only this and the reads they make.
 */
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { metered } from './client-meter.js';
import { LOCAL_CREDENTIALS } from './config.js';
import { TABLE } from './table-definition.js';

export function dynamoClient(opts: { region: string; endpoint?: string }): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: opts.region,
    maxAttempts: 6,
    ...(opts.endpoint ? { endpoint: opts.endpoint, credentials: LOCAL_CREDENTIALS } : {}),
  });
  return DynamoDBDocumentClient.from(metered(client, 'dynamodb'), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  });
}

export const strip = <T>(item: Record<string, unknown> | undefined): T | undefined => {
  if (!item) return undefined;
  // The TTL attribute is storage's, not the domain's (retention-env.ts sets it), and so are
  // a recipient's search fields (recipient-search.ts).
  const {
    pk: _pk,
    sk: _sk,
    gsi1pk: _g1,
    gsi1sk: _g2,
    type: _t,
    [TABLE.ttlAttribute]: _x,
    find: _f,
    findPage: _fp,
    ...rest
  } = item;
  return rest as T;
};

export function isConditionFailure(err: unknown): boolean {
  if (err instanceof ConditionalCheckFailedException) return true;
  if (err instanceof TransactionCanceledException) {
    return (err.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed');
  }
  return false;
}
