/**
 * `demarche rotate-key`, through the staff API: without options a new
 * current key (the old one keeps verifying the links it signed); `--retire
 * KEYID` removes a previous key once its links have expired (`--force` for a
 * key that leaked); `--list` shows the ring and who changed it. The server
 * records the signed-in person as the actor.
 */
import type { AuditEntry } from '../../core/governance/model.js';
import type { KeyRingSummary } from '../../core/key-ring.js';
import type { ActorOptions } from './governance.js';
import { withClient } from './status.js';

export async function rotateKeyCommand(
  opts: ActorOptions & { retire?: string; force?: boolean; list?: boolean },
): Promise<void> {
  await withClient(opts, async (client) => {
    if (opts.list) {
      const out = await client.call<{ ring: KeyRingSummary; audit: AuditEntry[] }>(
        'GET',
        '/api/keys',
      );
      if (opts.json) return void process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      const log = out.audit.map(
        (e) => `  ${e.at}  ${e.actorEmail ?? e.actor}  ${e.action}: ${e.detail ?? ''}`,
      );
      process.stdout.write(
        `${[ringText(out.ring), ...(log.length ? ['Changes:', ...log] : [])].join('\n')}\n`,
      );
      return;
    }
    const { ring } = opts.retire
      ? await client.call<{ ring: KeyRingSummary }>(
          'POST',
          `/api/keys/${encodeURIComponent(opts.retire)}/retire`,
          { force: opts.force ?? false },
        )
      : await client.call<{ ring: KeyRingSummary }>('POST', '/api/keys/rotate', {});
    if (opts.json) return void process.stdout.write(`${JSON.stringify({ ring }, null, 2)}\n`);
    const done = opts.retire
      ? `Key ${opts.retire} retired: its links and reply addresses are now refused.`
      : `New current key ${ring.current}: new letters are signed with it; letters already sent keep working.`;
    const previous = ring.keys.filter((k) => k.state === 'previous').map((k) => k.id);
    const next = previous.length
      ? `Retire a previous key once the campaigns sent with it have expired (the server refuses before then): ${previous.map((id) => `\`demarche rotate-key --retire ${id}\``).join(', ')}.`
      : '';
    process.stdout.write(`${[done, ringText(ring), next].filter(Boolean).join('\n')}\n`);
  });
}

/** The ring for people: which key signs, which still verify, which are gone. */
export function ringText(ring: KeyRingSummary): string {
  const keys = ring.keys.map(
    (k) =>
      `  ${k.id}  ${k.state === 'current' ? 'current (signs new letters)' : 'previous (verifies only)'}${k.createdAt ? `  since ${k.createdAt}` : ''}`,
  );
  const retired = ring.retired.map((k) => `  ${k.id}  retired ${k.retiredAt}`);
  return ['Keys:', ...keys, ...retired].join('\n');
}
