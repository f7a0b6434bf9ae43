/** Calls to the local runtime's staff API as a signed-in person would make them. */
import { ENV } from '../../functions/adapters/config.js';
import { issueLocalToken } from '../../functions/adapters/staff-auth.js';
import type { LocalRuntime } from '../../functions/local/runtime.js';

/** A local staff token for `sub`, email `${sub}@example.org` (verified), in `groups`. */
export function asStaff(sub: string, groups: ('campaigner' | 'viewer')[]): Promise<string> {
  return issueLocalToken(process.env[ENV.authKeyFile]!, {
    sub,
    email: `${sub}@example.org`,
    groups,
  });
}

export async function api(
  runtime: LocalRuntime,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; raw?: string; type?: string } = {},
): Promise<{ status: number; json: Record<string, unknown>; text: string }> {
  const body = opts.raw ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined);
  const res = await fetch(`${runtime.httpUrl}${path}`, {
    method,
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(body !== undefined ? { 'content-type': opts.type ?? 'application/json' } : {}),
    },
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* not JSON */
  }
  return { status: res.status, json, text };
}

/** Polls `read` until `done` holds, at most `ms`. */
export async function until<T>(
  read: () => Promise<T>,
  done: (v: T) => boolean,
  ms = 120_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > end) throw new Error(`gave up waiting: ${JSON.stringify(v).slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
