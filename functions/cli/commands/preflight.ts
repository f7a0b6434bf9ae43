/**
 * `demarche preflight CAMPAIGN`: what would make SES refuse the campaign's
 * letters, checked now by the server (GET …/preflight, core/preflight.ts),
 * each failed check with what fixes it; exits 1 when any check fails.
 * Launch and schedule run the same checks.
 */
import type { PreflightReport } from '../../core/preflight.js';
import type { TargetOptions } from '../target.js';
import { withClient } from './status.js';

export async function preflightCommand(
  campaignId: string,
  opts: TargetOptions & { json?: boolean; at?: string },
): Promise<void> {
  await withClient(opts, async (client) => {
    const q = opts.at ? `?at=${encodeURIComponent(opts.at)}` : '';
    const report = await client.call<PreflightReport>(
      'GET',
      `/api/campaigns/${encodeURIComponent(campaignId)}/preflight${q}`,
    );
    if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      const lines = [
        `Preflight of campaign ${campaignId} (${report.letters} letters): ${report.ok ? 'ready to send' : 'NOT ready'}`,
      ];
      if (!report.checks.length) lines.push('  dry run: nothing is mailed, nothing to check');
      for (const c of report.checks) {
        lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.id.padEnd(17)} ${c.detail}`);
        if (!c.ok && c.fix) lines.push(`       ${''.padEnd(17)} to fix: ${c.fix}`);
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    if (!report.ok) process.exitCode = 1;
  });
}
