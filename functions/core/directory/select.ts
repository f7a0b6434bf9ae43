/**
 * Choosing targets: the directory's list filters and a campaign's selection
 * are the same thing, a set of conditions. Within one kind of condition any
 * value matches (tags FAC or EaP); across kinds all must hold (tag FAC and
 * country SE). Free search looks in name, title, organisation, email, notes
 * and tags, case- and accent-insensitively, every word somewhere. Pure.
 */
import { z } from 'zod';
import { GROUPS, type Recipient } from '../recipients.js';
import { INSTITUTION_TYPES, isStale, type Target } from './model.js';

const list = <T extends z.ZodType>(item: T) => z.array(item).max(50).optional();

export const selectionSchema = z.strictObject({
  tags: list(z.string().trim().min(1).max(60)),
  groups: list(z.enum(GROUPS)),
  countries: list(
    z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166 alpha-2 code')
      .transform((s) => s.toUpperCase()),
  ),
  institutionTypes: list(z.enum(INSTITUTION_TYPES)),
  q: z.string().trim().max(200).optional(),
});
export type Selection = z.infer<typeof selectionSchema>;

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** Folded search text per target object (a target is replaced, never changed, when it changes). */
const folded = new WeakMap<Target, string>();

/** What free search looks in, folded once per target. */
function haystack(t: Target): string {
  let h = folded.get(t);
  if (h === undefined) {
    h = searchText(t);
    folded.set(t, h);
  }
  return h;
}

function searchText(t: Target): string {
  return fold(
    [t.name, t.title, t.organisation, t.email, t.notes, t.externalId, ...t.tags]
      .filter(Boolean)
      .join(' \u0000 '),
  );
}

/** A compiled selection: `matches(target)` is cheap enough for 20,000 targets per request. */
export function matcher(s: Selection): (t: Target) => boolean {
  const tags = s.tags?.length ? new Set(s.tags.map(fold)) : undefined;
  const groups = s.groups?.length ? new Set<string>(s.groups) : undefined;
  const countries = s.countries?.length ? new Set(s.countries) : undefined;
  const types = s.institutionTypes?.length ? new Set<string>(s.institutionTypes) : undefined;
  const words = s.q ? fold(s.q).split(/\s+/).filter(Boolean) : [];
  return (t) => {
    if (groups && !groups.has(t.group)) return false;
    if (countries && !(t.country && countries.has(t.country))) return false;
    if (types && !(t.institutionType && types.has(t.institutionType))) return false;
    if (tags && !t.tags.some((x) => tags.has(fold(x)))) return false;
    if (words.length) {
      const h = haystack(t);
      if (!words.every((w) => h.includes(w))) return false;
    }
    return true;
  };
}

/** Whether a selection names anything at all (an empty one would take the whole directory). */
export const isEmptySelection = (s: Selection) =>
  !s.tags?.length &&
  !s.groups?.length &&
  !s.countries?.length &&
  !s.institutionTypes?.length &&
  !s.q;

/** The targets a selection takes: not archived, in a stable order (name, then id). */
export function select(targets: readonly Target[], s: Selection): Target[] {
  const m = matcher(s);
  return targets.filter((t) => !t.archived && m(t)).sort(byName);
}

export const byName = (a: Target, b: Target) =>
  a.name.localeCompare(b.name, 'en') || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const facetCache = new WeakMap<readonly Target[], ReturnType<typeof countFacets>>();

/**
 * What the list shows of the directory: counts by tag, group, country and
 * type, for the filters; computed once per array of targets (the store
 * hands out the same array while nothing changed).
 */
export function facets(targets: readonly Target[]) {
  let f = facetCache.get(targets);
  if (!f) {
    f = countFacets(targets);
    facetCache.set(targets, f);
  }
  return f;
}

function countFacets(targets: readonly Target[]) {
  const count = (m: Map<string, number>, k: string | undefined) => {
    if (k) m.set(k, (m.get(k) ?? 0) + 1);
  };
  const tags = new Map<string, number>();
  const groups = new Map<string, number>();
  const countries = new Map<string, number>();
  const types = new Map<string, number>();
  for (const t of targets) {
    if (t.archived) continue;
    for (const tag of t.tags) count(tags, tag);
    count(groups, t.group);
    count(countries, t.country);
    count(types, t.institutionType);
  }
  const sorted = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([value, n]) => ({ value, n }));
  return {
    tags: sorted(tags),
    groups: sorted(groups),
    countries: sorted(countries),
    institutionTypes: sorted(types),
  };
}

/** A target as a campaign's recipient: the fields a letter uses, and which target (and version) it came from. */
export type DirectoryRecipient = Recipient & { targetId: string; targetVersion: number };

export function asRecipient(t: Target, recipientId: (email: string) => string): DirectoryRecipient {
  const r: Record<string, unknown> = {
    id: recipientId(t.email),
    email: t.email,
    name: t.name,
    group: t.group,
    targetId: t.id,
    targetVersion: t.version,
  };
  for (const f of [
    'title',
    'organisation',
    'country',
    'language',
    'salutation',
    'source',
    'lastVerified',
  ] as const)
    if (t[f]) r[f] = t[f];
  if (t.fallbackEmails?.length) r.fallbackEmails = t.fallbackEmails;
  return r as unknown as DirectoryRecipient;
}

/** Targets the freshness window flags, as of `now`. */
export const staleAmong = (targets: readonly Target[], now: Date, windowDays: number) =>
  targets.filter((t) => !t.archived && isStale(t, now, windowDays));
