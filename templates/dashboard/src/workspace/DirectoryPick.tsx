/**
 * Recipients picked from the target directory for a new campaign: tags,
 * groups, countries and institution types as ticks (any ticked value of a
 * kind matches; every kind ticked must hold), free search, and, as the
 * campaigner changes them, how many targets the selection takes with the
 * first names among them. The count is the directory list's own filter
 * (GET /api/targets), so it is the rule the server applies at creation;
 * archived targets are never counted or taken.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { get } from '../api/client.js';
import type { Facet, TargetList } from '../directory/types.js';
import { count } from '../format/labels.js';
import { useLoad } from '../ui/hooks.js';
import { Problem } from '../ui/parts.js';

export interface Selection {
  tags?: string[];
  groups?: string[];
  countries?: string[];
  institutionTypes?: string[];
  q?: string;
}

const KINDS = [
  ['tags', 'Tags'],
  ['groups', 'Groups'],
  ['countries', 'Countries'],
  ['institutionTypes', 'Institutions'],
] as const;
type Kind = (typeof KINDS)[number][0];

/** Whether the selection names anything (the server refuses one that does not). */
export const selects = (s: Selection) =>
  KINDS.some(([k]) => (s[k]?.length ?? 0) > 0) || !!s.q?.trim();

/** The selection as the directory list's query. */
function queryOf(s: Selection): string {
  const q = new URLSearchParams({ limit: '5' });
  for (const [k] of KINDS) if (s[k]?.length) q.set(k, s[k].join(','));
  if (s.q?.trim()) q.set('q', s.q.trim());
  return q.toString();
}

export function DirectoryPick(props: { value: Selection; onChange: (s: Selection) => void }) {
  const s = props.value;
  // The whole directory's facets: what can be ticked.
  const all = useLoad(() => get<TargetList>('/api/targets?limit=1'), []);
  const [typed, setTyped] = useState(s.q ?? '');
  // The newest selection, for the search's delayed change (a tick meanwhile is kept).
  const latest = useRef(s);
  latest.current = s;
  useEffect(() => {
    const t = setTimeout(() => {
      const now = latest.current;
      if ((now.q ?? '') !== typed) props.onChange({ ...now, q: typed });
    }, 300);
    return () => clearTimeout(t);
  }, [typed]);
  const q = queryOf(s);
  const picked = useLoad(
    () => (selects(s) ? get<TargetList>(`/api/targets?${q}`) : Promise.resolve(undefined)),
    [q],
  );
  const toggle = (k: Kind, value: string, on: boolean) => {
    const now = new Set(s[k] ?? []);
    if (on) now.add(value);
    else now.delete(value);
    props.onChange({ ...s, [k]: [...now] });
  };
  const facets = all.data?.facets;
  const p = picked.data;
  return (
    <div id="dir-pick">
      <Problem error={all.error ?? picked.error} />
      {all.data && all.data.total === 0 ? (
        <p class="hint">
          The directory is empty: import your targets on the <a href="#/d">Directory</a> page first.
        </p>
      ) : null}
      {KINDS.map(([k, label]) =>
        facets?.[k].length ? (
          <fieldset key={k} class="ticks" id={`dp-${k}`}>
            <legend>{label}</legend>
            {facets[k].map((f: Facet) => (
              <label key={f.value} class="check">
                <input
                  type="checkbox"
                  value={f.value}
                  checked={s[k]?.includes(f.value) ?? false}
                  onChange={(e) => toggle(k, f.value, (e.target as HTMLInputElement).checked)}
                />
                {f.value} <span class="muted">({f.n})</span>
              </label>
            ))}
          </fieldset>
        ) : null,
      )}
      <div class="field">
        <label for="dp-q">Search (name, title, organisation, address, notes, tags)</label>
        <input
          id="dp-q"
          type="search"
          value={typed}
          onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
        />
      </div>
      <p id="dp-count" role="status" aria-live="polite">
        {!selects(s)
          ? 'Tick at least one tag, group, country or institution, or search: the whole directory is never taken by default.'
          : p
            ? `Selects ${count(p.matching)} of ${count(p.total)} targets${
                p.matching
                  ? `: ${p.items.map((t) => t.name).join(', ')}${p.matching > p.items.length ? ', …' : ''}`
                  : '.'
              }`
            : 'Counting…'}
      </p>
    </div>
  );
}
