/**
 * A campaign from the directory on the command line, as a campaigner works:
 * import the directory, launch a statement to two tags plus ad-hoc rows from
 * a Windows-1252 spreadsheet export (one of them an address the selection
 * already has, refused by line), a second person approves, the stored
 * campaign launches. Every step is the `demarche` command against the local
 * runtime, so the CLI is tested as the API client it is.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demarcheCli } from '../../support/cli.js';
import { DIRECTORY_V1 } from '../../support/directory.js';
import { repoPath } from '../../support/fixtures.js';

// Two-person approval, the default: the author's launch stops at a draft.
const { dir, run: demarche } = demarcheCli('demarche-dir-cli-');

// Each command boots its own local runtime (a DynamoDB Local JVM among it): minutes on a busy machine.
describe('demarche launch from the directory', { timeout: 1_200_000 }, () => {
  it('takes two tags plus ad-hoc rows, refuses a row the selection has, and sends once approved', () => {
    const targets = join(dir, 'targets.csv');
    writeFileSync(targets, DIRECTORY_V1);
    const imported = demarche('--as', 'alice', 'targets', 'import', targets, '--apply', 'all');
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toContain('Applied: 5 new, 0 changed, 0 archived.');

    // Ad-hoc rows as a spreadsheet in a Western European locale saves them: Windows-1252, semicolons, CRLF.
    const adHoc = join(dir, 'ad-hoc.csv');
    writeFileSync(
      adHoc,
      Buffer.from(
        [
          'email;name;group;country;organisation',
          'success+adhoc@simulator.amazonses.com;Zoë Müller;ngo;NL;Stichting Vrije Pers',
          'success+fr@simulator.amazonses.com;Claire Lefèvre;minister;FR;',
        ].join('\r\n'),
        'latin1',
      ),
    );
    const statement = repoPath('../shared/samples/statement-belarus-2020.txt');
    const deadline = new Date(Date.now() + 3 * 86_400_000).toISOString();

    // A selection that takes nobody, and no rows: refused, nothing created.
    const none = demarche(
      '--as',
      'alice',
      'launch',
      '--statement',
      statement,
      '--deadline',
      deadline,
      '--tag',
      'COREPER I',
    );
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('the selection takes no target and there are no ad-hoc rows');

    const first = demarche(
      '--as',
      'alice',
      'launch',
      '--statement',
      statement,
      '--deadline',
      deadline,
      '--subject',
      'Belarus: joint statement',
      '--tag',
      'fac',
      '--tag',
      'EaP focal points',
      '--recipients',
      adHoc,
      '--no-progress',
    );
    // Created, then stopped: the author cannot launch an unapproved version.
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('is not approved');
    expect(first.stderr).toContain(
      `${adHoc}:3: skipped: email success+fr@simulator.amazonses.com is already in the selection (target Claire Lefèvre); the row is not added again`,
    );
    expect(first.stdout).toMatch(
      /Campaign (c[0-9a-f]+) created from the directory \(tag fac or EaP focal points\): 3 targets and 1 ad-hoc rows\./,
    );
    expect(first.stdout).toContain('Read 4 recipients (1 rows skipped).');
    const id = /Campaign (c[0-9a-f]+) created/.exec(first.stdout)![1]!;

    const approved = demarche('--as', 'bob', 'approve', id, '--json');
    expect(approved.code, approved.stderr).toBe(0);

    const launched = demarche('--as', 'alice', 'launch', id, '--json');
    expect(launched.code, launched.stderr).toBe(0);
    const view = JSON.parse(launched.stdout) as {
      counters: { sent: number; fallbacks: number };
    };
    expect(view).toMatchObject({ id, status: 'completed', recipients: 4 });
    // The Swedish minister's primary is SES's bounce simulator: its hard bounce moves the letter
    // to the fallback the campaign took from the target (sent − 1, fallbacks + 1) and sends it
    // again, so the status read at completion finds it sent again or on its way.
    const { sent, fallbacks } = view.counters;
    expect(sent === 4 || (sent === 3 && fallbacks === 1), JSON.stringify(view.counters)).toBe(true);

    const audit = demarche('audit', id, '--json');
    const entries = JSON.parse(audit.stdout) as { action: string; actor: string }[];
    const steps = entries.map((e) => `${e.action} ${e.actor}`);
    expect(steps.slice(0, 3)).toEqual([
      'created local:alice',
      'approved local:bob',
      'launched local:alice',
    ]);
    // The Swedish minister's primary is SES's bounce simulator: once its hard bounce is in, the
    // letter moves on to the fallback the campaign took from the target (the events function's step).
    expect(steps.slice(3).every((s) => s === 'fallback demarche')).toBe(true);
  });
});
