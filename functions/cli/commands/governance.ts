/**
 * `demarche approve | audit` and the acting user (issue 11). The local CLI
 * has no login: `--as NAME` (or DEMARCHE_USER, else the OS user) says who is
 * acting, so two people sharing a laptop runtime, or a demo, can play author
 * and approver. In AWS the staff API, behind Cognito, is the trusted path.
 */
import { userInfo } from 'node:os';
import { ENV } from '../../adapters/config.js';
import { NotFoundError } from '../../core/errors.js';
import { approveVersion } from '../../core/governance/govern.js';
import { forgetPerson } from '../../core/governance/privacy.js';
import { privacyStoreFor } from '../../adapters/dynamo-privacy.js';
import type { AuditEntry } from '../../core/governance/model.js';
import { shortHash } from '../../core/governance/model.js';
import { csvCell } from '../../api/view.js';
import { openTarget, type TargetOptions } from '../target.js';

export type ActorOptions = TargetOptions & { as?: string; json?: boolean };

/** The acting user: --as, else DEMARCHE_USER, else the login name of this process. */
export function cliActor(opts: { as?: string }): string {
  const name = (opts.as ?? process.env[ENV.cliUser] ?? safeUser()).trim();
  return name || 'cli';
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'cli';
  }
}

/** Approves the campaign's current version as the acting user. */
export async function approveCommand(
  campaignId: string,
  opts: ActorOptions & { hash?: string },
): Promise<void> {
  const target = await openTarget(opts);
  try {
    const d = target.deps;
    const { version, approval } = await approveVersion(d, campaignId, cliActor(opts), opts.hash);
    if (opts.json) {
      process.stdout.write(
        `${JSON.stringify({ version, approval, mode: d.approvalMode }, null, 2)}\n`,
      );
      return;
    }
    process.stdout.write(
      `Campaign ${campaignId} version ${version.number} (${shortHash(version.hash)}, by ${version.author}) approved by ${approval.approver}${d.approvalMode === 'single' ? ' (single-person mode)' : ''}.\n` +
        `Launch it: npx demarche launch ${campaignId}   (any change before launch voids this approval)\n`,
    );
  } finally {
    await target.stop();
  }
}

/** Prints a campaign's audit log, oldest first, as a table, JSON or CSV. */
export async function auditCommand(
  campaignId: string,
  opts: ActorOptions & { csv?: boolean },
): Promise<void> {
  const target = await openTarget(opts);
  try {
    const d = target.deps;
    if (!(await d.store.getCampaign(campaignId))) throw new NotFoundError('campaign', campaignId);
    const entries: AuditEntry[] = [];
    let cursor: string | undefined;
    do {
      const page = await d.governance.auditLog(campaignId, cursor);
      entries.push(...page.items);
      cursor = page.cursor;
    } while (cursor);
    if (opts.csv || opts.json) {
      await d.governance.appendAudit({
        campaignId,
        at: d.clock.now().toISOString(),
        actor: cliActor(opts),
        action: 'exported',
        detail: `audit log (${opts.csv ? 'CSV' : 'JSON'}, CLI)`,
      });
    }
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    } else if (opts.csv) {
      const cols = ['at', 'actor', 'action', 'versionHash', 'detail'] as const;
      const lines = [cols.join(',')];
      for (const e of entries) lines.push(cols.map((k) => csvCell(e[k])).join(','));
      process.stdout.write(`${lines.join('\r\n')}\r\n`);
    } else {
      for (const e of entries) {
        const v = e.versionHash ? ` [${shortHash(e.versionHash)}]` : '';
        process.stdout.write(
          `${e.at}  ${e.action.padEnd(14)} ${e.actor}${v}${e.detail ? `  ${e.detail}` : ''}\n`,
        );
      }
    }
  } finally {
    await target.stop();
  }
}

/** Erases a person's personal data from every campaign; `--suppress` also puts the address on the suppression list. */
export async function forgetCommand(
  email: string,
  opts: ActorOptions & { suppress?: boolean },
): Promise<void> {
  const target = await openTarget(opts);
  try {
    const d = target.deps;
    const result = await forgetPerson({ ...d, privacy: privacyStoreFor(d.config) }, email, {
      actor: cliActor(opts),
      suppress: opts.suppress ?? false,
    });
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return;
    }
    const lines = result.campaigns.map(
      (c) =>
        `  ${c.campaignId}: recipient record ${c.recipient ? 'anonymised' : 'not present'}, ${c.timeline} timeline entries, ${c.replies} replies and ${c.rawMessages} raw messages deleted${c.fallbackOf ? `; removed as the fallback of ${c.fallbackOf} recipient(s)` : ''}`,
    );
    process.stdout.write(
      [
        `Erased from ${result.campaigns.length} campaign(s); campaign counts unchanged.`,
        ...lines,
        ...(result.unmatchedReplies
          ? [
              `  ${result.unmatchedReplies} unmatched replies (${result.unmatchedRawMessages} raw messages) deleted`,
            ]
          : []),
        result.suppressed
          ? '  The address is on the suppression list as a keyed hash, never in plain text (so it is never mailed again).'
          : '  The address is not on the suppression list.',
        '',
      ].join('\n'),
    );
  } finally {
    await target.stop();
  }
}
