/**
 * One staff API call over HTTP with a bearer token, as the dashboard and the
 * CLI make it: a body that is not a string is sent as JSON; the answer comes
 * back as status, parsed JSON (empty when it is CSV or HTML) and text.
 */
export async function apiCall(
  baseUrl: string,
  method: string,
  path: string,
  token: string,
  body?: unknown,
  type?: string,
) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': type ?? 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* CSV, HTML */
  }
  return { status: res.status, json, text };
}
