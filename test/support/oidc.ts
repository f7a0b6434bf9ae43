/**
 * A small OAuth 2.0 / OpenID Connect authorization server on 127.0.0.1, shaped
 * like Cognito's hosted UI: /oauth2/authorize (a user who signs in at once:
 * it redirects back with a code), /oauth2/token (authorization code with
 * PKCE S256 checked for real, and refresh tokens), /.well-known/jwks.json.
 * Its ID tokens are RS256 JWTs with Cognito's claims, so the staff API
 * verifies them exactly as it verifies Cognito's.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

export interface OidcServer {
  url: string;
  clientId: string;
  /** Grants answered so far, by type. */
  grants: Record<string, number>;
  /** Authorization requests refused (wrong client, redirect, PKCE …), with the reason. */
  refusals: string[];
  stop(): Promise<void>;
}

export async function startOidc(user: {
  sub: string;
  email: string;
  groups: string[];
  clientId?: string;
  ttlSeconds?: number;
}): Promise<OidcServer> {
  const clientId = user.clientId ?? 'dashboard-client';
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { challenge: string; redirect: string; used: boolean }>();
  const refresh = new Set<string>();
  const grants: Record<string, number> = {};
  const refusals: string[] = [];
  let url = '';
  const idToken = () =>
    new SignJWT({
      token_use: 'id',
      email: user.email,
      email_verified: true,
      'cognito:groups': user.groups,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
      .setSubject(user.sub)
      .setIssuer(url)
      .setAudience(clientId)
      .setIssuedAt()
      .setExpirationTime(`${user.ttlSeconds ?? 3600}s`)
      .sign(privateKey);

  const server: Server = createServer((req, res) => {
    void (async () => {
      const u = new URL(req.url ?? '/', url);
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) =>
        res
          .writeHead(status, { 'content-type': 'application/json', ...headers })
          .end(typeof body === 'string' ? body : JSON.stringify(body));
      if (u.pathname === '/.well-known/jwks.json') return send(200, { keys: [jwk] });
      if (u.pathname === '/oauth2/authorize') {
        const q = u.searchParams;
        const redirect = q.get('redirect_uri') ?? '';
        const refuse = (why: string) => {
          refusals.push(why);
          send(400, { error: 'invalid_request', error_description: why });
        };
        if (q.get('client_id') !== clientId) return refuse('unknown client');
        if (q.get('response_type') !== 'code') return refuse('not the code flow');
        if (!/^http:\/\/localhost:\d+\/callback$/.test(redirect))
          return refuse('redirect not registered');
        if (q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge'))
          return refuse('no PKCE challenge');
        const code = randomBytes(12).toString('hex');
        codes.set(code, { challenge: q.get('code_challenge')!, redirect, used: false });
        const back = new URL(redirect);
        back.searchParams.set('code', code);
        back.searchParams.set('state', q.get('state') ?? '');
        return send(302, '', { location: back.href });
      }
      if (u.pathname === '/oauth2/token' && req.method === 'POST') {
        let raw = '';
        for await (const c of req) raw += c;
        const form = new URLSearchParams(raw);
        const grant = form.get('grant_type') ?? '';
        if (form.get('client_id') !== clientId) return send(400, { error: 'invalid_client' });
        if (grant === 'authorization_code') {
          const entry = codes.get(form.get('code') ?? '');
          const verifier = form.get('code_verifier') ?? '';
          const challenge = createHash('sha256').update(verifier).digest('base64url');
          if (
            !entry ||
            entry.used ||
            entry.redirect !== form.get('redirect_uri') ||
            entry.challenge !== challenge
          )
            return send(400, { error: 'invalid_grant' });
          entry.used = true;
        } else if (grant === 'refresh_token') {
          if (!refresh.has(form.get('refresh_token') ?? ''))
            return send(400, { error: 'invalid_grant' });
        } else return send(400, { error: 'unsupported_grant_type' });
        grants[grant] = (grants[grant] ?? 0) + 1;
        const rt = randomBytes(16).toString('hex');
        refresh.add(rt);
        return send(200, {
          id_token: await idToken(),
          access_token: 'unused-access-token',
          token_type: 'Bearer',
          expires_in: user.ttlSeconds ?? 3600,
          ...(grant === 'authorization_code' ? { refresh_token: rt } : {}),
        });
      }
      send(404, { error: 'not_found' });
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    url,
    clientId,
    grants,
    refusals,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
