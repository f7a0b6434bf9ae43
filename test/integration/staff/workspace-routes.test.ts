/**
 * The staff API routes the browser workspace needs beyond create and edit:
 * the check a draft gets as it is typed (nothing stored), a translation set
 * on a draft without its main text's source, "ready for approval" recorded
 * on the draft and in the log, what changed since the last approved version
 * (statement text line by line, recipients added and removed), and a test
 * letter of a campaign to the signed-in person's own address.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FUTURE_DEADLINE, repoPath, sharedSample } from '../../support/fixtures.js';
import { useRuntime, mailsTo } from '../../support/runtime.js';
import { api, asStaff } from '../../support/api-client.js';

const runtime = useRuntime();
const french = () => readFileSync(repoPath('test/fixtures/statements/belarus-2020.fr.md'), 'utf8');

const CSV = [
  'email,name,title,organisation,country,language,group,lastVerified',
  'cabinet@diplomatie.example.fr,Jean-Noël Barrot,Ministre,Ministère de l’Europe et des Affaires étrangères,FR,fr,minister,2026-11-02',
  'office@civic-ngo.example.org,Civic Space Watch,,Civic Space Watch,LT,en,ngo,',
  'not-an-address,Broken Row,,Somewhere,PL,pl,ngo,',
  'office@civic-ngo.example.org,Civic Space Watch again,,Civic Space Watch,LT,en,ngo,',
  'kancelaria@msz.example.pl,Radosław Sikorski,Minister,Ministerstwo Spraw Zagranicznych,PL,pl,minister,2024-01-10',
].join('\n');

const overrides = () => ({
  deadline: FUTURE_DEADLINE(),
  subject: 'Belarus: joint statement ahead of the Council',
  meeting: 'Foreign Affairs Council',
});

describe('the workspace routes', { timeout: 120_000 }, () => {
  it('checks a draft without storing it: statement problems by field, refused rows by line, the list summarised', async () => {
    const alice = await asStaff('alice', ['campaigner']);
    const before = await api(runtime(), 'GET', '/api/campaigns', { token: alice });
    const bad = await api(runtime(), 'POST', '/api/drafts/check', {
      token: alice,
      body: { statement: sharedSample(), overrides: { subject: 'x' } },
    });
    expect(bad.status).toBe(200);
    const s = bad.json.statement as { ok: boolean; issues: { field: string }[] };
    expect(s.ok).toBe(false);
    expect(s.issues.map((i) => i.field)).toContain('deadline');

    const good = await api(runtime(), 'POST', '/api/drafts/check', {
      token: alice,
      body: { statement: sharedSample(), overrides: overrides(), recipientsCsv: CSV },
    });
    const st = good.json.statement as { ok: boolean; title: string };
    expect(st.ok).toBe(true);
    expect(st.title).toBe(
      'Statement on the continued violation of the fundamental rights of the Belarusian people',
    );
    const r = good.json.recipients as {
      accepted: number;
      refused: { line: number; field: string; message: string }[];
      duplicates: number;
      byGroup: Record<string, number>;
      byLanguage: Record<string, number>;
      byVerified: Record<string, number>;
      staleWarning?: string;
      untranslated?: { text: string };
    };
    expect(r.accepted).toBe(3);
    expect(r.refused.map((p) => [p.line, p.field])).toEqual([
      [4, 'email'],
      [5, 'email'],
    ]);
    expect(r.duplicates).toBe(1);
    expect(r.byGroup).toEqual({ minister: 2, ngo: 1 });
    expect(r.byVerified).toEqual({ '2026-11': 1, '2024-01': 1 });
    expect(r.staleWarning).toMatch(/1 not verified in the last 90 days/);
    expect(r.untranslated?.text).toBe(
      '2 recipients asked for fr and pl: they will get the en letter.',
    );
    const after = await api(runtime(), 'GET', '/api/campaigns', { token: alice });
    expect(after.json).toEqual(before.json);
  });

  it('sets a translation on a draft, asks for approval, shows what changed since the approved version, and test-sends to the signed-in person', async () => {
    const alice = await asStaff('alice', ['campaigner']);
    const bob = await asStaff('bob', ['campaigner']);
    const created = await api(runtime(), 'POST', '/api/campaigns', {
      token: alice,
      body: {
        statement: sharedSample(),
        statementName: 'belarus.txt',
        overrides: overrides(),
        recipientsCsv: CSV,
      },
    });
    expect(created.status).toBe(201);
    const id = (created.json.campaign as { id: string }).id;

    // Nothing approved yet: everything is new.
    const first = await api(runtime(), 'GET', `/api/campaigns/${id}/changes`, { token: bob });
    const d1 = first.json.diff as {
      from?: number;
      languages: { language: string; state: string }[];
      recipients: { added: string[]; listed: boolean };
    };
    expect(d1.from).toBeUndefined();
    expect(d1.languages).toEqual([expect.objectContaining({ language: 'en', state: 'added' })]);
    expect(d1.recipients.added).toHaveLength(3);

    const v1 = (created.json.version as { hash: string }).hash;
    expect(
      (
        await api(runtime(), 'POST', `/api/campaigns/${id}/approve`, {
          token: bob,
          body: { hash: v1 },
        })
      ).status,
    ).toBe(200);

    const edited = await api(runtime(), 'POST', `/api/campaigns/${id}/edit`, {
      token: alice,
      body: {
        translations: [{ language: 'fr', source: french() }],
        recipients: {
          mode: 'append',
          csv: 'email,name,group,country\nlate@example.org,Late NGO,ngo,BE\n',
        },
      },
    });
    expect(edited.status).toBe(200);
    const v2 = edited.json.version as { hash: string; number: number };
    expect(v2.number).toBe(2);

    const asked = await api(runtime(), 'POST', `/api/campaigns/${id}/request-approval`, {
      token: alice,
      body: { hash: v2.hash, note: 'French added' },
    });
    expect(asked.status).toBe(200);
    const listed = await api(runtime(), 'GET', `/api/campaigns/${id}`, { token: bob });
    expect(listed.json.approvalRequest).toMatchObject({
      hash: v2.hash,
      by: 'alice',
      byEmail: 'alice@example.org',
    });
    // A hash other than the current version's is refused.
    const stale = await api(runtime(), 'POST', `/api/campaigns/${id}/request-approval`, {
      token: alice,
      body: { hash: v1 },
    });
    expect(stale.status).toBe(409);

    const changes = await api(runtime(), 'GET', `/api/campaigns/${id}/changes`, { token: bob });
    const base = changes.json.base as { number: number; approvedBy: string[] };
    expect(base).toMatchObject({ number: 1, approvedBy: ['bob@example.org'] });
    const d2 = changes.json.diff as {
      from: number;
      to: number;
      languages: { language: string; state: string; text: { op: string; lines: string[] }[] }[];
      recipients: { added: string[]; removed: string[]; before: number; after: number };
    };
    expect([d2.from, d2.to]).toEqual([1, 2]);
    expect(d2.languages.map((l) => [l.language, l.state])).toEqual([
      ['en', 'same'],
      ['fr', 'added'],
    ]);
    expect(d2.languages[1]!.text[0]!.lines.join('\n')).toContain('Nous sommes consternés');
    expect(d2.recipients).toMatchObject({
      added: ['late@example.org'],
      removed: [],
      before: 3,
      after: 4,
    });
    const log = await api(runtime(), 'GET', `/api/campaigns/${id}/audit`, { token: bob });
    expect((log.json.items as { action: string }[]).map((e) => e.action)).toEqual([
      'created',
      'approved',
      'edited',
      'approval-requested',
    ]);

    const minister = 'cabinet@diplomatie.example.fr';
    const rid = (
      (await api(runtime(), 'GET', `/api/campaigns/${id}/recipients?limit=50`, { token: alice }))
        .json.items as { id: string; email: string }[]
    ).find((x) => x.email === minister)!.id;
    const sent = await api(runtime(), 'POST', `/api/campaigns/${id}/test-send`, {
      token: alice,
      body: { recipientId: rid },
    });
    expect(sent.status).toBe(200);
    expect(sent.json).toMatchObject({ to: 'alice@example.org', as: 'Jean-Noël Barrot' });
    expect(sent.json.subject).toBe(
      '[TEST] Bélarus : déclaration commune en vue du Conseil des affaires étrangères',
    );
    const [mail] = await mailsTo(runtime(), ['alice@example.org']);
    expect(mail?.subject).toMatch(/^\[TEST\] Bélarus/);
    // A viewer may read the changes but not ask, send or edit.
    const viewer = await asStaff('vera', ['viewer']);
    expect(
      (await api(runtime(), 'POST', `/api/campaigns/${id}/test-send`, { token: viewer, body: {} }))
        .status,
    ).toBe(403);
  });
});
