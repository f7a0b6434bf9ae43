/**
 * The audit log is append-only: walking every staff API route, with every
 * method, as a campaigner, leaves each existing audit item byte for byte as
 * it was (new entries may only be added), and the store never overwrites one.
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../../functions/api/handler.js';
import { dynamoClient } from '../../../functions/adapters/dynamo-store.js';
import { keys } from '../../../functions/adapters/table-definition.js';
import { exampleStatement } from '../../support/fixtures.js';
import { useRuntime } from '../../support/runtime.js';
import { staffToken } from '../../support/staff.js';

const runtime = useRuntime();

async function call(method: string, path: string, token: string, body?: string) {
  const res = await fetch(`${runtime().httpUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  return { status: res.status, text };
}

async function auditItems(campaignId: string) {
  const db = dynamoClient({ region: 'eu-west-1', endpoint: runtime().dynamoEndpoint });
  const out = await db.send(
    new QueryCommand({
      TableName: runtime().deps().config.table,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': keys.auditLog(campaignId) },
      ConsistentRead: true,
    }),
  );
  return new Map((out.Items ?? []).map((i) => [String(i.sk), JSON.stringify(i)]));
}

describe('the audit log', { timeout: 180_000 }, () => {
  it('no route, with any method or body, alters or removes an entry', async () => {
    const alice = await staffToken(['campaigner'], 'alice');
    const bob = await staffToken(['campaigner'], 'bob');
    const created = await call(
      'POST',
      '/api/campaigns',
      alice,
      JSON.stringify({
        statement: exampleStatement(),
        statementName: 'statement.md',
        recipientsCsv: 'email,name\nana@gov-audit.example.org,Ana Pop\n',
      }),
    );
    expect(created.status).toBe(201);
    const { campaign, version } = JSON.parse(created.text) as {
      campaign: { id: string };
      version: { hash: string };
    };
    const id = campaign.id;
    const approve = JSON.stringify({ hash: version.hash });
    expect((await call('POST', `/api/campaigns/${id}/approve`, bob, approve)).status).toBe(200);
    const before = await auditItems(id);
    expect([...before.values()].map((v) => (JSON.parse(v) as { action: string }).action)).toEqual([
      'created',
      'approved',
    ]);

    // Every route, every method, with bodies that try to address the log.
    const hostile = [
      '{}',
      JSON.stringify({ sk: [...before.keys()][0], action: 'launched', actor: 'mallory' }),
      JSON.stringify({ at: '2020-01-01T00:00:00Z', actor: 'mallory', action: 'approved' }),
    ];
    const paths = new Set<string>();
    for (const r of API_ROUTES) {
      paths.add(r.path.replace(':id', id).replace(':rid', 'AUDIT%23x').replace(':replyId', 'x'));
    }
    paths.add(`/api/campaigns/${id}/audit/${encodeURIComponent([...before.keys()][0]!)}`);
    let calls = 0;
    for (const path of paths) {
      // Launch, cancel … may (rightly) append entries; what matters is that none already there changes.
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
        for (const body of method === 'GET' ? [undefined] : hostile) {
          await call(method, path, alice, body);
          calls++;
        }
      }
    }
    expect(calls).toBeGreaterThan(100);
    const after = await auditItems(id);
    for (const [sk, item] of before) expect(after.get(sk)).toBe(item);

    // Direct writes: the key of an existing entry cannot be put again under the store's rule.
    const [sk] = [...before.keys()];
    const db = dynamoClient({ region: 'eu-west-1', endpoint: runtime().dynamoEndpoint });
    await expect(
      db.send(
        new PutCommand({
          TableName: runtime().deps().config.table,
          Item: { pk: keys.auditLog(id), sk, action: 'forged' },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    ).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    expect((await auditItems(id)).get(sk!)).toBe(before.get(sk!));
  });
});
