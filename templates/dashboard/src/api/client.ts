/**
 * Talking to the staff API: the staff token from sessionStorage as a bearer
 * header, JSON in and out, errors as ApiError with the server's code and
 * message. A 401 clears the token and tells the app to ask for sign-in.
 */
const TOKEN_KEY = 'demarche.token';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

let signedOut: () => void = () => undefined;
/** Called when the API says the token is no longer good. */
export function onSignedOut(fn: () => void): void {
  signedOut = fn;
}

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(path, {
    ...init,
    headers: { authorization: `Bearer ${session.token() ?? ''}`, ...init.headers },
  });
  if (res.status === 401) {
    session.clear();
    signedOut();
    throw new ApiError(401, 'UNAUTHORIZED', 'Your sign-in has expired: sign in again.');
  }
  if (!res.ok) {
    const type = res.headers.get('content-type') ?? '';
    const body = type.includes('json')
      ? ((await res.json()) as { code?: string; message?: string; details?: unknown })
      : { message: await res.text() };
    throw new ApiError(
      res.status,
      body.code ?? `HTTP_${res.status}`,
      body.message || `The server answered ${res.status}.`,
      body.details,
    );
  }
  return res;
}

export async function get<T>(path: string): Promise<T> {
  return (await (await call(path)).json()) as T;
}

export async function post<T>(path: string, body: unknown = {}): Promise<T> {
  const res = await call(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as T;
}

/** Fetches a file from the API (it needs the bearer header, so a plain link would not do) and saves it. */
export async function download(path: string, filename: string): Promise<void> {
  const blob = await (await call(path)).blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** A response's text (an HTML page to print), with the session's token. */
export async function text(path: string): Promise<string> {
  return (await call(path)).text();
}

/** A campaign's API path: /api/campaigns/<id><rest>. */
export const campaignPath = (id: string, rest = '') =>
  `/api/campaigns/${encodeURIComponent(id)}${rest}`;
