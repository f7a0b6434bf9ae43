/**
 * Importing into the directory as a reviewed change: the file is compared
 * first (nothing written), each new, changed (field by field) and missing
 * target is listed with a box to tick, bad rows by line, and only the ticked
 * changes are applied. The server compares again when applying: a change
 * whose target moved on meanwhile is reported, not applied.
 */
import { useState } from 'preact/hooks';
import { post } from '../api/client.js';
import { Problem } from '../ui/parts.js';
import type { DirectoryDiff, ImportCompared } from './types.js';

const val = (s?: string) => s ?? '(empty)';

function entries(d: DirectoryDiff) {
  return [
    ...d.added.map((e) => ({
      key: e.key,
      what: 'new',
      name: e.fields.name,
      lines: [`${e.fields.email} · line ${e.line}`],
    })),
    ...d.changed.map((e) => ({
      key: e.key,
      what: 'changed',
      name: e.name,
      lines: e.changes.map((c) => `${c.field}: ${val(c.before)} → ${val(c.after)}`),
    })),
    ...d.missing.map((e) => ({
      key: e.key,
      what: 'missing',
      name: e.name,
      lines: [`${e.email} · not in the file: archived if applied`],
    })),
  ];
}

export function ImportPanel(props: { onApplied: () => void }) {
  const [file, setFile] = useState<{ name: string; csv: string }>();
  const [compared, setCompared] = useState<ImportCompared>();
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [error, setError] = useState<Error>();
  const [done, setDone] = useState<string>();

  async function read(f: File) {
    setError(undefined);
    setDone(undefined);
    try {
      const csv = await f.text();
      const r = await post<ImportCompared>('/api/targets/import', { csv, file: f.name });
      setFile({ name: f.name, csv });
      setCompared(r);
      setChosen(new Set(entries(r.diff).map((e) => e.key)));
    } catch (err) {
      setError(err as Error);
    }
  }

  async function apply() {
    if (!file) return;
    try {
      const r = await post<{
        created: number;
        updated: number;
        archived: number;
        stale: string[];
        conflicts: string[];
      }>('/api/targets/import/apply', { csv: file.csv, file: file.name, keys: [...chosen] });
      setDone(
        `Applied: ${r.created} new, ${r.updated} changed, ${r.archived} archived.${r.stale.length + r.conflicts.length ? ` ${r.stale.length + r.conflicts.length} not applied: their target changed meanwhile; import again to compare.` : ''}`,
      );
      setCompared(undefined);
      props.onApplied();
    } catch (err) {
      setError(err as Error);
    }
  }

  const list = compared ? entries(compared.diff) : [];
  return (
    <section class="panel" aria-labelledby="imp-title">
      <h2 id="imp-title">Import a list</h2>
      <p class="hint">
        A CSV with the recipients columns and, optionally, kind, institutionType, tags, notes and
        externalId. Rows are matched by externalId, else by email. Nothing is written until you
        apply.
      </p>
      <input
        id="imp-file"
        type="file"
        accept=".csv,text/csv"
        aria-label="Directory CSV"
        onChange={(e) => {
          const f = (e.target as HTMLInputElement).files?.[0];
          if (f) void read(f);
        }}
      />
      <Problem error={error} />
      {done ? (
        <p id="imp-done" class="ok" role="status">
          {done}
        </p>
      ) : null}
      {compared ? (
        <div id="imp-diff">
          <p role="status">
            <strong>{compared.summary}</strong>
          </p>
          {compared.problems.length ? (
            <ul class="warn" id="imp-problems">
              {compared.problems.map((p) => (
                <li key={p.line}>
                  {file?.name}:{p.line}: skipped: {p.message}
                </li>
              ))}
            </ul>
          ) : null}
          <ul class="diff-list">
            {list.map((e) => (
              <li key={e.key}>
                <label>
                  <input
                    type="checkbox"
                    data-key={e.key}
                    checked={chosen.has(e.key)}
                    onChange={(ev) => {
                      const next = new Set(chosen);
                      if ((ev.target as HTMLInputElement).checked) next.add(e.key);
                      else next.delete(e.key);
                      setChosen(next);
                    }}
                  />{' '}
                  <span class="tag">{e.what}</span> <strong>{e.name}</strong>
                </label>
                <ul>
                  {e.lines.map((l, i) => (
                    <li key={i}>{l}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
          <p class="buttons">
            <button
              type="button"
              id="imp-apply"
              disabled={!chosen.size}
              onClick={() => void apply()}
            >
              Apply {chosen.size} of {list.length} changes
            </button>
          </p>
        </div>
      ) : null}
    </section>
  );
}
