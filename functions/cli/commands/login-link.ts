/**
 * `demarche login-link [--role viewer]`: a fresh link into the local
 * dashboard, signed in as a campaigner or a viewer, without sending
 * anything. Attached to a runtime that `npm start` serves, it prints the link
 * and returns; with none running it starts the local runtime itself and
 * serves the dashboard until Ctrl-C, so the link it prints keeps working.
 */
import { DemarcheError } from '../../core/errors.js';
import { startLocalRuntime } from '../../local/runtime.js';
import { localUser, type TargetOptions } from '../target.js';

const ROLES = ['campaigner', 'viewer'] as const;

export async function loginLinkCommand(opts: TargetOptions & { role?: string }): Promise<void> {
  const role = (opts.role ?? 'campaigner') as (typeof ROLES)[number];
  if (!ROLES.includes(role))
    throw new DemarcheError(
      'OPTION_INVALID',
      `--role must be campaigner or viewer, not ${JSON.stringify(opts.role)}`,
    );
  if (opts.api || opts.target === 'api' || opts.target === 'aws')
    throw new DemarcheError(
      'LOCAL_ONLY',
      "login-link is for the local runtime: a deployment's dashboard signs you in with Cognito at its /dashboard/ address",
    );
  const runtime = await startLocalRuntime({ dataDir: opts.dataDir ?? '.demarche' });
  const name = localUser(opts);
  const token = await runtime.staffToken({
    sub: `local:${name}`,
    email: `${name}@staff.localhost`,
    groups: [role],
  });
  process.stdout.write(
    `Dashboard, signed in as ${name} (${role}):\n${runtime.httpUrl}/dashboard/#token=${token}\n`,
  );
  if (!runtime.owner) {
    await runtime.stop();
    return;
  }
  process.stdout.write('Serving the local runtime (no letters sent) until Ctrl-C.\n');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await runtime.stop();
}
