/**
 * Archived targets expire: an import that leaves a target out archives it,
 * and the target, each of its versions and each erasure-index entry of its
 * addresses then carry the table's TTL, the retention after the day it was
 * archived; no other target's items do. Bringing it back takes the expiry
 * off every one of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, asStaff } from '../../support/api-client.js';
import { DIRECTORY_V1 as v1, DIRECTORY_V2 as v2 } from '../../support/directory.js';
import { scanTable, useRuntime } from '../../support/runtime.js';

const runtime = useRuntime({ schedulerTickMs: 0 });
const before = process.env.DEMARCHE_RETENTION_DAYS;
// Not the default (365): the expiry follows the deployment's retention.
beforeAll(() => {
  process.env.DEMARCHE_RETENTION_DAYS = '30';
});
afterAll(() => {
  if (before === undefined) delete process.env.DEMARCHE_RETENTION_DAYS;
  else process.env.DEMARCHE_RETENTION_DAYS = before;
});

type Item = Record<string, unknown>;
type TargetJson = { id: string; version: number; externalId?: string; updatedAt: string };

/** The items of target `id`: the target, its versions, its erasure-index entries. */
const itemsOf = (all: Item[], id: string) =>
  all.filter(
    (i) =>
      (String(i.pk).startsWith('TARGET#') && i.sk === id) ||
      i.pk === `TARGETVER#${id}` ||
      (String(i.pk).startsWith('PERSON#') && i.targetId === id),
  );

describe('archived targets', { timeout: 240_000 }, () => {
  it('expire with their versions and index entries the retention after archiving; restored, they do not', async () => {
    const rt = runtime();
    const alice = await asStaff('alice', ['campaigner']);
    const call = (method: string, path: string, body?: unknown) =>
      api(rt, method, path, { token: alice, ...(body !== undefined ? { body } : {}) });
    expect(
      (await call('POST', '/api/targets/import/apply', { csv: v1, file: 'oct.csv', all: true }))
        .json,
    ).toMatchObject({ created: 5 });
    // November's list leaves the German Permanent Representation out: applied whole, it is archived.
    expect(
      (await call('POST', '/api/targets/import/apply', { csv: v2, file: 'nov.csv', all: true }))
        .json,
    ).toMatchObject({ archived: 1 });
    const archived = (await call('GET', '/api/targets?archived=true')).json.items as TargetJson[];
    expect(archived.map((t) => t.externalId)).toEqual(['DE-PR-01']);
    const de = archived[0]!;
    const expected = Math.floor((Date.parse(de.updatedAt) + 30 * 86_400_000) / 1000);

    let all = await scanTable(rt);
    const mine = itemsOf(all, de.id);
    // The target, its two versions, the index entry of its address.
    expect(mine.map((i) => String(i.pk).split('#')[0])).toEqual(
      expect.arrayContaining(['TARGET', 'TARGETVER', 'TARGETVER', 'PERSON']),
    );
    for (const i of mine) expect([i.pk, i.sk, i.expiresAt]).toEqual([i.pk, i.sk, expected]);
    const others = all.filter(
      (i) => (String(i.pk).startsWith('TARGET') || i.kind === 'target') && !mine.includes(i),
    );
    expect(others.length).toBeGreaterThan(10);
    expect(others.filter((i) => i.expiresAt !== undefined)).toEqual([]);

    // An edit while archived keeps the day it expires.
    const edited = await call('POST', `/api/targets/${de.id}/edit`, {
      version: de.version,
      notes: 'Moved to the new building',
    });
    expect(edited.status, edited.text).toBe(200);
    all = await scanTable(rt);
    for (const i of itemsOf(all, de.id)) expect(i.expiresAt).toBe(expected);

    // Brought back: nothing of it expires.
    const restored = await call('POST', `/api/targets/${de.id}/edit`, {
      version: de.version + 1,
      archived: false,
    });
    expect(restored.status, restored.text).toBe(200);
    expect((restored.json.target as { expiresAt?: number }).expiresAt).toBeUndefined();
    all = await scanTable(rt);
    const back = itemsOf(all, de.id);
    expect(back.length).toBe(mine.length + 2);
    expect(back.filter((i) => i.expiresAt !== undefined)).toEqual([]);
  });
});
