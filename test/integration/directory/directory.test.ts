/**
 * The target directory through the staff API on the local runtime: import,
 * import a changed version and apply part of the diff, build a campaign
 * from a tag plus one ad-hoc row, approve it, change a target afterwards
 * (the campaign keeps what was approved, and says so), send, a bounce and a
 * reply, the target's history and the responsiveness view after them, and
 * the next campaign's report saying who usually replies.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportCommand } from '../../../functions/cli/commands/report.js';
import { api, asStaff } from '../../support/api-client.js';
import { exampleStatement } from '../../support/fixtures.js';
import { scanTable, useRuntime } from '../../support/runtime.js';
import { DIRECTORY_V1 as v1, DIRECTORY_V2 as v2 } from '../../support/directory.js';
import { replyOverSmtp, settle } from '../../support/staff.js';

const runtime = useRuntime({ schedulerTickMs: 0 });

type Diff = {
  added: { key: string; fields: { externalId: string } }[];
  changed: { key: string; name: string; changes: { field: string }[] }[];
  unchanged: number;
  missing: { key: string; name: string }[];
};
type TargetJson = {
  id: string;
  version: number;
  name: string;
  email: string;
  title?: string;
  failing?: unknown;
  archived?: boolean;
  externalId?: string;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the target directory', { timeout: 240_000 }, () => {
  it('import, a reviewed partial re-import, a campaign from a tag plus one row, approved, sent, bounced, answered', async () => {
    const rt = runtime();
    const alice = await asStaff('alice', ['campaigner']);
    const bob = await asStaff('bob', ['campaigner']);
    const vera = await asStaff('vera', ['viewer']);
    const call = (method: string, path: string, token: string, body?: unknown) =>
      api(rt, method, path, { token, ...(body !== undefined ? { body } : {}) });
    const byExternal = async () => {
      const list = await call('GET', '/api/targets?limit=500', vera);
      expect(list.status, list.text).toBe(200);
      return new Map((list.json.items as TargetJson[]).map((t) => [t.externalId!, t]));
    };

    // A viewer reads but does not import.
    expect((await call('POST', '/api/targets/import', vera, { csv: v1 })).status).toBe(403);

    // 1. The first import: compared, then applied whole; the bad row listed as a campaign import lists it.
    const first = await call('POST', '/api/targets/import', alice, {
      csv: v1,
      file: 'targets.csv',
    });
    expect(first.status, first.text).toBe(200);
    expect((first.json.diff as Diff).added).toHaveLength(5);
    expect(first.json.problems).toEqual([
      {
        line: 7,
        field: 'email',
        message:
          'email "not-an-address" is not an email address; expected one such as minister@mfa.example.org',
      },
    ]);
    expect((await call('GET', '/api/targets', vera)).json.total).toBe(0); // nothing written yet
    const applied = await call('POST', '/api/targets/import/apply', alice, {
      csv: v1,
      file: 'targets.csv',
      all: true,
    });
    expect(applied.json).toMatchObject({ created: 5, updated: 0, archived: 0, stale: [] });
    let targets = await byExternal();
    expect(targets.size).toBe(5);

    // 2. A changed version: new, changed field by field, unchanged, missing; only part applied.
    const second = await call('POST', '/api/targets/import', alice, {
      csv: v2,
      file: 'targets-nov.csv',
    });
    const diff = second.json.diff as Diff;
    expect(second.json.summary).toMatch(
      /^1 new, 2 changed, 2 unchanged, 1 missing; 0 rows skipped/,
    );
    const fr = diff.changed.find((c) => c.name === 'Claire Lefèvre')!;
    expect(fr.changes.map((c) => c.field)).toEqual([
      'email',
      'fallbackEmails',
      'source',
      'lastVerified',
      'notes',
    ]);
    expect(diff.missing.map((m) => m.name)).toEqual([
      'Permanent Representation of Germany to the EU',
    ]);
    const part = await call('POST', '/api/targets/import/apply', alice, {
      csv: v2,
      file: 'targets-nov.csv',
      keys: [fr.key, diff.added[0]!.key],
    });
    expect(part.json).toMatchObject({ created: 1, updated: 1, archived: 0, conflicts: [] });
    targets = await byExternal();
    expect(targets.get('FR-MFA-01')).toMatchObject({
      version: 2,
      email: 'success+fr-cabinet@simulator.amazonses.com',
    });
    expect(targets.get('EU-EEAS-01')).toMatchObject({ version: 1, name: 'Jan Novak' });
    expect(targets.get('DE-PR-01')?.archived).toBeUndefined();
    expect(targets.get('PL-MFA-01')).toBeDefined();
    // The same key again is stale: its target has moved on to version 2.
    const again = await call('POST', '/api/targets/import/apply', alice, {
      csv: v2,
      keys: [fr.key],
    });
    expect(again.json).toMatchObject({ updated: 0, stale: [fr.key] });

    // The French minister's versions: who changed what, when.
    const frPage = await call('GET', `/api/targets/${targets.get('FR-MFA-01')!.id}`, vera);
    const versions = frPage.json.versions as {
      number: number;
      by: string;
      reason: string;
      changes: { field: string }[];
    }[];
    expect(versions.map((v) => [v.number, v.by, v.reason])).toEqual([
      [1, 'alice', 'imported from targets.csv'],
      [2, 'alice', 'imported from targets-nov.csv'],
    ]);

    // 3. A campaign from the tag FAC plus one ad-hoc row.
    const created = await call('POST', '/api/campaigns/from-directory', alice, {
      statement: exampleStatement(),
      statementName: 'statement.md',
      selection: { tags: ['fac'] },
      recipientsCsv:
        'email,name,group,country\nsuccess+adhoc@simulator.amazonses.com,Mara Vos,ngo,NL\n',
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ recipients: 4, targets: 3, adHoc: 1 });
    const id = (created.json.campaign as { id: string }).id;
    const hash = (created.json.version as { hash: string }).hash;
    expect((await call('POST', `/api/campaigns/${id}/approve`, bob, { hash })).status).toBe(200);

    // 4. A target edited after the approval: the campaign keeps what it took, and says so.
    const se = targets.get('SE-MFA-01')!;
    const edited = await call('POST', `/api/targets/${se.id}/edit`, alice, {
      version: se.version,
      title: 'Minister for Foreign Trade',
    });
    expect(edited.status, edited.text).toBe(200);
    const stale = await call('POST', `/api/targets/${se.id}/edit`, alice, {
      version: se.version,
      title: 'x',
    });
    expect(stale.json.code).toBe('TARGET_STALE');
    const taken = await call('GET', `/api/campaigns/${id}/directory`, vera);
    expect(taken.json).toMatchObject({
      fromDirectory: true,
      targets: 3,
      adHoc: 1,
      refreshable: true,
    });
    expect(taken.json.changed).toEqual([
      {
        targetId: se.id,
        name: 'Tobias Berg',
        taken: 1,
        now: 2,
        changes: [
          {
            field: 'title',
            before: 'Minister for Foreign Affairs',
            after: 'Minister for Foreign Trade',
          },
        ],
      },
    ]);
    const versionsNow = await call('GET', `/api/campaigns/${id}/versions`, vera);
    expect((versionsNow.json.versions as { hash: string }[]).at(-1)!.hash).toBe(hash);
    const rSe = (await rt.deps().store.recipientsPage(id, undefined, 10)).items.find(
      (r) => r.name === 'Tobias Berg',
    )!;
    expect(rSe.title).toBe('Minister for Foreign Affairs');

    // 5. Sent: the minister's primary bounces (his letter moves to the fallback) and the French cabinet replies.
    const launched = await call('POST', `/api/campaigns/${id}/launch`, alice, {});
    expect(launched.status, launched.text).toBeLessThan(300);
    await settle(rt);
    let seNow: TargetJson | undefined;
    for (let i = 0; i < 300 && !seNow?.failing; i++) {
      await sleep(200);
      await settle(rt);
      seNow = (await call('GET', `/api/targets/${se.id}`, vera)).json.target as TargetJson;
    }
    expect(seNow!.failing).toMatchObject({
      campaignId: id,
      reason: 'hard bounce, letter moved to a fallback',
    });
    await replyOverSmtp(rt, id, 'success+fr-cabinet@simulator.amazonses.com', {
      subject: 'Re: Joint statement',
      text: 'Thank you for your letter. The Minister will raise the matter at the Council.\n\nCabinet du Ministre',
    });
    await settle(rt);

    // 6. History: the French minister's letter, delivered, answered by a person.
    const frHistory = await call('GET', `/api/targets/${targets.get('FR-MFA-01')!.id}`, vera);
    const letters = frHistory.json.letters as {
      campaignId: string;
      delivery: string;
      replies: { kind: string; counted: boolean; afterHours?: number }[];
      firstReplyHours?: number;
    }[];
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ campaignId: id, delivery: 'delivered' });
    expect(letters[0]!.replies).toEqual([
      expect.objectContaining({ kind: 'human', counted: true }),
    ]);
    expect(letters[0]!.firstReplyHours).toBeGreaterThanOrEqual(0);
    const seHistory = await call('GET', `/api/targets/${se.id}`, vera);
    expect((seHistory.json.letters as { email: string }[])[0]!.email).toBe(
      'success+se-registry@simulator.amazonses.com',
    );
    expect(seHistory.json.suppressed).toBe(true);

    // 7. Responsiveness by country, as JSON and CSV.
    const byCountry = await call('GET', '/api/targets/responsiveness?by=country', vera);
    const rows = byCountry.json.rows as {
      key: string;
      letters: number;
      delivered: number;
      humanReplies: number;
      medianHoursToReply?: number;
    }[];
    expect(rows.find((r) => r.key === 'FR')).toMatchObject({
      letters: 1,
      delivered: 1,
      humanReplies: 1,
    });
    expect(rows.find((r) => r.key === 'SE')).toMatchObject({ letters: 1, humanReplies: 0 });
    expect(rows.find((r) => r.key === 'NL')).toMatchObject({ letters: 1 });
    const csv = await call('GET', '/api/targets/responsiveness.csv?by=institutionType', vera);
    expect(csv.text.split('\r\n')[0]).toBe(
      'institutionType,letters,delivered,humanReplies,replyRate,medianHoursToReply,autoAcknowledgements',
    );
    expect(csv.text).toMatch(
      /\r\nministry,3,3,1,0\.333,0,0\r\n\(not in the directory\),1,1,0,0,,0\r\n/,
    );

    // 7b. The next campaign to the same tag: its proof-of-delivery report (as `demarche report`
    // writes it, HTML and PDF) says who usually replies, from the first campaign's letters.
    const next = await call('POST', '/api/campaigns/from-directory', alice, {
      statement: exampleStatement(),
      statementName: 'statement.md',
      selection: { tags: ['FAC'] },
    });
    expect(next.status, next.text).toBe(201);
    const nextId = (next.json.campaign as { id: string }).id;
    const nextHash = (next.json.version as { hash: string }).hash;
    expect(
      (await call('POST', `/api/campaigns/${nextId}/approve`, bob, { hash: nextHash })).status,
    ).toBe(200);
    expect((await call('POST', `/api/campaigns/${nextId}/launch`, alice, {})).status).toBeLessThan(
      300,
    );
    await settle(rt);
    const out = mkdtempSync(join(tmpdir(), 'demarche-dir-report-'));
    const written = await reportCommand(nextId, { runtime: rt, out });
    const html = readFileSync(written.html, 'utf8');
    const frRow = html.slice(html.indexOf('<strong>Claire Lefèvre')).split('</tr>')[0]!;
    expect(frRow).toContain('Usually replies within an hour (1 of 1 earlier letter answered)');
    const seRow = html.slice(html.indexOf('<strong>Tobias Berg')).split('</tr>')[0]!;
    expect(seRow).not.toContain('earlier letter');
    expect(html).toContain(
      'Ministers and governments: 1 of 3 earlier letters answered, within an hour (median).',
    );
    const pdfText = execFileSync('pdftotext', [written.pdf!, '-'], { encoding: 'utf8' }).replace(
      /\s+/g,
      ' ',
    );
    expect(pdfText).toContain('Usually replies within an hour (1 of 1 earlier letter answered)');

    // 8. A person confirms the fallback as the new primary: the failing mark goes.
    const promoted = await call('POST', `/api/targets/${se.id}/promote`, alice, {
      version: 2,
      fallback: 'success+se-registry@simulator.amazonses.com',
    });
    expect(promoted.status, promoted.text).toBe(200);
    expect(promoted.json.target).toMatchObject({
      email: 'success+se-registry@simulator.amazonses.com',
      version: 3,
    });
    expect((promoted.json.target as TargetJson).failing).toBeUndefined();

    // 9. The export imports again as "nothing changed".
    const exported = await call('GET', '/api/targets/export.csv', vera);
    const back = await call('POST', '/api/targets/import', alice, {
      csv: exported.text.replace(/^\uFEFF/, ''),
    });
    expect(back.json.summary).toMatch(/^0 new, 0 changed, 6 unchanged, 0 missing/);

    // 10. Erasing a person removes their target and its history; another target that had the
    // address as a fallback keeps its record without it, its history saying "(erased)".
    const eeas = targets.get('EU-EEAS-01')!;
    for (const email of [
      'success+eeas@simulator.amazonses.com',
      'success+fr@simulator.amazonses.com',
    ]) {
      const forgot = await call('POST', '/api/privacy/forget', alice, { email });
      expect(forgot.status, forgot.text).toBe(202);
      await rt.jobs.drained();
      const job = await call(
        'GET',
        `/api/privacy/forget/${(forgot.json.job as { id: string }).id}`,
        alice,
      );
      expect(job.json.job).toMatchObject({ state: 'done' });
    }
    expect((await call('GET', `/api/targets/${eeas.id}`, vera)).status).toBe(404);
    expect(await rt.deps().directory.versions(eeas.id)).toEqual([]);
    const frAfter = await call('GET', `/api/targets/${targets.get('FR-MFA-01')!.id}`, vera);
    expect((frAfter.json.target as { fallbackEmails?: string[] }).fallbackEmails).toBeUndefined();
    const dump = JSON.stringify(await scanTable(rt));
    expect(dump).not.toContain('success+eeas@');
    expect(dump).not.toContain('Jan Nov');
    expect(dump).not.toContain('success+fr@');
  });
});
