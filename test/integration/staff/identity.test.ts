/**
 * Authority on the server: the caller is the verified token subject, and
 * every refused request (a bad token, the author approving, a stale hash, an
 * unapproved launch, a foreign sender) changes nothing.
 */
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../../functions/adapters/config.js';
import {
  issueLocalToken,
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  localKeyPair,
} from '../../../functions/adapters/staff-auth.js';
import { exampleStatement } from '../../support/fixtures.js';
import { useRuntime } from '../../support/runtime.js';
import { mixedCsv } from '../../support/staff.js';
import { api, asStaff } from '../../support/api-client.js';

const runtime = useRuntime({ schedulerTickMs: 0 });

/** A token signed with the runtime's own key, with any claims: only the claims are wrong. */
async function signed(
  claims: Record<string, unknown>,
  opts: { exp?: boolean; aud?: string; iss?: string } = {},
) {
  const key = await localKeyPair(process.env[ENV.authKeyFile]!);
  let jwt = new SignJWT({ 'cognito:groups': ['campaigner'], ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid })
    .setSubject('mallory')
    .setIssuer(opts.iss ?? LOCAL_ISSUER)
    .setAudience(opts.aud ?? LOCAL_AUDIENCE)
    .setIssuedAt();
  if (opts.exp !== false) jwt = jwt.setExpirationTime('1h');
  return jwt.sign(await importJWK(key.privateJwk as JWK, 'ES256'));
}

