import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readDirectoryCsv } from '../../../../functions/core/directory/csv.js';
import {
  chooseEntries,
  diffDirectory,
  diffSummary,
} from '../../../../functions/core/directory/diff.js';
import { isStale, type Target } from '../../../../functions/core/directory/model.js';
import { facets, matcher, select } from '../../../../functions/core/directory/select.js';
import { importRecipients } from '../../../../functions/core/recipients.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../fixtures/directory/${name}`, import.meta.url));

/** The directory as version 1 of the fixture makes it (ids and stamps as a store would give them). */
function directoryFrom(name: string): Target[] {
  return readDirectoryCsv(fixture(name)).rows.map((r, i) => ({
    ...r.fields,
    id: `t${String(i).padStart(16, '0')}`,
    version: 1,
    createdAt: '2026-11-01T09:00:00Z',
    updatedAt: '2026-11-01T09:00:00Z',
    updatedBy: 'local:alice',
  }));
}

describe('reading a directory CSV', () => {
  it('reads a semicolon, CRLF, UTF-8 export with the directory columns beside the recipients columns', () => {
    const f = readDirectoryCsv(fixture('directory-v1.csv'));
    expect(f.read).toBe(7);
    expect(f.rows).toHaveLength(5);
    expect(f.format.delimiter).toBe(';');
    const pr = f.rows.find((r) => r.fields.externalId === 'DE-PR-01')!;
    expect(pr.line).toBe(4);
    expect(pr.fields).toMatchObject({
      kind: 'office',
      institutionType: 'permanent-representation',
      group: 'eu-institution',
      tags: ['COREPER II', 'EaP focal points'],
      salutation: 'Excellency',
      lastVerified: '2026-04-01',
    });
    expect(f.columns).toEqual(
      expect.arrayContaining(['externalId', 'tags', 'notes', 'institutionType']),
    );
  });

  it('lists bad rows exactly as a campaign import does, and its own columns the same way', () => {
    const f = readDirectoryCsv(fixture('directory-v1.csv'));
    const campaign = importRecipients(fixture('directory-v1.csv'));
    // The recipients reader's problem for the bad address, word for word.
    expect(f.problems[0]).toEqual(campaign.problems[0]);
    expect(f.problems.map((p) => p.line)).toEqual([7, 8]);
    expect(f.problems[1]!.message).toBe(
      'kind "robot" is not one of person, office; institutionType "Parlament" is not one of ministry, permanent-representation, commission, council, parliament, eeas, ngo, other (did you mean parliament?)',
    );
  });

  it('refuses an external id used twice, against the line that first had it', () => {
    const csv = 'email,name,externalId\na@x.example.org,A,ID-1\nb@x.example.org,B,ID-1\n';
    const f = readDirectoryCsv(csv);
    expect(f.rows).toHaveLength(1);
    expect(f.problems).toEqual([
      { line: 3, field: 'externalId', message: 'externalId ID-1 repeats line 2' },
    ]);
  });
});

describe('an import as a reviewed change', () => {
  it('finds new, changed field by field, unchanged and missing targets, matched by external id', () => {
    const before = directoryFrom('directory-v1.csv');
    const diff = diffDirectory(before, readDirectoryCsv(fixture('directory-v2.csv')));
    expect(diffSummary(diff)).toBe('1 new, 2 changed, 2 unchanged, 1 missing');
    expect(diff.added.map((e) => e.fields.externalId)).toEqual(['PL-MFA-01']);
    expect(diff.missing.map((e) => e.name)).toEqual([
      'Permanent Representation of Germany to the EU',
    ]);
    // A new address for the French minister, found by the external id, the old one now a fallback.
    const fr = diff.changed.find((e) => e.name === 'Claire Lefèvre')!;
    expect(fr.matchedBy).toBe('externalId');
    expect(fr.changes).toEqual([
      {
        field: 'email',
        before: 'ministre@diplomatie.fr.example.org',
        after: 'cabinet@diplomatie.fr.example.org',
      },
      { field: 'fallbackEmails', after: 'ministre@diplomatie.fr.example.org' },
      { field: 'source', before: 'phone call 12 Oct', after: 'phone call 20 Nov' },
      { field: 'lastVerified', before: '2026-10-12', after: '2026-11-20' },
      { field: 'notes', after: 'New cabinet address since November' },
    ]);
    const eeas = diff.changed.find((e) => e.targetId === before[3]!.id)!;
    expect(eeas.changes.map((c) => c.field)).toEqual(['name', 'title', 'tags', 'lastVerified']);
    expect(eeas.key).toBe(`change:${before[3]!.id}@1`);
  });

  it('matches by email when the file has no external ids, and leaves columns the file lacks as they are', () => {
    const before = directoryFrom('directory-v1.csv');
    const csv = 'email,name,title\nminister@mfa.se.example.org,Tobias Berg,Minister\n';
    const diff = diffDirectory(before, readDirectoryCsv(csv));
    expect(diff.changed).toHaveLength(1);
    expect(diff.changed[0]!.matchedBy).toBe('email');
    expect(diff.changed[0]!.changes).toEqual([
      { field: 'title', before: 'Minister for Foreign Affairs', after: 'Minister' },
    ]);
    // Notes, tags, fallbacks: not in the file, kept.
    expect(diff.changed[0]!.fields.tags).toEqual(['FAC', 'EaP focal points']);
    expect(diff.changed[0]!.fields.fallbackEmails).toEqual(['registry@mfa.se.example.org']);
  });

  it('a chosen subset, and keys that are no longer in the comparison', () => {
    const before = directoryFrom('directory-v1.csv');
    const diff = diffDirectory(before, readDirectoryCsv(fixture('directory-v2.csv')));
    const key = diff.changed[0]!.key;
    const chosen = chooseEntries(diff, [key, 'change:t0@9']);
    expect(chosen.changed.map((e) => e.key)).toEqual([key]);
    expect(chosen.added).toEqual([]);
    expect(chosen.notFound).toEqual(['change:t0@9']);
  });
});

describe('selecting targets', () => {
  const targets = directoryFrom('directory-v1.csv');

  it('any value within a kind, every kind across; free search ignores case and accents', () => {
    expect(select(targets, { tags: ['eap FOCAL points'] }).map((t) => t.externalId)).toEqual([
      'EU-EEAS-01',
      'DE-PR-01',
      'SE-MFA-01',
    ]);
    expect(
      select(targets, { tags: ['FAC'], countries: ['fr'] as never }).map((t) => t.name),
    ).toEqual([]);
    expect(select(targets, { tags: ['FAC'], countries: ['FR'] }).map((t) => t.name)).toEqual([
      'Claire Lefèvre',
    ]);
    expect(select(targets, { q: 'lefevre ministre' }).map((t) => t.name)).toEqual([
      'Claire Lefèvre',
    ]);
    expect(
      select(targets, { institutionTypes: ['permanent-representation', 'eeas'] }),
    ).toHaveLength(2);
    expect(matcher({ groups: ['ngo'] })(targets[4]!)).toBe(true);
  });

  it('counts facets for the filters, and flags targets not verified within the window', () => {
    const f = facets(targets);
    expect(f.tags[0]).toEqual({ value: 'EaP focal points', n: 3 });
    const now = new Date('2026-12-01T12:00:00Z');
    expect(targets.filter((t) => isStale(t, now, 90)).map((t) => t.externalId)).toEqual([
      'DE-PR-01',
    ]);
  });
});
