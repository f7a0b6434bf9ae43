/**
 * A whole campaign through the CLI in API mode (`--target api --api URL`,
 * each person with their own token, as after `demarche login`), against the
 * local runtime's staff API: create, edit, approval by a second campaigner,
 * schedule, launch, pause, resume, follow-up, report, forget. The audit log
 * names each actor by sub.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localSesAccount } from '../../../functions/local/ses-account.js';
import { repoPath } from '../../support/fixtures.js';
import { mixedCsv } from '../../support/staff.js';
import { useRuntime } from '../../support/runtime.js';
import { asStaff, until } from '../../support/api-client.js';
import { demarcheApi } from '../../support/cli.js';

// Two letters a second, so that the launch is still sending when it is paused.
process.env.AWS_SES_ACCOUNT = localSesAccount(2);
const runtime = useRuntime({ schedulerTickMs: 300 });
const dir = mkdtempSync(join(tmpdir(), 'demarche-journey-'));

function demarche(token: string, ...args: string[]) {
  return demarcheApi(runtime().httpUrl, token, args, dir);
}

describe('the campaign journey through the CLI in API mode', { timeout: 600_000 }, () => {
  it('create, edit, approve, schedule, launch, pause, resume, follow-up, report, forget; the log names each sub', async () => {
    const alice = await asStaff('alice', ['campaigner']);
    const bob = await asStaff('bob', ['campaigner']);
    const list = join(dir, 'list.csv');
    writeFileSync(list, mixedCsv(24, 'journey'));
    const extra = join(dir, 'extra.csv');
    writeFileSync(
      extra,
      'email,name,group,country\nlate@journey-ngo.example.org,Late Signatory,ngo,BE\n',
    );
    const statement = repoPath('examples/statement.md');

    const created = await demarche(
      alice,
      'launch',
      '--statement',
      statement,
      '--recipients',
      list,
      '--no-progress',
    );
    expect(created.code).toBe(1);
    expect(created.stderr).toContain('is not approved');
    const id = /Campaign (c[0-9a-f]+) created/.exec(created.stdout)![1]!;

    const edited = await demarche(alice, 'edit', id, '--recipients', extra, '--append');
    expect(edited.stderr).toBe('');
    expect(edited.stdout).toContain('is now version 2');
    expect(edited.stdout).toContain('25 recipients');

    const self = await demarche(alice, 'approve', id);
    expect(self.code).toBe(1);
    expect(self.stderr).toContain('cannot approve it');
    const approved = await demarche(bob, 'approve', id, '--json');
    expect(approved.code).toBe(0);
    expect(JSON.parse(approved.stdout).version).toMatchObject({ number: 2, author: 'alice' });

    const at = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = await demarche(alice, 'schedule', id, '--at', at, '--any-time', '--json');
    expect(scheduled.stderr).toBe('');
    expect(JSON.parse(scheduled.stdout)).toMatchObject({ status: 'scheduled', scheduledAt: at });

    const launched = await demarche(alice, 'launch', id, '--no-wait', '--json');
    expect(launched.stderr).toBe('');
    expect(JSON.parse(launched.stdout)).toMatchObject({ id, status: 'sending' });
    const paused = await demarche(alice, 'pause', id, '--reason', 'checking a name');
    expect(paused.stderr).toBe('');
    expect(paused.stdout).toContain('checking a name (paused by alice@example.org)');
    const resumed = await demarche(bob, 'resume', id);
    expect(resumed.stdout).toContain('resumed');
    const done = await until(
      async () =>
        JSON.parse((await demarche(bob, 'status', id, '--json')).stdout) as {
          status: string;
          sent: number;
        },
      (v) => v.status === 'completed',
      300_000,
    );
    expect(done.sent).toBe(25);

    const reminder = join(dir, 'reminder.txt');
    writeFileSync(
      reminder,
      'A reminder\n\nWe wrote to you ahead of the Council; we would welcome your answer.\n',
    );
    // Far enough ahead that the command's start-up on a busy machine does not pass it.
    const followUpAt = new Date(Date.now() + 40_000).toISOString();
    const followed = await demarche(
      alice,
      'follow-up',
      id,
      '--statement',
      reminder,
      '--audience',
      'not-replied',
      '--at',
      followUpAt,
      '--json',
    );
    expect(followed.stderr).toBe('');
    const followUp = JSON.parse(followed.stdout) as { id: string };
    expect((await demarche(bob, 'approve', followUp.id)).code).toBe(0);
    await until(
      () => runtime().deps().store.getCampaign(followUp.id),
      (c) => c?.status === 'completed',
      300_000,
    );

    const out = join(dir, 'report');
    const report = await demarche(bob, 'report', id, '--out', out, '--no-pdf');
    expect(report.stderr).toBe('');
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('Protect civic space');

    const forgot = await demarche(alice, 'forget', 'person0@journey-minister.example.org');
    expect(forgot.stderr).toBe('');
    expect(forgot.stdout).toMatch(/Erasure job f[0-9a-f]+: erased from 2 campaign\(s\)/);

    const audit = JSON.parse((await demarche(bob, 'audit', id, '--json')).stdout) as {
      action: string;
      actor: string;
    }[];
    expect(audit.map((e) => `${e.action} ${e.actor}`)).toEqual([
      'created alice',
      'edited alice',
      'approved bob',
      'scheduled alice',
      'launched alice',
      'paused alice',
      'resumed bob',
      'followed-up alice',
      'exported bob',
      'erased alice',
    ]);
  });
});