async function draft(token: string, tag: string) {
  const res = await api(runtime(), 'POST', '/api/campaigns', {
    token,
    body: {
      statement: exampleStatement(),
      statementName: 'statement.md',
      recipientsCsv: mixedCsv(4, tag),
    },
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json as { campaign: { id: string }; version: { hash: string; author: string } };
}

async function snapshot(id: string) {
  const d = runtime().deps();
  const c = (await d.store.getCampaign(id))!;
  const log = (await d.governance.auditLog(id)).items;
  const versions = await d.governance.versions(id);
  const approvals = await d.governance.approvals(id, versions.at(-1)!.hash);
  return {
    status: c.status,
    updatedAt: (c as { updatedAt?: string }).updatedAt,
    log: log.length,
    versions: versions.length,
    approvals: approvals.length,
  };
}

describe('who is calling', () => {
  it('no token, the other kind, another client or pool, expired, no exp, unverified email: 401 "sign in again", nothing changed', async () => {
    const alice = await asStaff('alice', ['campaigner']);
    const { campaign, version } = await draft(alice, 'tokens');
    const before = await snapshot(campaign.id);
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const otherPool = await new SignJWT({ token_use: 'id', 'cognito:groups': ['campaigner'] })
      .setProtectedHeader({ alg: 'ES256', kid: (await exportJWK(publicKey)).kid ?? 'other' })
      .setSubject('mallory')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime('1h')
      .sign(privateKey);
    const bad: [string, string | undefined][] = [
      ['no token', undefined],
      ['not a JWT', 'not-a-jwt'],
      ['an access token', await signed({ token_use: 'access', client_id: LOCAL_AUDIENCE })],
      ['a token of no kind', await signed({})],
      ['another client', await signed({ token_use: 'id' }, { aud: 'another-client' })],
      ['another pool', await signed({ token_use: 'id' }, { iss: 'urn:another:pool' })],
      ['another key', otherPool],
      [
        'expired',
        await issueLocalToken(
          process.env[ENV.authKeyFile]!,
          { sub: 'mallory', groups: ['campaigner'] },
          -60,
        ),
      ],
      ['no exp', await signed({ token_use: 'id' }, { exp: false })],
      [
        'an unverified email',
        await signed({ token_use: 'id', email: 'bob@example.org', email_verified: false }),
      ],
      [
        'an email said verified only as "no"',
        await signed({ token_use: 'id', email: 'bob@example.org', email_verified: 'false' }),
      ],
    ];
    for (const [what, token] of bad) {
      for (const [method, path, body] of [
        ['POST', `/api/campaigns/${campaign.id}/approve`, { hash: version.hash }],
        ['POST', `/api/campaigns/${campaign.id}/launch`, {}],
        ['GET', `/api/campaigns/${campaign.id}`, undefined],
      ] as const) {
        const res = await api(runtime(), method, path, { token, body });
        expect(res.status, `${what}: ${method} ${path}`).toBe(401);
        expect(res.json.code).toBe('UNAUTHENTICATED');
        expect(String(res.json.message)).toContain('sign in again');
        // The body never says which check failed.
        expect(String(res.json.message)).not.toMatch(/exp|aud|token_use|verified|signature/);
      }
    }
    expect(await snapshot(campaign.id)).toEqual(before);
  });

  it("the same person's second token cannot approve their own version: 403 APPROVAL_BY_AUTHOR, nothing changed", async () => {
    const first = await asStaff('alice', ['campaigner']);
    const { campaign, version } = await draft(first, 'self');
    expect(version.author).toBe('alice');
    const before = await snapshot(campaign.id);
    // Another token of the same sub: a new sign-in, no email at all, another email label.
    const tokens = [
      await asStaff('alice', ['campaigner']),
      await issueLocalToken(process.env[ENV.authKeyFile]!, {
        sub: 'alice',
        groups: ['campaigner'],
      }),
      await issueLocalToken(process.env[ENV.authKeyFile]!, {
        sub: 'alice',
        email: 'someone.else@example.org',
        groups: ['campaigner', 'viewer'],
      }),
    ];
    for (const token of tokens) {
      const res = await api(runtime(), 'POST', `/api/campaigns/${campaign.id}/approve`, {
        token,
        body: { hash: version.hash },
      });
      expect(res.status).toBe(403);
      expect(res.json.code).toBe('APPROVAL_BY_AUTHOR');
    }
    expect(await snapshot(campaign.id)).toEqual(before);

    // Another person may; the log names each actor by sub, the email beside it.
    const bob = await asStaff('bob', ['campaigner']);
    const ok = await api(runtime(), 'POST', `/api/campaigns/${campaign.id}/approve`, {
      token: bob,
      body: { hash: version.hash },
    });
    expect(ok.status).toBe(200);
    expect(ok.json.approval).toMatchObject({ approver: 'bob', approverEmail: 'bob@example.org' });
    const log = (await api(runtime(), 'GET', `/api/campaigns/${campaign.id}/audit`, { token: bob }))
      .json.items as { actor: string; actorEmail?: string; action: string }[];
    expect(log.map((e) => `${e.action} ${e.actor} ${e.actorEmail}`)).toEqual([
      'created alice alice@example.org',
      'approved bob bob@example.org',
    ]);
  });

  it('a stale hash is 409, an unapproved launch is 409; neither changes anything', async () => {
    const alice = await asStaff('alice', ['campaigner']);
    const bob = await asStaff('bob', ['campaigner']);
    const { campaign, version } = await draft(alice, 'stale');
    const unapproved = await api(runtime(), 'POST', `/api/campaigns/${campaign.id}/launch`, {
      token: alice,
      body: {},
    });
    expect(unapproved.status).toBe(409);
    expect(unapproved.json.code).toBe('APPROVAL_REQUIRED');
    const edited = await api(runtime(), 'POST', `/api/campaigns/${campaign.id}/edit`, {
      token: alice,
      body: {
        recipients: { mode: 'append', csv: 'email,name\nlate@stale.example.org,Late Comer\n' },
      },
    });
    expect(edited.status, JSON.stringify(edited.json)).toBe(200);
    expect(edited.json.version).toMatchObject({ number: 2 });
    const before = await snapshot(campaign.id);
    const stale = await api(runtime(), 'POST', `/api/campaigns/${campaign.id}/approve`, {
      token: bob,
      body: { hash: version.hash },
    });
    expect(stale.status).toBe(409);
    expect(stale.json.code).toBe('VERSION_STALE');
    const noHash = await api(runtime(), 'POST', `/api/campaigns/${campaign.id}/approve`, {
      token: bob,
      body: {},
    });
    expect(noHash.status).toBe(400);
    const again = await api(runtime(), 'POST', `/api/campaigns/${campaign.id}/launch`, {
      token: alice,
      body: {},
    });
    expect(again.status).toBe(409);
    expect(await snapshot(campaign.id)).toEqual(before);
    expect((await runtime().deps().store.counters(campaign.id)).queued).toBe(0);
  });

  it("refuses a From or a reply domain that is not the deployment's, naming the field and the allowed values", async () => {
    const alice = await asStaff('alice', ['campaigner']);
    const before = (await runtime().deps().store.listCampaigns(1000)).length;
    const foreign = exampleStatement().replace(
      'campaigns@demarche.example.org',
      'press@elsewhere.example.com',
    );
    const res = await api(runtime(), 'POST', '/api/campaigns', {
      token: alice,
      body: {
        statement: foreign,
        statementName: 'statement.md',
        recipientsCsv: mixedCsv(2, 'from'),
      },
    });
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('STATEMENT_INVALID');
    expect(String(res.json.message)).toMatch(
      /from: press@elsewhere\.example\.com is not a sender of this deployment; allowed: campaigns@demarche\.example\.org/,
    );
    const replies = exampleStatement().replace(
      'replyToDomain: replies.demarche.example.org',
      'replyToDomain: replies.elsewhere.example.com',
    );
    const res2 = await api(runtime(), 'POST', '/api/campaigns', {
      token: alice,
      body: {
        statement: replies,
        statementName: 'statement.md',
        recipientsCsv: mixedCsv(2, 'from'),
      },
    });
    expect(res2.status).toBe(422);
    expect(String(res2.json.message)).toMatch(
      /replyToDomain: .*allowed: replies\.demarche\.example\.org/,
    );
    expect((await runtime().deps().store.listCampaigns(1000)).length).toBe(before);
    const settings = await api(runtime(), 'GET', '/api/settings', { token: alice });
    expect(settings.json).toMatchObject({
      approval: 'two-person',
      senders: expect.arrayContaining(['campaigns@demarche.example.org']),
      replyDomain: 'replies.demarche.example.org',
    });
  });
});
