/**
 * Who is calling, and may they? Every staff route goes through `authorise`.
 * In AWS the HTTP API's JWT authorizer has verified the token and put its
 * claims in requestContext.authorizer.jwt.claims; otherwise (locally, or a
 * route deployed without the authorizer) the bearer token is verified here.
 * The role always comes from the `cognito:groups` claim and is enforced here,
 * because the JWT authorizer checks identity, not our roles.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ENV } from '../adapters/config.js';
import { staffTokenVerifier, type TokenVerifier } from '../adapters/staff-auth.js';
import { AuthRequiredError, ForbiddenError } from './errors.js';

export type Role = 'viewer' | 'campaigner';

export interface Staff {
  sub: string;
  email?: string;
  role: Role;
}

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

/** Identifies the caller (401 without a valid token) and checks the role the route needs (403). */
export async function authorise(event: APIGatewayProxyEventV2, needed: Role): Promise<Staff> {
  const claims = await claimsOf(event);
  const role = roleOf(groupsOf(claims['cognito:groups']));
  const sub = typeof claims.sub === 'string' ? claims.sub : undefined;
  if (!sub) throw new AuthRequiredError('the token names no user (no sub claim)');
  if (!role) throw new ForbiddenError('a user in no demarche group', needed);
  if (RANK[role] < RANK[needed]) throw new ForbiddenError(role, needed);
  return { sub, role, ...(typeof claims.email === 'string' ? { email: claims.email } : {}) };
}

async function claimsOf(event: APIGatewayProxyEventV2): Promise<Record<string, unknown>> {
  const fromGateway = (event.requestContext as AuthorizerContext).authorizer?.jwt?.claims;
  if (fromGateway) return fromGateway;
  const header = event.headers?.authorization ?? event.headers?.Authorization;
  const m = header ? /^Bearer\s+([A-Za-z0-9_.-]+)\s*$/i.exec(header) : null;
  if (!m) throw new AuthRequiredError();
  const verify = currentVerifier();
  if (!verify) throw new AuthRequiredError('staff sign-in is not configured on this server');
  try {
    return await verify(m[1]!);
  } catch (err) {
    throw new AuthRequiredError(`the token was refused: ${(err as Error).message}`);
  }
}
