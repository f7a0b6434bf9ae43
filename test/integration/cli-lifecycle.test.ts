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
import { inOfficeHours, type OfficeHours } from '../../functions/core/planner/time.js';
import { zoneForCountry } from '../../functions/core/planner/zones.js';

// The server decides approval: this test's runtime (which the CLI's calls reach) runs single-person mode.
process.env.DEMARCHE_APPROVAL = 'single';
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
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the lifecycle commands', { timeout: 600_000 }, () => {
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

    const scheduled = await demarche('schedule', campaign.id, '--at', at, '--any-time', '--json');
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

    const anyTimeNoAt = await demarche('schedule', campaign.id, '--any-time');
    expect(anyTimeNoAt.code).toBe(1);
    expect(anyTimeNoAt.stderr).toContain('--any-time needs --at');

    const missing = await demarche('resume', 'c-nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('demarche: campaign c-nope not found\n');
  });

  it('archive hides a draft from `campaigns` and --undo lists it again; delete asks for --yes', async () => {
    const { campaign } = await draftCampaign(runtime(), 3, 'cli-tidy');
    const archived = await demarche('archive', campaign.id);
    expect(archived.stderr).toBe('');
    expect(archived.stdout).toContain(`Campaign ${campaign.id} is archived`);
    expect((await demarche('campaigns')).stdout).not.toContain(campaign.id);
    expect((await demarche('campaigns', '--archived')).stdout).toMatch(
      new RegExp(`${campaign.id} .*\\[archived\\]`),
    );
    expect((await demarche('archive', campaign.id, '--undo')).stdout).toBe(
      `Campaign ${campaign.id} is listed again.\n`,
    );

    const unsure = await demarche('delete', campaign.id);
    expect(unsure.code).toBe(1);
    expect(unsure.stderr).toContain('add --yes to go ahead');
    expect((await runtime().deps().store.getCampaign(campaign.id))!.deleted).toBeUndefined();
    const deleted = await demarche('delete', campaign.id, '--yes', '--reason', 'a test draft');
    expect(deleted.stderr).toBe('');
    expect(deleted.stdout).toMatch(
      /is deleted: \d+ items removed; its versions and audit log are kept/,
    );
    expect((await runtime().deps().store.recipientsPage(campaign.id)).items).toEqual([]);
    expect((await demarche('campaigns', '--archived')).stdout).not.toContain(campaign.id);
  });

  it('schedule takes the plan: a start inside office hours, or a refusal with the shortfall', async () => {
    const { campaign, recipients } = await draftCampaign(runtime(), 3, 'cli-plan');
    const planned = await demarche('schedule', campaign.id, '--json');
    expect(planned.stderr).toBe('');
    const out = JSON.parse(planned.stdout) as {
      status: string;
      scheduledAt: string;
      plan: { feasible: boolean; letters: number; start: string; finish: string; deadline: string };
      delivery: { hours: OfficeHours; zone: string };
    };
    expect(out).toMatchObject({ status: 'scheduled', plan: { feasible: true, letters: 3 } });
    expect(out.scheduledAt).toBe(new Date(out.plan.start).toISOString());
    expect(Date.parse(out.plan.finish)).toBeLessThan(Date.parse(out.plan.deadline));
    // The proposed start is inside the office hours of the first recipients to be written to.
    expect(
      recipients.some((r) =>
        inOfficeHours(zoneForCountry(r.country)!, out.delivery.hours, Date.parse(out.scheduledAt)),
      ),
    ).toBe(true);

    // Twenty letters at one an hour, one hour a day, in a week: the plan does not fit.
    const big = await draftCampaign(runtime(), 20, 'cli-nofit');
    const refused = await demarche(
      'schedule',
      big.campaign.id,
      '--rate',
      '1/h',
      '--window',
      '08:00-09:00',
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /cannot be scheduled: Cannot land all 20 letters .* would miss it/,
    );
    expect((await runtime().deps().store.getCampaign(big.campaign.id))!.status).toBe('draft');
  });
});
