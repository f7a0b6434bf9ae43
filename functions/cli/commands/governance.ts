/**
 * `demarche approve | audit | forget`, through the staff API: the server
 * decides whether the signed-in person (locally: `--as NAME`) may approve,
 * compares them with the version's author by sub, and logs each action.
 */
import type { Approval, AuditEntry, CampaignVersion } from '../../core/governance/model.js';
import { shortHash } from '../../core/governance/model.js';
import type { ForgetResult } from '../../core/governance/privacy.js';
import type { TargetOptions } from '../target.js';
import { withClient } from './status.js';

export type ActorOptions = TargetOptions & { json?: boolean };

const who = (sub: string, email?: string) => (email ? `${email} (${sub})` : sub);

/**
 * Approves the campaign's current version. Without --hash the version the
 * command reads (and prints) is the one approved: if it changes meanwhile,
 * the server refuses.
 */
export async function approveCommand(
  campaignId: string,
  opts: ActorOptions & { hash?: string },
): Promise<void> {
  await withClient(opts, async (client) => {
    const id = encodeURIComponent(campaignId);
    let hash = opts.hash;
    if (!hash || hash.length < 64) {
      const { versions } = await client.call<{ versions: CampaignVersion[] }>(
        'GET',
        `/api/campaigns/${id}/versions`,
      );
      const current = versions.at(-1);
      // A short hash must be the start of the current one; anything else is sent as it is (refused).
      hash = current && (!hash || current.hash.startsWith(hash)) ? current.hash : (hash ?? '');
    }
    const out = await client.call<{ version: CampaignVersion; approval: Approval; mode: string }>(
      'POST',
      `/api/campaigns/${id}/approve`,
      { hash },
    );
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      return;
    }
    const { version, approval, mode } = out;
    process.stdout.write(
      `Campaign ${campaignId} version ${version.number} (${shortHash(version.hash)}, by ${who(version.author, version.authorEmail)}) approved by ${who(approval.approver, approval.approverEmail)}${mode === 'single' ? ' (single-person mode)' : ''}.\n` +
        `Launch it: npx demarche launch ${campaignId}   (any change before launch voids this approval)\n`,
    );
  });
}

/** Prints a campaign's audit log, oldest first, as a table, JSON or CSV (the CSV export is logged). */
export async function auditCommand(
  campaignId: string,
  opts: ActorOptions & { csv?: boolean },
): Promise<void> {
  await withClient(opts, async (client) => {
    const id = encodeURIComponent(campaignId);
    if (opts.csv) {
      process.stdout.write(
        (await client.text('GET', `/api/campaigns/${id}/audit.csv`)).replace(/^\uFEFF/, ''),
      );
      return;
    }
    const { items } = await client.call<{ items: AuditEntry[] }>(
      'GET',
      `/api/campaigns/${id}/audit`,
    );
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
      return;
    }
    for (const e of items) {
      const v = e.versionHash ? ` [${shortHash(e.versionHash)}]` : '';
      process.stdout.write(
        `${e.at}  ${e.action.padEnd(14)} ${who(e.actor, e.actorEmail)}${v}${e.detail ? `  ${e.detail}` : ''}\n`,
      );
    }
  });
}

/** Erases a person's personal data from every campaign; `--suppress` also puts the address on the suppression list. */
export async function forgetCommand(
  email: string,
  opts: ActorOptions & { suppress?: boolean },
): Promise<void> {
  await withClient(opts, async (client) => {
    const result = await client.call<ForgetResult>('POST', '/api/privacy/forget', {
      email,
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
  });
}
