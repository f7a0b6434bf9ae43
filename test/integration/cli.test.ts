import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demarcheCli } from '../support/cli.js';
import { ministersCsv, repoPath } from '../support/fixtures.js';

// These tests are about sending; approval is tested in governance/, so single-person mode.
const { dir, run: demarche } = demarcheCli('demarche-cli-', { DEMARCHE_APPROVAL: 'single' });

// Each command boots its own local runtime (a DynamoDB Local JVM among it): minutes on a busy machine.
describe('the demarche command', { timeout: 600_000 }, () => {
  it('launches the shared plain-text statement to 30 recipients, and status reports 30 sent', () => {
    const csv = join(dir, 'thirty.csv');
    writeFileSync(csv, ministersCsv(30));
    const launched = demarche(
      'launch',
      '--statement',
      repoPath('../shared/samples/statement-belarus-2020.txt'),
      '--recipients',
      csv,
      '--deadline',
      new Date(Date.now() + 3 * 86_400_000).toISOString(),
      '--subject',
      'Belarus: joint statement',
      '--json',
    );
    // Plain text without --from or --signatory: the two defaults are said, nothing else.
    expect(launched.stderr.trim().split('\n')).toEqual([
      expect.stringContaining('warning: The letter ends "Signed by: demarche"'),
      expect.stringContaining('warning: The letter is sent as the default sender'),
    ]);
    expect(launched.code).toBe(0);
    const view = JSON.parse(launched.stdout);
    expect(view).toMatchObject({ status: 'completed', recipients: 30, sent: 30 });

    // A second process reads the same data folder: the status survives the runtime.
    const status = demarche('status', view.id, '--json');
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      id: view.id,
      sent: 30,
      counters: { sent: 30, failed: 0 },
    });
  });

  it('imports the good rows of a broken CSV and lists each bad one with line and reason', () => {
    const csv = join(dir, 'broken.csv');
    writeFileSync(
      csv,
      [
        'email,name,title,organisation,country,language,group,salutation',
        'good1@example.org,Ana Good,Minister,Ministry,FR,en,minister,',
        'broken-address,Bad Row,,,,,,',
        'good2@example.org,Bo Good,Minister,Ministry,DE,en,minister,',
        'good1@example.org,Ana Twice,,,,,,',
      ].join('\n'),
    );
    const out = demarche(
      'launch',
      '--statement',
      repoPath('examples/statement.md'),
      '--recipients',
      csv,
      '--deadline',
      new Date(Date.now() + 3 * 86_400_000).toISOString(),
      '--json',
    );
    expect(out.code).toBe(0);
    expect(out.stderr).toContain(
      `${csv}:3: skipped: email "broken-address" is not an email address; expected one such as minister@mfa.example.org`,
    );
    expect(out.stderr).toContain(`${csv}:5: skipped: email good1@example.org repeats line 2`);
    expect(JSON.parse(out.stdout)).toMatchObject({ recipients: 2, sent: 2 });
  });

  it('previews a row of a German Excel export, with the salutation rule and the defaults a recipient would notice', () => {
    const out = demarche(
      'preview',
      '--statement',
      repoPath('../shared/samples/statement-belarus-2020.txt'),
      '--recipients',
      repoPath('test/fixtures/recipients/excel-de-utf8-bom-semicolon-crlf.csv'),
      '--row',
      '2',
      '--lang',
      'en',
      '--out',
      join(dir, 'preview-de'),
      '--no-screenshot',
    );
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(
      'Salutation: "Dear State Secretary Weiß," — rank "State Secretary" from the title "Staatssekretär" (en, masculine)',
    );
    expect(out.stderr).toContain('warning: The letter ends "Signed by: demarche"');
    expect(out.stderr).toContain('is a placeholder a week ahead, not a real one: pass --deadline.');
    expect(out.stderr).toContain(
      'warning: 1 row asks for de, which the statement has no translation for',
    );
  });

  it('refuses a statement without a deadline, naming it, and sends nothing', () => {
    const csv = join(dir, 'one.csv');
    writeFileSync(csv, ministersCsv(1));
    const out = demarche(
      'launch',
      '--statement',
      repoPath('../shared/samples/statement-belarus-2020.txt'),
      '--recipients',
      csv,
    );
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/deadline: is required .*--deadline/);
  });
});

describe('a dry run', { timeout: 600_000 }, () => {
  it('composes every letter, mails none and leaves the campaign a draft', () => {
    const csv = join(dir, 'dry.csv');
    writeFileSync(csv, ministersCsv(25).replaceAll('@mfa-', '@dry-'));
    const out = demarche(
      'launch',
      '--dry-run',
      '--json',
      '--statement',
      repoPath('examples/statement.md'),
      '--recipients',
      csv,
      '--deadline',
      new Date(Date.now() + 3 * 86_400_000).toISOString(),
    );
    expect(out.code).toBe(0);
    const { dryRun } = JSON.parse(out.stdout);
    expect(dryRun).toMatchObject({ letters: 25, skipped: 0, byGroup: { minister: 25 } });
    expect(dryRun.largestHtmlBytes).toBeGreaterThan(1000);
    const status = JSON.parse(demarche('status', dryRun.campaignId, '--json').stdout);
    expect(status).toMatchObject({ status: 'draft', sent: 0, recipients: 25 });
  });
});
