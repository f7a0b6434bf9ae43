import { generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { handler } from '../../functions/api/handler.js';
import { API_ROUTES } from '../../functions/api/handler.js';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../functions/adapters/staff-auth.js';
import { csp, loginSettings } from '../../functions/api/assets.js';
import { exampleStatement } from '../support/fixtures.js';
import { useRuntime } from '../support/runtime.js';
import { mixedCsv, replyOverSmtp, sentCampaign, staffToken } from '../support/staff.js';

const runtime = useRuntime();

async function call(
  method: string,
  path: string,
  opts: { token?: string; body?: string; type?: string } = {},
) {
  const res = await fetch(`${runtime().httpUrl}${path}`, {
    method,
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body !== undefined ? { 'content-type': opts.type ?? 'application/json' } : {}),
    },
    ...(opts.body !== undefined ? { body: opts.body } : {}),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* CSV or HTML */
  }
  return { status: res.status, json, text, headers: res.headers };
}

describe('the staff API behind a login', () => {
  it('every route refuses a request without a valid token, and a viewer on a campaigner route', async () => {
    const campaign = await sentCampaign(runtime(), mixedCsv(3, 'walk'));
    const viewer = await staffToken(['viewer']);
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ 'cognito:groups': ['campaigner'] })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('mallory')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime('1h')
      .sign(privateKey);
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({
        sub: 'x',
        'cognito:groups': ['campaigner'],
        iss: LOCAL_ISSUER,
        aud: LOCAL_AUDIENCE,
      }),
    ).toString('base64url')}.`;
    const expired = await staffToken(['campaigner']).then(async () => {
      const { issueLocalToken } = await import('../../functions/adapters/staff-auth.js');
      const { ENV } = await import('../../functions/adapters/config.js');
      return issueLocalToken(
        process.env[ENV.authKeyFile]!,
        { sub: 'old', groups: ['campaigner'] },
        -60,
      );
    });
    const noGroup = await staffToken([]);

    expect(API_ROUTES.length).toBeGreaterThanOrEqual(18);
    for (const route of API_ROUTES) {
      const path = route.path
        .replace(':id', campaign.id)
        .replace(':rid', 'r0000')
        .replace(':replyId', 'x1');
      const body = route.method === 'POST' ? '{}' : undefined;
      for (const token of [undefined, forged, unsigned, expired, 'not-a-jwt']) {
        const res = await call(route.method, path, { token, body });
        expect(res.status, `${route.method} ${route.path} with ${token?.slice(0, 12)}`).toBe(401);
        expect(res.json.code).toBe('UNAUTHENTICATED');
      }
      const none = await call(route.method, path, { token: noGroup, body });
      expect(none.status, `${route.path} with no group`).toBe(403);
      const asViewer = await call(route.method, path, { token: viewer, body });
      if (route.role === 'campaigner') {
        expect(asViewer.status, `${route.method} ${route.path} as viewer`).toBe(403);
        expect(asViewer.json.code).toBe('FORBIDDEN');
      } else {
        expect([200, 404], `${route.method} ${route.path} as viewer`).toContain(asViewer.status);
      }
    }
    // Nothing moved: the walk's refused control calls changed no state.
    expect((await runtime().deps().store.getCampaign(campaign.id))!.status).toBe('completed');
  });

  it('in AWS the authorizer claims decide, and the role still comes from cognito:groups', async () => {
    const campaign = await sentCampaign(runtime(), mixedCsv(2, 'aws'));
    const event = (method: string, path: string, groups: string) =>
      ({
        version: '2.0',
        routeKey: '$default',
        rawPath: path,
        rawQueryString: '',
        headers: {},
        body: '{}',
        isBase64Encoded: false,
        requestContext: {
          http: { method, path, protocol: 'HTTP/1.1', sourceIp: '1.2.3.4', userAgent: 'x' },
          authorizer: {
            jwt: {
              claims: {
                sub: 'u1',
                token_use: 'id',
                exp: String(Math.floor(Date.now() / 1000) + 600),
                'cognito:groups': groups,
              },
              scopes: [],
            },
          },
        },
      }) as never;
    const viewerRead = await handler(
      event('GET', `/api/campaigns/${campaign.id}/stats`, '[viewer]'),
    );
    expect(viewerRead.statusCode).toBe(200);
    const viewerPause = await handler(
      event('POST', `/api/campaigns/${campaign.id}/pause`, '[viewer]'),
    );
    expect(viewerPause.statusCode).toBe(403);
    const both = await handler(
      event('POST', `/api/campaigns/${campaign.id}/pause`, '[viewer campaigner]'),
    );
    // A campaigner may pause, but a completed campaign cannot be paused: 409 with the status.
    expect(both.statusCode).toBe(409);
    expect(JSON.parse(both.body!).code).toBe('CAMPAIGN_STATE');
  });

  it('stats are the counters; recipients filter and page without gaps or repeats', async () => {
    const csv = mixedCsv(31, 'stats');
    const campaign = await sentCampaign(runtime(), csv);
    const token = await staffToken(['viewer']);
    const stats = await call('GET', `/api/campaigns/${campaign.id}/stats`, { token });
    const counters = await runtime().deps().store.counters(campaign.id);
    expect(stats.status).toBe(200);
    expect(stats.json.counters).toEqual(counters);
    expect(stats.json.funnel).toMatchObject({
      recipients: 31,
      sent: counters.sent,
      delivered: counters.delivered,
    });
    expect(counters.sent).toBe(31);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const q = new URLSearchParams({ group: 'ngo', limit: '4', ...(cursor ? { cursor } : {}) });
      const page = await call('GET', `/api/campaigns/${campaign.id}/recipients?${q}`, { token });
      expect(page.status).toBe(200);
      const items = page.json.items as { id: string; group: string; claimId?: string }[];
      expect(items.length).toBeLessThanOrEqual(4);
      for (const r of items) {
        expect(r.group).toBe('ngo');
        expect(r.claimId).toBeUndefined();
        seen.push(r.id);
      }
      cursor = page.json.cursor as string | undefined;
    } while (cursor);
    expect(seen).toHaveLength(10); // rows 2, 5, … 29
    expect(new Set(seen).size).toBe(10);

    const fr = await call(
      'GET',
      `/api/campaigns/${campaign.id}/recipients?country=fr&state=sent&limit=200`,
      { token },
    );
    expect((fr.json.items as { country: string }[]).map((r) => r.country)).toEqual(
      Array(7).fill('FR'),
    );
    const unopened = await call(
      'GET',
      `/api/campaigns/${campaign.id}/recipients?opened=false&limit=200`,
      { token },
    );
    expect((unopened.json.items as unknown[]).length).toBe(31);
    // Letters held for office hours are a state of their own (the dashboard links to them).
    const held = await call('GET', `/api/campaigns/${campaign.id}/recipients?state=held`, {
      token,
    });
    expect(held.status).toBe(200);
    expect(held.json.items).toEqual([]);

    const delivered = await call(
      'GET',
      `/api/campaigns/${campaign.id}/recipients?delivery=delivered&limit=200`,
      { token },
    );
    expect((delivered.json.items as unknown[]).length).toBe(counters.delivered);
    const bounced = await call(
      'GET',
      `/api/campaigns/${campaign.id}/recipients?delivery=bouncedHard`,
      { token },
    );
    expect(bounced.json.items).toEqual([]);
    const splits = await call('GET', `/api/campaigns/${campaign.id}/splits`, { token });
    expect(splits.json.complete).toBe(true);
    expect(splits.json.byGroup).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: 'ngo', recipients: 10, sent: 10 })]),
    );
    const series = await call('GET', `/api/campaigns/${campaign.id}/series`, { token });
    expect((series.json.sent as number[]).at(-1)).toBe(31);
  });

  it('bad query strings, forged cursors and bad ids are refused with the field named', async () => {
    const campaign = await sentCampaign(runtime(), mixedCsv(2, 'bad'));
    const token = await staffToken(['viewer']);
    const base = `/api/campaigns/${campaign.id}/recipients`;
    const bad = await call('GET', `${base}?country=FRA&limit=0&colour=red`, { token });
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('REQUEST_INVALID');
    expect(bad.json.message).toMatch(/country/);
    expect(bad.json.message).toMatch(/limit/);
    expect(bad.json.message).toMatch(/colour/);
    const foreign = Buffer.from(JSON.stringify({ pk: 'CAMPAIGN#other', sk: 'RCPT#x' })).toString(
      'base64url',
    );
    for (const cursor of [foreign, 'garbage!!', Buffer.from('{"pk":1}').toString('base64url')]) {
      const res = await call('GET', `${base}?cursor=${encodeURIComponent(cursor)}`, { token });
      expect(res.status).toBe(400);
      expect(res.json.message).toMatch(/cursor/);
    }
    // The campaigns list pages with a cursor it gave out, and refuses any other.
    const first = await call('GET', '/api/campaigns?limit=1', { token });
    expect(first.status).toBe(200);
    expect(first.json.items).toHaveLength(1);
    const next = await call(
      'GET',
      `/api/campaigns?limit=1&cursor=${encodeURIComponent(String(first.json.cursor))}`,
      { token },
    );
    expect(next.status).toBe(200);
    expect((next.json.items as { id: string }[])[0]?.id).not.toBe(
      (first.json.items as { id: string }[])[0]?.id,
    );
    for (const cursor of [foreign, 'garbage!!']) {
      const res = await call('GET', `/api/campaigns?cursor=${encodeURIComponent(cursor)}`, {
        token,
      });
      expect(res.status).toBe(400);
      expect(res.json.message).toMatch(/cursor/);
    }
    const missing = await call('GET', `/api/campaigns/cnope/stats`, { token });
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ code: 'NOT_FOUND', message: 'campaign cnope not found' });
    const evil = await call('GET', `/api/campaigns/${encodeURIComponent('a"<b>')}/stats`, {
      token,
    });
    expect(evil.status).toBe(400);
    const unknown = await call('GET', '/api/nothing', { token });
    expect(unknown.status).toBe(404);
  });

  it('a campaigner creates a campaign (bad rows reported), uploads to it, previews and launches it', async () => {
    const token = await staffToken(['campaigner']);
    const csv = `email,name,group,country\nana@create.example.org,Ana Pop,ngo,RO\nnot-an-email,Bad Row,ngo,RO\nben@create.example.org,,minister,DE\ncarl@create.example.org,Carl Berg,minister,SE\n`;
    const created = await call('POST', '/api/campaigns', {
      token,
      body: JSON.stringify({
        statement: exampleStatement(),
        statementName: 'statement.md',
        recipientsCsv: csv,
      }),
    });
    expect(created.status).toBe(201);
    expect(created.json.recipients).toBe(2);
    const problems = created.json.problems as { line: number; message: string }[];
    expect(problems.map((p) => p.line)).toEqual([3, 4]);
    const id = (created.json.campaign as { id: string }).id;

    const upload = await call('POST', `/api/campaigns/${id}/recipients`, {
      token,
      type: 'text/csv',
      body: 'email,name\ncarl@create.example.org,Carl Berg\ndora@create.example.org,Dora Lind\n',
    });
    expect(upload.json).toMatchObject({ added: 1, existing: 1, problems: [] });
    expect((await runtime().deps().store.getCampaign(id))!.recipientCount).toBe(3);

    const preview = await call('POST', `/api/campaigns/${id}/preview`, { token, body: '{}' });
    expect(preview.status).toBe(200);
    expect(preview.json.subject).toBeTruthy();
    expect(preview.json.text).toContain('Dear');

    // Two-person approval: a second campaigner approves the version first.
    const reviewer = await staffToken(['campaigner'], 'reviewer');
    const versions = await call('GET', `/api/campaigns/${id}/versions`, { token: reviewer });
    const hash = (versions.json.versions as { hash: string }[]).at(-1)!.hash;
    const approved = await call('POST', `/api/campaigns/${id}/approve`, {
      token: reviewer,
      body: JSON.stringify({ hash }),
    });
    expect(approved.status).toBe(200);
    const launched = await call('POST', `/api/campaigns/${id}/launch`, { token, body: '{}' });
    expect(launched.status).toBe(202);
    expect(launched.json.campaign).toMatchObject({
      status: 'sending',
      progress: 'queueing 0 of 3',
    });
    await runtime().jobs.drained();
    await runtime().queue.drained();
    expect((await runtime().deps().store.getCampaign(id))!.launch).toMatchObject({
      state: 'queued',
      queued: 3,
      total: 3,
    });
    expect((await runtime().deps().store.counters(id)).sent).toBe(3);

    const again = await call('POST', `/api/campaigns/${id}/launch`, { token, body: '{}' });
    expect(again.status).toBe(409);
    const late = await call('POST', `/api/campaigns/${id}/recipients`, {
      token,
      type: 'text/csv',
      body: 'email,name\ne@x.org,E\n',
    });
    expect(late.status).toBe(409);
  });

  it('refuses bad create bodies with the problem and its place, storing nothing', async () => {
    const token = await staffToken(['campaigner']);
    const before = (await runtime().deps().store.listCampaigns(100)).length;
    const cases: [string, number, string, RegExp][] = [
      ['{not json', 400, 'REQUEST_INVALID', /not valid JSON/],
      [JSON.stringify({ statement: 'x' }), 400, 'REQUEST_INVALID', /recipientsCsv/],
      [
        JSON.stringify({ statement: exampleStatement(), recipientsCsv: 'email,name\nnope,X\n' }),
        422,
        'RECIPIENTS_EMPTY',
        /no usable recipient/,
      ],
      [
        JSON.stringify({
          statement: exampleStatement().replace(/deadline: .*/, 'deadline: tomorrow'),
          recipientsCsv: 'email,name\na@b.org,A\n',
        }),
        422,
        'STATEMENT_INVALID',
        /deadline/,
      ],
    ];
    for (const [body, status, code, message] of cases) {
      const res = await call('POST', '/api/campaigns', { token, body });
      expect(res.status, body.slice(0, 40)).toBe(status);
      expect(res.json.code).toBe(code);
      expect(String(res.json.message)).toMatch(message);
    }
    expect((await runtime().deps().store.listCampaigns(100)).length).toBe(before);
  });

  it('exports CSV with formula cells neutralised, and serves replies', async () => {
    const csv =
      'email,name,organisation,group\nfx@export.example.org,"=HYPERLINK(""http://evil"")",Ministry,minister\nok@export.example.org,Olga Kraus,"Org, Inc.",ngo\n';
    const campaign = await sentCampaign(runtime(), csv);
    const token = await staffToken(['viewer']);
    const out = await call('GET', `/api/campaigns/${campaign.id}/export.csv`, { token });
    expect(out.status).toBe(200);
    expect(out.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = out.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toMatch(/^email,name,title,organisation/);
    expect(lines).toHaveLength(3);
    expect(out.text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(out.text).toContain('"Org, Inc."');

    const olga = (await runtime().deps().store.recipientsPage(campaign.id)).items.find(
      (r) => r.email === 'ok@export.example.org',
    )!;
    const stored = await replyOverSmtp(runtime(), campaign.id, olga.email, {
      subject: 'Re: Belarus',
      text: 'Thank you, we will study it.\n\nOn Monday you wrote:\n> We are dismayed',
    });
    const rid = olga.id;
    const list = await call('GET', `/api/campaigns/${campaign.id}/replies`, { token });
    expect(list.json.items).toEqual([
      expect.objectContaining({ id: stored.id, kind: 'human', recipientId: rid }),
    ]);
    const one = await call('GET', `/api/campaigns/${campaign.id}/replies/${stored.id}`, { token });
    expect(one.json).toMatchObject({ recipientId: rid, subject: 'Re: Belarus' });
    expect(String(one.json.text)).toContain('Thank you, we will study it.');
    expect(String(one.json.text)).not.toContain('dismayed');
    const raw = await call('GET', String(one.json.rawUrl), { token });
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toBe('message/rfc822');
    expect(raw.text).toContain('Subject: Re: Belarus');
    const stats = await call('GET', `/api/campaigns/${campaign.id}/stats`, { token });
    expect((stats.json.funnel as { replied: number }).replied).toBe(1);
    const replied = await call('GET', `/api/campaigns/${campaign.id}/recipients?replied=true`, {
      token,
    });
    expect((replied.json.items as { id: string }[]).map((r) => r.id)).toEqual([rid]);
    const timeline = await call('GET', `/api/campaigns/${campaign.id}/recipients/${rid}`, {
      token,
    });
    expect(timeline.json.timelineSource).toBe('events');
    const whats = (timeline.json.timeline as { what: string }[]).map((e) => e.what);
    expect(whats).toEqual(expect.arrayContaining(['send', 'delivery']));
  });

  it('serves the dashboard with a strict Content-Security-Policy and nothing outside its files', async () => {
    const page = await call('GET', '/dashboard/');
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy')!;
    // Scripts from this origin only: no inline script, no eval.
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval)/);
    // Images: data: only, so a letter previewed in the page cannot load its open pixel.
    expect(csp).toContain('img-src data:;');
    // No frame may load an address (the letter preview is a srcdoc frame), no page may frame this one.
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('frame-src');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.text).not.toMatch(/<script>(?!<\/script>)|<script(?![^>]*\bsrc=)[^>]*>/);
    const js = await fetch(`${runtime().httpUrl}/dashboard/app.js`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-encoding')).toBe('gzip');
    expect(js.headers.get('content-security-policy')).toBe(csp);
    // The bundle holds no eval and no new Function (the CSP would refuse them).
    const code = await js.text();
    expect(code).not.toMatch(/\beval\(|new Function\(/);
    expect((await call('GET', '/dashboard/app.css')).status).toBe(200);
    expect((await call('GET', '/dashboard/uplot.js')).status).toBe(404);
    expect((await call('GET', '/dashboard/..%2F..%2Fpackage.json')).status).toBe(404);
    expect((await call('GET', '/dashboard/handler.ts')).status).toBe(404);
    expect((await call('GET', '/dashboard/src/main.tsx')).status).toBe(404);
    expect((await call('GET', '/dashboard/dist/build.json')).status).toBe(404);
    // Locally the page signs in with the login link; no outside origin is allowed.
    expect((await call('GET', '/dashboard/config.json')).json).toEqual({ login: null });
    expect(csp).toMatch(/connect-src 'self';/);
  });

  it('in AWS the page is told where the Cognito login is, and the CSP allows that origin alone', async () => {
    const env = {
      DEMARCHE_AUTH_DOMAIN: 'https://staff.auth.eu-west-1.amazoncognito.com',
      DEMARCHE_AUTH_AUDIENCE: 'client123',
    };
    expect(loginSettings(env)).toMatchObject({
      authorizeUrl: 'https://staff.auth.eu-west-1.amazoncognito.com/oauth2/authorize',
      tokenUrl: 'https://staff.auth.eu-west-1.amazoncognito.com/oauth2/token',
      clientId: 'client123',
    });
    expect(csp('https://staff.auth.eu-west-1.amazoncognito.com')).toContain(
      "connect-src 'self' https://staff.auth.eu-west-1.amazoncognito.com;",
    );
    // A malformed domain is ignored rather than written into the CSP.
    expect(
      loginSettings({ ...env, DEMARCHE_AUTH_DOMAIN: "https://x; script-src 'unsafe-inline'" }),
    ).toBeUndefined();
    // Cognito's redirect back (?code=…) survives the /dashboard → /dashboard/ redirect.
    const res = await fetch(`${runtime().httpUrl}/dashboard?code=abc&state=xyz`, {
      redirect: 'manual',
    });
    expect(res.headers.get('location')).toBe('/dashboard/?code=abc&state=xyz');
  });
});
