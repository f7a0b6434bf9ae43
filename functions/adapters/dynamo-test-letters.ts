/** Test letters' web versions on the one table, expired by DynamoDB's TTL. */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { TestLetter, TestLetterStore } from '../core/test-letters.js';
import { keys, TABLE } from './table-definition.js';

export class DynamoTestLetters implements TestLetterStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(letter: TestLetter, expiresAt: Date): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...keys.testLetter(letter.id),
          ...letter,
          [TABLE.ttlAttribute]: Math.floor(expiresAt.getTime() / 1000),
        },
        // Ids are random: an existing item would be a bug, never overwritten silently.
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(id: string): Promise<TestLetter | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.testLetter(id) }),
    );
    const item = out.Item;
    // TTL deletes within days of expiry, not at it: an expired item is gone already.
    if (!item || Number(item[TABLE.ttlAttribute]) * 1000 < Date.now()) return undefined;
    return {
      id: String(item.id),
      recipientId: String(item.recipientId),
      language: String(item.language),
      subject: String(item.subject),
      html: String(item.html),
      sentBy: String(item.sentBy),
      sentAt: String(item.sentAt),
    };
  }
}
