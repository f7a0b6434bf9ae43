/**
 * Where the CLI works, and as whom. Every command that reads or writes a
 * campaign is a call to the staff API; only the target differs:
 *
 * - locally (the default), the runtime `npm start` serves from the data
 *   folder (or one started in this process), with a local token the CLI mints
 *   for `--as NAME` (else DEMARCHE_USER, else the OS user): subject
 *   `local:NAME`, signed with the runtime's own key;
 * - a deployment (`--api URL`, DEMARCHE_API_URL, or the profile that
 *   `demarche login` wrote), with the ID token of `demarche login` (or
 *   DEMARCHE_TOKEN as it is). `--as` is refused there: who you are is who
 *   signed in. No AWS credentials are needed.
 */
import { userInfo } from 'node:os';
import { ENV } from '../adapters/config.js';
import { DemarcheError } from '../core/errors.js';
import type { LocalRuntime } from '../local/runtime.js';
import { idTokenFor, profileApi } from './credentials.js';

export interface TargetOptions {
  target?: string;
  dataDir?: string;
  /** The deployment's API base URL. */
  api?: string;
  /** Local only: who acts. */
  as?: string;
  /** An already running runtime of this process (the demo); it is used and left running. */
  runtime?: LocalRuntime;
}

export class ApiError extends DemarcheError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(code, message, { status, ...details });
  }
}

export interface Client {
  kind: 'local' | 'api';
  base: string;
  /** Who the token names (local: `local:NAME`). */
  who: string;
  /** True when the runtime serving the API lives in this process (it stops when the command ends). */
  inProcess: boolean;
  runtime?: LocalRuntime;
  call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  /** The body as text (CSV exports). */
  text(method: string, path: string): Promise<string>;
  /** The body as bytes, untouched (raw messages in whatever charset they came). */
  bytes(method: string, path: string): Promise<Buffer>;
  /** Uploads a list through POST /api/uploads, as its bytes (any encoding); returns the upload id. */
  upload(csv: string | Uint8Array): Promise<string>;
  /** The same target as another local user (the demo's second person). */
  as(name: string): Promise<Client>;
  stop(): Promise<void>;
}

/** The acting local user: --as, else DEMARCHE_USER, else the login name of this process. */
export function localUser(opts: { as?: string }): string {
  let name = opts.as ?? process.env[ENV.cliUser];
  if (!name) {
    try {
      name = userInfo().username;
    } catch {
      name = 'cli';
    }
  }
  const clean = name.trim().replace(/[^A-Za-z0-9._@-]/g, '-');
  return clean || 'cli';
}

function apiUrl(opts: TargetOptions): string | undefined {
  if (opts.target === 'local') return undefined;
  const url = opts.api ?? process.env.DEMARCHE_API_URL ?? profileApi();
  if (!url) {
    if (opts.target === 'api' || opts.target === 'aws')
      throw new DemarcheError(
        'NO_API',
        'which deployment? give --api URL (or DEMARCHE_API_URL), or run demarche login --api URL once',
      );
    return undefined;
  }
  if (!/^https?:\/\/[^\s/]+/.test(url))
    throw new DemarcheError('OPTION_INVALID', `--api ${JSON.stringify(url)} is not an http(s) URL`);
  return url.replace(/\/+$/, '');
}

async function errorOf(res: Response, kind: Client['kind']): Promise<ApiError> {
  const text = await res.text();
  let body: { code?: string; message?: string; details?: Record<string, unknown> } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = { message: text.slice(0, 300) || res.statusText };
  }
  let message = body.message ?? `HTTP ${res.status}`;
  if (res.status === 401)
    message =
      kind === 'api'
        ? `${message} (run demarche login)`
        : `${message} (the local runtime's key changed: run the command again)`;
  return new ApiError(res.status, body.code ?? `HTTP_${res.status}`, message, body.details ?? {});
}

function client(
  kind: Client['kind'],
  base: string,
  who: string,
  token: () => Promise<string>,
  extra: Pick<Client, 'inProcess' | 'runtime' | 'as' | 'stop'>,
): Client {
  const request = async (method: string, path: string, body?: unknown, type?: string) => {
    const headers: Record<string, string> = { authorization: `Bearer ${await token()}` };
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      headers['content-type'] = type ?? 'application/json';
    }
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers,
        ...(payload !== undefined ? { body: payload } : {}),
      });
    } catch (err) {
      throw new DemarcheError(
        'API_UNREACHABLE',
        `cannot reach the demarche API at ${base}: ${(err as Error).message}`,
      );
    }
    if (!res.ok) throw await errorOf(res, kind);
    return res;
  };
  return {
    kind,
    base,
    who,
    ...extra,
    async call<T>(method: string, path: string, body?: unknown) {
      return (await (await request(method, path, body)).json()) as T;
    },
    async text(method: string, path: string) {
      return (await request(method, path)).text();
    },
    async bytes(method: string, path: string) {
      return Buffer.from(await (await request(method, path)).arrayBuffer());
    },
    async upload(csv: string | Uint8Array) {
      const slot = await this.call<{
        id: string;
        url: string;
        method: string;
        headers: Record<string, string>;
      }>('POST', '/api/uploads', {});
      // The local runtime's upload route wants the staff token; S3's presigned URL carries its own.
      const own = slot.url.startsWith(`${base}/`);
      const res = await fetch(slot.url, {
        method: slot.method,
        headers: { ...slot.headers, ...(own ? { authorization: `Bearer ${await token()}` } : {}) },
        body: csv,
      });
      if (!res.ok) throw await errorOf(res, kind);
      return slot.id;
    },
  };
}

export async function openTarget(opts: TargetOptions): Promise<Client> {
  const url = apiUrl(opts);
  if (url) {
    if (opts.as)
      throw new DemarcheError(
        'AS_REFUSED',
        `--as works only with the local runtime; against ${url} you act as the person signed in with demarche login`,
      );
    const given = process.env.DEMARCHE_TOKEN?.trim();
    const token = given ? async () => given : () => idTokenFor(url);
    return client('api', url, 'the signed-in user', token, {
      inProcess: false,
      as: async () => {
        throw new DemarcheError('AS_REFUSED', 'only the local runtime can act as another user');
      },
      stop: async () => {},
    });
  }
  const { startLocalRuntime } = await import('../local/runtime.js');
  const runtime =
    opts.runtime ?? (await startLocalRuntime({ dataDir: opts.dataDir ?? '.demarche' }));
  const local = async (name: string): Promise<Client> => {
    const sub = `local:${name}`;
    // Signed with the runtime's key (or, on emulated AWS, a Cognito ID token of that user).
    const token = await runtime.staffToken({
      sub,
      email: `${name}@staff.localhost`,
      groups: ['campaigner'],
    });
    return client(
      'local',
      runtime.httpUrl.replace('localhost', '127.0.0.1'),
      sub,
      async () => token,
      {
        inProcess: runtime.owner,
        runtime,
        as: (other) => local(other),
        stop: async () => {
          if (!opts.runtime) await runtime.stop();
        },
      },
    );
  };
  return local(localUser(opts));
}
