/**
 * Who answers: letters delivered, human replies, the median time to the
 * first human reply and auto-acknowledgements, per institution type,
 * country or group, across the campaigns of a period; exportable as CSV.
 */
import { useState } from 'preact/hooks';
import { download, get } from '../api/client.js';
import type { ResponsivenessRow } from '../../../../functions/core/directory/history.js';
import { useLoad } from '../ui/hooks.js';
import { Problem, ScrollBox } from '../ui/parts.js';

const BY = [
  ['institutionType', 'institution type'],
  ['country', 'country'],
  ['group', 'group'],
] as const;

export function Responsiveness() {
  const [by, setBy] = useState('institutionType');
  const [from, setFrom] = useState('');
  const q = new URLSearchParams({ by, ...(from ? { from } : {}) }).toString();
  const view = useLoad(
    () => get<{ rows: ResponsivenessRow[]; campaigns: number }>(`/api/targets/responsiveness?${q}`),
    [q],
  );
  return (
    <section class="panel" aria-labelledby="resp-title">
      <h2 id="resp-title">Who answers</h2>
      <p class="filters">
        <label>
          By{' '}
          <select
            id="resp-by"
            value={by}
            onChange={(e) => setBy((e.target as HTMLSelectElement).value)}
          >
            {BY.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label>
          Campaigns launched since{' '}
          <input
            id="resp-from"
            type="date"
            value={from}
            onChange={(e) => setFrom((e.target as HTMLInputElement).value)}
          />
        </label>
        <button
          type="button"
          class="linklike"
          onClick={() =>
            void download(`/api/targets/responsiveness.csv?${q}`, `responsiveness-${by}.csv`)
          }
        >
          Export CSV
        </button>
      </p>
      <Problem error={view.error} />
      <ScrollBox label="Responsiveness">
        <table id="resp-table" class="data cards">
          <thead>
            <tr>
              <th>{BY.find(([v]) => v === by)![1]}</th>
              <th>Letters</th>
              <th>Delivered</th>
              <th>Human replies</th>
              <th>Median time to reply</th>
              <th>Auto-acknowledgements</th>
            </tr>
          </thead>
          <tbody>
            {(view.data?.rows ?? []).map((r) => (
              <tr key={r.key}>
                <td data-label={BY.find(([v]) => v === by)![1]}>{r.key}</td>
                <td data-label="Letters">{r.letters}</td>
                <td data-label="Delivered">{r.delivered}</td>
                <td data-label="Human replies">
                  {r.humanReplies} ({Math.round(r.replyRate * 100)} %)
                </td>
                <td data-label="Median time to reply">
                  {r.medianHoursToReply === undefined ? '—' : `${r.medianHoursToReply} h`}
                </td>
                <td data-label="Auto-acknowledgements">{r.autoAcknowledgements}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
    </section>
  );
}
