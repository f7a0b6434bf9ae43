/** BatchWriteItem in DynamoDB's pieces of 25, retrying what it leaves unprocessed. */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Key = { pk: unknown; sk: unknown };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Deletes every key, 25 a request; throws when DynamoDB keeps refusing some (throttled for long). */
export async function deleteKeys(
  db: DynamoDBDocumentClient,
  table: string,
  doomed: readonly Key[],
): Promise<void> {
  for (let i = 0; i < doomed.length; i += 25) {
    let requests = doomed
      .slice(i, i + 25)
      .map((k) => ({ DeleteRequest: { Key: { pk: k.pk, sk: k.sk } } }));
    for (let attempt = 0; requests.length; attempt++) {
      const res = await db.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = (res.UnprocessedItems?.[table] ?? []) as typeof requests;
      if (requests.length && attempt > 8)
        throw new Error(`DynamoDB kept ${requests.length} deletions unprocessed`);
      if (requests.length) await sleep(50 * 2 ** attempt);
    }
  }
}
