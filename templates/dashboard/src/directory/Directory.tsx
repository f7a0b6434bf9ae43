/**
 * The target directory: the people and offices kept across campaigns,
 * filtered by tag, group, country, institution type and free search (the
 * filters go into the page address), those not verified within the window
 * flagged, and the import that shows its comparison before anything is
 * written. Names and values from outside are set as text only.
 */
import { download, get } from '../api/client.js';
import { count } from '../format/labels.js';
import { formatRoute } from '../route.js';
import { isCampaigner, useMe } from '../ui/context.js';
import { useLoad } from '../ui/hooks.js';
import { Problem, ScrollBox } from '../ui/parts.js';
import { ImportPanel } from './ImportPanel.js';
import { Responsiveness } from './Responsiveness.js';
import type { Facet, TargetList } from './types.js';

const FILTERS = [
  ['tags', 'Tag'],
  ['groups', 'Group'],
  ['countries', 'Country'],
  ['institutionTypes', 'Institution'],
] as const;

const go = (params: Record<string, string>) => {
  location.hash = formatRoute({ page: 'directory', params });
};

export function Directory(props: { params: Record<string, string> }) {
  const me = useMe();
  const q = new URLSearchParams({ ...props.params, limit: '200' }).toString();
  const list = useLoad(() => get<TargetList>(`/api/targets?${q}`), [q]);
  const set = (k: string, v: string) => go({ ...props.params, [k]: v });
  const d = list.data;
  return (
    <section aria-labelledby="d-title">
      <h1 id="d-title" tabIndex={-1}>
        Target directory
      </h1>
      <p class="hint">
        People and offices kept across campaigns. A campaign takes a copy of those it selects when
        it is created; its approved version keeps that copy.
      </p>
      <Problem error={list.error} />
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        {FILTERS.map(([k, label]) => (
          <label key={k}>
            {label}{' '}
            <select
              id={`f-${k}`}
              value={props.params[k] ?? ''}
              onChange={(e) => set(k, (e.target as HTMLSelectElement).value)}
            >
              <option value="">any</option>
              {(d?.facets[k] ?? []).map((f: Facet) => (
                <option key={f.value} value={f.value}>
                  {f.value} ({f.n})
                </option>
              ))}
            </select>
          </label>
        ))}
        <label>
          Search{' '}
          <input
            id="f-q"
            type="search"
            value={props.params.q ?? ''}
            onChange={(e) => set('q', (e.target as HTMLInputElement).value)}
          />
        </label>
        <label class="check">
          <input
            id="f-stale"
            type="checkbox"
            checked={props.params.stale === 'true'}
            onChange={(e) => set('stale', (e.target as HTMLInputElement).checked ? 'true' : '')}
          />{' '}
          not verified recently
        </label>
      </form>
      {d ? (
        <p id="d-count" role="status">
          {count(d.matching)} of {count(d.total)} targets · {count(d.stale)} not verified in the
          last {d.windowDays} days · {count(d.failing)} with a failing address{' '}
          <button
            type="button"
            class="linklike"
            onClick={() => void download('/api/targets/export.csv', 'directory.csv')}
          >
            Export CSV
          </button>
        </p>
      ) : null}
      <ScrollBox label="Targets">
        <table id="d-targets" class="data cards">
          <thead>
            <tr>
              <th>Name</th>
              <th>Organisation</th>
              <th>Country</th>
              <th>Institution</th>
              <th>Tags</th>
              <th>Verified</th>
            </tr>
          </thead>
          <tbody>
            {(d?.items ?? []).map((t) => (
              <tr key={t.id}>
                <td data-label="Name">
                  <a href={formatRoute({ page: 'target', id: t.id })}>{t.name}</a>
                  {t.failing ? <span class="tag warn"> address failing</span> : null}
                </td>
                <td data-label="Organisation">{t.organisation ?? ''}</td>
                <td data-label="Country">{t.country ?? ''}</td>
                <td data-label="Institution">{t.institutionType ?? ''}</td>
                <td data-label="Tags">{t.tags.join(', ')}</td>
                <td data-label="Verified" class={t.stale ? 'warn' : undefined}>
                  {t.lastVerified ?? 'never'}
                  {t.stale ? ' (check)' : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
      <Responsiveness />
      {isCampaigner(me) ? <ImportPanel onApplied={() => void list.reload()} /> : null}
    </section>
  );
}
