/**
 * A meter on the AWS SDK clients the adapters build, for the `cost` bench:
 * when an observer is registered before a client is built, the client gets
 * one middleware that asks DynamoDB for the capacity each call consumed
 * (ReturnConsumedCapacity INDEXES: the total, with the table's and each
 * index's share) and reports every call to the observer. Nothing registers
 * one in Lambda or in the local runtime's ordinary use, so their clients are
 * built exactly as without this file: the meter only ever looks.
 */

/** One SDK call as the meter saw it. */
export interface MeteredCall {
  /** The service as named where the client was built: dynamodb, ses, sqs, s3 … */
  service: string;
  /** The SDK command's name, e.g. TransactWriteItemsCommand. */
  command: string;
  input: Record<string, unknown>;
  /** Undefined when the call failed. */
  output?: Record<string, unknown>;
  /** The DynamoDB error's name when it failed (a cancelled transaction is billed too). */
  error?: string;
}

export type CallObserver = (call: MeteredCall) => void;

let observer: CallObserver | undefined;

/** Registers (or, with undefined, removes) the observer of clients built from now on. */
export function observeCalls(o: CallObserver | undefined): void {
  observer = o;
}

/** DynamoDB operations that take ReturnConsumedCapacity. */
const CAPACITY_COMMANDS = new Set([
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
  'TransactGetItemsCommand',
  // The document client's names for the same operations.
  'GetCommand',
  'PutCommand',
  'UpdateCommand',
  'DeleteCommand',
  'BatchGetCommand',
  'BatchWriteCommand',
  'TransactWriteCommand',
  'TransactGetCommand',
]);

type Handler = (args: { input: Record<string, unknown> }) => Promise<{ output: unknown }>;
type Middleware = (next: Handler, context: { commandName?: string }) => Handler;

/** The part of an SDK v3 client the meter needs (every client has it). */
export interface Meterable {
  middlewareStack: {
    add(middleware: Middleware, options: { step: 'initialize'; name: string }): void;
  };
}

/** Returns the client, with the meter's middleware when an observer is registered. */
export function metered<C>(client: C, service: string): C {
  const o = observer;
  if (!o) return client;
  (client as unknown as Meterable).middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? 'unknown';
      if (
        service === 'dynamodb' &&
        CAPACITY_COMMANDS.has(command) &&
        args.input.ReturnConsumedCapacity === undefined
      ) {
        args = { ...args, input: { ...args.input, ReturnConsumedCapacity: 'INDEXES' } };
      }
      try {
        const out = await next(args);
        o({ service, command, input: args.input, output: out.output as Record<string, unknown> });
        return out;
      } catch (err) {
        const reasons = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
        const codes = reasons?.map((r) => r.Code ?? 'None').join(',');
        o({
          service,
          command,
          input: args.input,
          error: codes ? `${(err as Error).name}(${codes})` : (err as Error).name,
        });
        throw err;
      }
    },
    { step: 'initialize', name: 'demarcheCallMeter' },
  );
  return client;
}
