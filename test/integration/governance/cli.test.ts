/**
 * Two-person approval from the command line (the default mode): the author's
 * launch stops at a draft, the author cannot approve it, a second user can,
 * and then the stored campaign launches; `demarche audit` lists each step.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demarcheCli } from '../../support/cli.js';
import { ministersCsv, repoPath } from '../../support/fixtures.js';

const { dir, run: demarche } = demarcheCli('demarche-gov-cli-');

// Each command boots its own local runtime (a DynamoDB Local JVM among it): minutes on a busy machine.
describe('demarche approve and audit', { timeout: 1_200_000 }, () => {
  it('plan warns about officials whose addresses were not verified within the window', () => {
    const csv = join(dir, 'verified.csv');
    const old = new Date(Date.now() - 200 * 86_400_000).toISOString().slice(0, 10);
    const recent = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
    writeFileSync(
      csv,
      `email,name,group,country,source,lastVerified\nold@mfa.example.org,Old Minister,minister,FR,website,${old}\nnew@mfa.example.org,New Minister,minister,DE,phone,${recent}\nngo@example.org,NGO,ngo,BE,,\n`,
    );
    const statement = repoPath('examples/statement.md');
    const plan = demarche('plan', '--statement', statement, '--recipients', csv, '--json');
    expect(plan.stderr).toContain(
      'of 2 ministers and EU officials, 1 not verified in the last 90 days',
    );
    expect(plan.stderr).toContain(`old@mfa.example.org (${old})`);
    // The rate schedule uses: the local SES account's 200/s × the default 0.8 margin.
    expect(JSON.parse(plan.stdout).rate).toBe(160);
    expect(JSON.parse(plan.stdout).targets).toMatchObject({
      officials: 2,
      stale: 1,
      unverified: 0,
    });
    const wide = demarche(
      'plan',
      '--statement',
      statement,
      '--recipients',
      csv,
      '--verified-within',
      '365',
    );
    expect(wide.stderr).not.toContain('Warning');
    const bad = demarche(
      'plan',
      '--statement',
      statement,
      '--recipients',
      csv,
      '--verified-within',
      'soon',
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--verified-within');
  });

  it('launch waits for a second person; the author cannot approve; after approval the letters go', () => {
    const csv = join(dir, 'five.csv');
    writeFileSync(csv, ministersCsv(5).replaceAll('@mfa-', '@gov-cli-'));
    const first = demarche(
      '--as',
      'alice',
      'launch',
      '--statement',
      repoPath('../shared/samples/statement-belarus-2020.txt'),
      '--recipients',
      csv,
      '--deadline',
      new Date(Date.now() + 3 * 86_400_000).toISOString(),
      '--no-progress',
    );
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('is not approved');
    expect(first.stderr).toContain('other than its author (alice@staff.localhost (local:alice))');
    const id = /Campaign (c[0-9a-f]+) created/.exec(first.stdout)![1]!;
    expect(first.stdout).toContain('by alice@staff.localhost');

    const self = demarche('--as', 'alice', 'approve', id);
    expect(self.code).toBe(1);
    expect(self.stderr).toContain('alice@staff.localhost (local:alice) wrote version');

    const approve = demarche('--as', 'bob', 'approve', id, '--json');
    expect(approve.stderr).toBe('');
    expect(approve.code).toBe(0);
    const { version } = JSON.parse(approve.stdout) as { version: { hash: string; number: number } };
    expect(version.number).toBe(1);

    const launch = demarche('--as', 'alice', 'launch', id, '--json');
    expect(launch.stderr).toBe('');
    expect(launch.code).toBe(0);
    expect(JSON.parse(launch.stdout)).toMatchObject({ status: 'completed', sent: 5 });

    const audit = demarche('audit', id, '--json');
    expect(audit.code).toBe(0);
    const entries = JSON.parse(audit.stdout) as {
      action: string;
      actor: string;
      versionHash?: string;
    }[];
    // The server logs the verified subject of each local token: local:NAME.
    expect(entries.map((e) => `${e.action} ${e.actor}`)).toEqual([
      'created local:alice',
      'approved local:bob',
      'launched local:alice',
    ]);
    expect(entries[2]!.versionHash).toBe(version.hash);
    expect(demarche('audit', id, '--csv').stdout).toContain('at,actor,action,versionHash,detail');
    const again = demarche('audit', id);
    expect(again.stdout).toMatch(/exported\s+\S+/);
  });
});
