/**
 * 100,000 recipients through the API, as a campaigner with a large list
 * would: the list is uploaded and imported by a job ("importing N"), a second
 * campaigner approves, and the launch route answers at once, before a single
 * letter is queued ("queueing 0 of 100,000"): its work does not grow with the
 * list, so it never meets the API's 29 s. The dry run then completes: every
 * letter composed and recorded, none mailed. (The route's latency is
 * measured by `npm run bench launch`, not asserted here.)
 */
import { describe, expect, it } from 'vitest';
import { exampleStatement } from '../../support/fixtures.js';
import { mixedCsv } from '../../support/staff.js';
import { useRuntime } from '../../support/runtime.js';
import { api, asStaff, until } from '../../support/api-client.js';

const N = Number(process.env.DEMARCHE_LARGE_LAUNCH ?? 100_000);
const runtime = useRuntime({ schedulerTickMs: 0, sesEvents: false });

describe(
  `a ${N.toLocaleString('en-GB')}-recipient dry-run launch through the API`,
  { timeout: 3_600_000 },
  () => {
    it('is imported from an upload, answers 202 before queueing anything, and completes', async () => {
      const rt = runtime();
      const alice = await asStaff('alice', ['campaigner']);
      const bob = await asStaff('bob', ['campaigner']);
      const slot = await api(rt, 'POST', '/api/uploads', { token: alice, body: {} });
      expect(slot.status).toBe(201);
      const put = await fetch(String(slot.json.url), {
        method: 'PUT',
        headers: { authorization: `Bearer ${alice}`, 'content-type': 'text/csv' },
        body: mixedCsv(N, 'large'),
      });
      expect(put.status).toBe(200);
      const created = await api(rt, 'POST', '/api/campaigns', {
        token: alice,
        body: {
          statement: exampleStatement(),
          statementName: 'statement.md',
          recipientsUpload: slot.json.id,
          dryRun: true,
        },
      });
      expect(created.status, JSON.stringify(created.json)).toBe(202);
      const id = (created.json.campaign as { id: string }).id;
      const seen = new Set<string>();
      const imported = await until(
        async () => (await api(rt, 'GET', `/api/campaigns/${id}`, { token: bob })).json,
        (c) => {
          if (typeof c.progress === 'string') seen.add(c.progress.replace(/[\d,]+/g, 'N'));
          return (c.import as { state: string }).state !== 'importing';
        },
        1_800_000,
      );
      expect(imported).toMatchObject({
        recipientCount: N,
        import: { state: 'imported', imported: N, skipped: 0 },
      });
      expect(seen.has('importing N')).toBe(true);

      const { versions } = (await api(rt, 'GET', `/api/campaigns/${id}/versions`, { token: bob }))
        .json as {
        versions: { hash: string; author: string; recipientCount: number }[];
      };
      expect(versions).toHaveLength(1);
      expect(versions[0]).toMatchObject({ author: 'alice', recipientCount: N });
      const approved = await api(rt, 'POST', `/api/campaigns/${id}/approve`, {
        token: bob,
        body: { hash: versions[0]!.hash },
      });
      expect(approved.status).toBe(200);

      const launched = await api(rt, 'POST', `/api/campaigns/${id}/launch`, {
        token: alice,
        body: {},
      });
      expect(launched.status).toBe(202);
      expect(launched.json.campaign).toMatchObject({
        status: 'sending',
        progress: `queueing 0 of ${N.toLocaleString('en-GB')}`,
      });
      const done = await until(
        () => rt.deps().store.getCampaign(id),
        (c) => c?.status === 'completed',
        3_000_000,
      );
      expect(done!.launch).toMatchObject({ state: 'queued', queued: N, total: N });
      expect(await rt.deps().store.counters(id)).toMatchObject({ queued: N, sent: N, failed: 0 });
    });
  },
);
