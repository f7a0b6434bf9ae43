/** BatchWriteItem in DynamoDB's pieces of 25, retrying what it leaves unprocessed. */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Key = { pk: unknown; sk: unknown };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type WriteRequest = Record<string, unknown>;

/**
 * One BatchWriteItem of at most 25 puts or deletes, with what DynamoDB leaves
 * unprocessed sent again; throws when it keeps refusing some (throttled for long).
 */
export async function writeRequests(
  db: DynamoDBDocumentClient,
  table: string,
  first: readonly WriteRequest[],
): Promise<void> {
  let requests = [...first];
  for (let attempt = 0; requests.length; attempt++) {
    const res = await db.send(
      new BatchWriteCommand({ RequestItems: { [table]: requests as never } }),
    );
    requests = (res.UnprocessedItems?.[table] ?? []) as WriteRequest[];
    if (requests.length && attempt > 8)
      throw new Error(`DynamoDB kept ${requests.length} writes unprocessed`);
    if (requests.length) await sleep(50 * 2 ** attempt);
  }
}

/** Deletes every key, 25 a request. */
export async function deleteKeys(
  db: DynamoDBDocumentClient,
  table: string,
  doomed: readonly Key[],
): Promise<void> {
  for (let i = 0; i < doomed.length; i += 25)
    await writeRequests(
      db,
      table,
      doomed.slice(i, i + 25).map((k) => ({ DeleteRequest: { Key: { pk: k.pk, sk: k.sk } } })),
    );
}
