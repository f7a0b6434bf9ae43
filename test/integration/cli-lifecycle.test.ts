/**
 * `demarche schedule | pause | resume | cancel` in a second process, attached
 * to a runtime this test serves from a data folder (as `npm start` does).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoPath } from '../support/fixtures.js';
import { draftCampaign } from '../support/campaigns.js';
import { useRuntime } from '../support/runtime.js';

const dir = mkdtempSync(join(tmpdir(), 'demarche-cli-lifecycle-'));
const runtime = useRuntime({ dataDir: dir, reuse: false, schedulerTickMs: 0 });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function demarche(
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [repoPath('bin/demarche.js'), '--data-dir', dir, ...args],
      {
        // Single-person approval (issue 11): these tests are about the lifecycle, not approval.
        env: {
          ...process.env,
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          DEMARCHE_APPROVAL: 'single',
        },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the lifecycle commands', { timeout: 120_000 }, () => {
  it('schedule, then cancel, a draft; refuse what the state does not allow', async () => {
    const { campaign } = await draftCampaign(runtime(), 3, 'cli-life');
    const at = new Date(Date.now() + 3_600_000).toISOString();

    const paused = await demarche('pause', campaign.id);
    expect(paused.code).toBe(1);
    expect(paused.stderr).toBe(
      `demarche: Campaign ${campaign.id}: cannot pause a campaign that is draft\n`,
    );

    const badTime = await demarche('schedule', campaign.id, '--at', '2027-01-10 08:00');
    expect(badTime.code).toBe(1);
    expect(badTime.stderr).toContain('is not an ISO 8601 time with a zone');

    const scheduled = await demarche('schedule', campaign.id, '--at', at, '--json');
    expect(scheduled.stderr).toBe('');
    expect(JSON.parse(scheduled.stdout)).toMatchObject({
      id: campaign.id,
      status: 'scheduled',
      scheduledAt: at,
    });

    const cancelled = await demarche('cancel', campaign.id);
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toBe(
      `Campaign ${campaign.id} is cancelled; 3 letters not yet sent will not be.\n`,
    );
    expect((await runtime().deps().store.getCampaign(campaign.id))!.status).toBe('cancelled');

    const missing = await demarche('resume', 'c-nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('demarche: campaign c-nope not found\n');
  });
});
