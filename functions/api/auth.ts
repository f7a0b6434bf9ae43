/**
 * Who is calling, and may they? Every staff route goes through `authorise`.
 * In AWS the HTTP API's JWT authorizer has verified the token and put its
 * claims in requestContext.authorizer.jwt.claims; otherwise (locally, or a
 * route deployed without the authorizer) the bearer token is verified here.
 * Either way the same claim checks follow (an ID token of the dashboard's
 * client, with `exp` and `sub`, and no email it says is unverified),
 * so the authorizer and the handler accept exactly the same tokens. The
 * caller is the token's `sub`; the email is only a label shown beside it.
 * The role comes from `cognito:groups` and is enforced here, because the
 * JWT authorizer checks identity, not our roles.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ENV } from '../adapters/config.js';
import { logger as makeLogger } from '../adapters/logger.js';
import {
  checkCognitoClient,
  staffTokenVerifier,
  type TokenVerifier,
} from '../adapters/staff-auth.js';
import { AuthRequiredError, ForbiddenError } from './errors.js';

export type Role = 'viewer' | 'campaigner';

export interface Staff {
  /** The verified token subject: who acts, in every audit entry, version and approval. */
  sub: string;
  /** The verified email, a label shown beside the sub (never compared). */
  email?: string;
  role: Role;
}

const log = makeLogger('staff-auth');

/** What each role includes: a campaigner can do everything a viewer can. */
const RANK: Record<Role, number> = { viewer: 1, campaigner: 2 };

interface AuthorizerContext {
  authorizer?: { jwt?: { claims?: Record<string, unknown> } };
}

let verifier: { key: string; verify: TokenVerifier | undefined } | undefined;

function currentVerifier(): TokenVerifier | undefined {
  // Keyed on the configuration, so a new local runtime (new key file) gets a new verifier.
  const key = `${process.env[ENV.authIssuer] ?? ''}|${process.env[ENV.authKeyFile] ?? ''}`;
  if (verifier?.key !== key) verifier = { key, verify: staffTokenVerifier() };
  return verifier.verify;
}

/**
 * Reads `cognito:groups` in each shape it arrives in: a JSON array (ID token),
 * or the string API Gateway makes of it ("[campaigner viewer]"), or "a,b".
 */
export function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim !== 'string') return [];
  const s = claim.trim();
  if (s.startsWith('[') && s.includes('"')) {
    try {
      return (JSON.parse(s) as unknown[]).map(String);
    } catch {
      return [];
    }
  }
  return s
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

/** The highest demarche role among the groups, or undefined for none. */
export function roleOf(groups: string[]): Role | undefined {
  if (groups.includes('campaigner')) return 'campaigner';
  if (groups.includes('viewer')) return 'viewer';
  return undefined;
}

/** A claim API Gateway may hand over as a string ("true", "1700000000"). */
const truthy = (v: unknown) => v === true || v === 'true';
const isFalse = (v: unknown) => v === false || v === 'false';
const seconds = (v: unknown) =>
  typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;

/**
 * The checks every token's claims pass, whoever verified its signature.
 * Throws with the reason, which is logged and never sent to the caller.
 */
export function checkClaims(
  claims: Record<string, unknown>,
  env: Record<string, string | undefined> = process.env,
  now = Date.now(),
): void {
  if (typeof claims.sub !== 'string' || !claims.sub) throw new Error('no sub claim');
  const exp = seconds(claims.exp);
  if (!Number.isFinite(exp)) throw new Error('no exp claim');
  if (exp * 1000 <= now) throw new Error('expired');
  // Cognito ID tokens of the dashboard's client; local tokens have the same shape.
  if (env[ENV.authIssuer]) {
    if (!env[ENV.authAudience])
      throw new Error('no app client configured (DEMARCHE_AUTH_AUDIENCE)');
    checkCognitoClient(claims, env[ENV.authAudience]);
  } else if (claims.token_use !== 'id') throw new Error('not an ID token');
  // An email Cognito says is unverified (changed and not yet confirmed) could
  // name someone else: the token is refused. A token that does not say
  // (moto's, some federated providers') is let in without its email label.
  if (claims.email !== undefined && isFalse(claims.email_verified))
    throw new Error('the email is not verified');
}

/** Identifies the caller (401 without a valid token) and checks the role the route needs (403). */
export async function authorise(event: APIGatewayProxyEventV2, needed: Role): Promise<Staff> {
  const claims = await claimsOf(event);
  const role = roleOf(groupsOf(claims['cognito:groups']));
  const sub = claims.sub as string;
  if (!role) throw new ForbiddenError('a user in no demarche group', needed);
  if (RANK[role] < RANK[needed]) throw new ForbiddenError(role, needed);
  // The email is a label only where the token vouches for it.
  const email =
    typeof claims.email === 'string' && truthy(claims.email_verified) ? claims.email : undefined;
  return { sub, role, ...(email ? { email } : {}) };
}

/** The token's claims, checked; any failure is one 401 that says to sign in again. */
async function claimsOf(event: APIGatewayProxyEventV2): Promise<Record<string, unknown>> {
  let claims: Record<string, unknown> | undefined;
  try {
    claims = (event.requestContext as AuthorizerContext).authorizer?.jwt?.claims;
    if (!claims) {
      const header = event.headers?.authorization ?? event.headers?.Authorization;
      const m = header ? /^Bearer\s+([A-Za-z0-9_.-]+)\s*$/i.exec(header) : null;
      if (!m) throw new Error('no bearer token');
      const verify = currentVerifier();
      if (!verify) throw new Error('staff sign-in is not configured on this server');
      claims = (await verify(m[1]!)) as Record<string, unknown>;
    }
    checkClaims(claims);
    return claims;
  } catch (err) {
    // Ids only: the reason and the subject, never the token or the email.
    log.info('staff token refused', {
      reason: (err as Error).message,
      ...(typeof claims?.sub === 'string' ? { sub: claims.sub } : {}),
      requestId: event.requestContext?.requestId,
    });
    throw new AuthRequiredError();
  }
}
