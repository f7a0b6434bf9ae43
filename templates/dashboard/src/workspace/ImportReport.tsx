/**
 * What a recipients list imports, as a table a campaigner can act on: rows
 * accepted, each refused row with its line, column and reason (duplicates
 * among them), and the list by group, country, language and the month
 * officials' addresses were last verified; with the warnings that matter
 * before approval (stale officials' addresses, languages without a
 * translation).
 */
import type { ListCheck } from '../api/types.js';
import { count, GROUP_LABELS, plural } from '../format/labels.js';
import { ScrollBox } from '../ui/parts.js';

function Counts(props: {
  title: string;
  counts: Record<string, number>;
  label?: (k: string) => string;
}) {
  const entries = Object.entries(props.counts).sort((a, b) => b[1] - a[1]);
  if (!entries.length) return null;
  return (
    <div class="count-list">
      <h4>{props.title}</h4>
      <ul>
        {entries.map(([k, n]) => (
          <li key={k}>
            {props.label ? props.label(k) : k}: <span class="num">{count(n)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ImportReport(props: { report: ListCheck | { error: string }; id?: string }) {
  const r = props.report;
  if ('error' in r)
    return (
      <p class="error" role="alert" id={props.id}>
        The list cannot be read: {r.error}
      </p>
    );
  return (
    <div class="import-report" id={props.id}>
      <p id="import-summary" role="status">
        <strong>{plural(r.accepted, 'recipient')}</strong> accepted of {plural(r.rows, 'row')}
        {r.refused.length ? `; ${plural(r.refused.length, 'row')} refused` : ''}
        {r.duplicates
          ? ` (${plural(r.duplicates, 'duplicate address', 'duplicate addresses')})`
          : ''}
        .
      </p>
      {r.staleWarning ? (
        <p class="warn" id="import-stale">
          {r.staleWarning}
        </p>
      ) : null}
      {r.untranslated ? (
        <p class="warn" id="import-untranslated">
          {r.untranslated.text}
        </p>
      ) : null}
      {r.refused.length ? (
        <ScrollBox label="Refused rows">
          <table class="data cards" id="refused">
            <caption>Refused rows: fix them in the file and upload it again</caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Column</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {r.refused.map((p) => (
                <tr key={p.line} data-line={p.line}>
                  <td data-label="Line" class="num">
                    {p.endLine && p.endLine !== p.line ? `${p.line}–${p.endLine}` : p.line}
                  </td>
                  <td data-label="Column">{p.field || '(whole row)'}</td>
                  <td data-label="Reason">{p.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      ) : null}
      <div class="count-lists">
        <Counts title="By group" counts={r.byGroup} label={(k) => GROUP_LABELS[k] ?? k} />
        <Counts title="By country" counts={r.byCountry} />
        <Counts title="By language" counts={r.byLanguage} />
        <Counts title="Officials by last verification" counts={r.byVerified} />
      </div>
    </div>
  );
}
