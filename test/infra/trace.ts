/**
 * Records every DynamoDB request a handler makes, as IAM would authorise it:
 * the handler it ran under (an AsyncLocalStorage context set by a wrapper
 * around each handler module), the action, the table or index, and the
 * partition keys (dynamodb:LeadingKeys). A transaction is one request per
 * item (IAM authorises each part as its own action); a batch is one request
 * with every partition key of the batch.
 *
 * It hooks the `send` of both DynamoDB clients (the document client does not
 * go through the plain client's `send`), so every client any adapter builds
 * is seen; calls made outside a handler (test set-up, the runtime's own table
 * creation) are not recorded.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../../functions/adapters/table-definition.js';
import type { FunctionName } from '../../infra/bundling.js';

const running = new AsyncLocalStorage<FunctionName>();

export interface TracedCall {
  fn: FunctionName;
  /** The SDK command, e.g. TransactWriteCommand. */
  command: string;
  action: string;
  table: string;
  index?: string;
  leadingKeys: string[];
}

export const traced: TracedCall[] = [];

/** The module with its `handler` run under `name`, so that its DynamoDB calls are attributed to it. */
export function underName<M extends { handler: (...args: never[]) => unknown }>(
  name: FunctionName,
  mod: M,
): M {
  const original = mod.handler;
  const handler = (...args: never[]) => running.run(name, () => original(...args));
  return { ...mod, handler } as M;
}

// Values as the document client takes them, or marshalled ({ S: '…' }) as the plain client does.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Input = any;
const str = (v: Input): string =>
  typeof v === 'string' ? v : typeof v?.S === 'string' ? v.S : JSON.stringify(v);
const pk = (item: Input): string => str(item?.[TABLE.partitionKey]);

/** The partition key value a Query's key condition names (the index's partition key for an index). */
function queryPartition(input: Input): string {
  const attr = input.IndexName ? TABLE.gsi1.partitionKey : TABLE.partitionKey;
  const expr = String(input.KeyConditionExpression ?? '');
  for (const m of expr.matchAll(/(#?[A-Za-z0-9_]+)\s*=\s*(:[A-Za-z0-9_]+)/g)) {
    const name = m[1]!.startsWith('#') ? input.ExpressionAttributeNames?.[m[1]!] : m[1];
    if (name === attr) return str(input.ExpressionAttributeValues?.[m[2]!]);
  }
  throw new Error(`a Query whose key condition names no ${attr}: ${expr}`);
}

type Part = Omit<TracedCall, 'fn' | 'command'>;

const ONE_ITEM: Record<string, [string, 'Key' | 'Item']> = {
  GetCommand: ['dynamodb:GetItem', 'Key'],
  GetItemCommand: ['dynamodb:GetItem', 'Key'],
  PutCommand: ['dynamodb:PutItem', 'Item'],
  PutItemCommand: ['dynamodb:PutItem', 'Item'],
  UpdateCommand: ['dynamodb:UpdateItem', 'Key'],
  UpdateItemCommand: ['dynamodb:UpdateItem', 'Key'],
  DeleteCommand: ['dynamodb:DeleteItem', 'Key'],
  DeleteItemCommand: ['dynamodb:DeleteItem', 'Key'],
};
const TRANSACT_PART: Record<string, [string, 'Key' | 'Item']> = {
  Put: ['dynamodb:PutItem', 'Item'],
  Update: ['dynamodb:UpdateItem', 'Key'],
  Delete: ['dynamodb:DeleteItem', 'Key'],
  ConditionCheck: ['dynamodb:ConditionCheckItem', 'Key'],
  Get: ['dynamodb:GetItem', 'Key'],
};

/** The requests IAM authorises for one SDK command. */
export function requestsOf(command: string, input: Input): Part[] {
  const one = ONE_ITEM[command];
  if (one) return [{ action: one[0], table: input.TableName, leadingKeys: [pk(input[one[1]])] }];
  switch (command) {
    case 'QueryCommand':
      return [
        {
          action: 'dynamodb:Query',
          table: input.TableName,
          ...(input.IndexName ? { index: input.IndexName } : {}),
          leadingKeys: [queryPartition(input)],
        },
      ];
    case 'ScanCommand':
      return [{ action: 'dynamodb:Scan', table: input.TableName, leadingKeys: [] }];
    case 'BatchGetCommand':
    case 'BatchGetItemCommand':
      return Object.entries(input.RequestItems as Record<string, { Keys: Input[] }>).map(
        ([table, r]) => ({
          action: 'dynamodb:BatchGetItem',
          table,
          leadingKeys: [...new Set(r.Keys.map(pk))],
        }),
      );
    case 'BatchWriteCommand':
    case 'BatchWriteItemCommand':
      return Object.entries(input.RequestItems as Record<string, Input[]>).map(
        ([table, requests]) => ({
          action: 'dynamodb:BatchWriteItem',
          table,
          leadingKeys: [
            ...new Set(requests.map((r) => pk(r.PutRequest?.Item ?? r.DeleteRequest?.Key))),
          ],
        }),
      );
    case 'TransactWriteCommand':
    case 'TransactWriteItemsCommand':
    case 'TransactGetCommand':
    case 'TransactGetItemsCommand':
      return (input.TransactItems as Input[]).map((part) => {
        const [kind, body] = Object.entries(part)[0] as [string, Input];
        const [action, field] = TRANSACT_PART[kind]!;
        return { action, table: body.TableName, leadingKeys: [pk(body[field])] };
      });
    default:
      throw new Error(`a DynamoDB command the trace does not know: ${command}`);
  }
}

let installed = false;

/** Starts recording (once per process). */
export function recordDynamoCalls(): void {
  if (installed) return;
  installed = true;
  for (const Client of [DynamoDBClient, DynamoDBDocumentClient]) {
    const proto = Client.prototype as unknown as { send: (...a: Input[]) => Promise<unknown> };
    const send = proto.send;
    proto.send = function (this: unknown, command: Input, ...rest: Input[]) {
      const fn = running.getStore();
      if (fn) {
        const name = command.constructor.name as string;
        try {
          for (const part of requestsOf(name, command.input))
            traced.push({ fn, command: name, ...part });
        } catch {
          // Recorded as a call no policy allows, so that the test names it.
          traced.push({ fn, command: name, action: `unknown:${name}`, table: '', leadingKeys: [] });
        }
      }
      return send.call(this, command, ...rest);
    };
  }
}
