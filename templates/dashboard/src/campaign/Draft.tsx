/**
 * A draft's statement and recipients, for campaigners: the main text and
 * each translation as tabs (its own title and subject, and side by side
 * with the main text); a translation added or replaced from a file or
 * pasted; the recipients list replaced or appended to, with the import shown
 * as a table. Every change is a new version (POST …/edit), which voids any
 * approval of the one before.
 */
import { useState } from 'preact/hooks';
import { campaignPath, post, type ApiError } from '../api/client.js';
import type { ListCheck } from '../api/types.js';
import { blockLines } from '../format/blocks.js';
import { plural } from '../format/labels.js';
import { useFocusTarget } from '../ui/hooks.js';
import { Problem } from '../ui/parts.js';
import { ImportReport } from '../workspace/ImportReport.js';
import { FileDrop } from '../workspace/fields.js';
import { useCampaign } from './data.js';
import { ListNotes } from './ListNotes.js';

const LANGUAGES = ['fr', 'de', 'es', 'it', 'pl', 'lt', 'ru', 'uk', 'en'];

function Side(props: {
  title: string;
  subject: string;
  lines: string[];
  lang: string;
  label: string;
}) {
  return (
    <article class="side" lang={props.lang} aria-label={props.label}>
      <h4>{props.title}</h4>
      <p class="hint">Subject: {props.subject}</p>
      {props.lines.map((l, i) => (
        <p key={i}>{l}</p>
      ))}
    </article>
  );
}

export function Draft() {
  const data = useCampaign();
  const c = data.detail!;
  const s = c.statement;
  const langs = [s.language, ...(s.translations ?? []).map((t) => t.language)];
  const [shown, setShown] = useState(s.language);
  const [lang, setLang] = useState(LANGUAGES.find((l) => !langs.includes(l)) ?? 'fr');
  const [source, setSource] = useState('');
  const [mode, setMode] = useState<'replace' | 'append'>('append');
  const [result, setResult] = useState<{ text: string; bad?: boolean }>();
  const [report, setReport] = useState<ListCheck>();
  const [busy, setBusy] = useState(false);
  const [ref, focus] = useFocusTarget<HTMLParagraphElement>();
  const status = data.stats?.status ?? c.status;
  const editable = status === 'draft';
  const t = s.translations?.find((x) => x.language === shown);

  async function edit(
    body: Record<string, unknown>,
    done: (out: Record<string, unknown>) => string,
  ) {
    setBusy(true);
    try {
      const out = await post<Record<string, unknown>>(campaignPath(c.id, '/edit'), body);
      setResult({ text: done(out) });
    } catch (err) {
      const e = err as ApiError;
      setResult({ text: `Not changed: ${e.message}`, bad: true });
    } finally {
      setBusy(false);
      await data.refresh({ changed: true });
      focus();
    }
  }

  return (
    <section id="draft" class="panel" aria-labelledby="draft-h">
      <h2 id="draft-h">Statement and recipients</h2>
      {!editable ? (
        <p class="hint">This campaign is {status}: its content can no longer change.</p>
      ) : null}
      <nav class="tabs small" aria-label="Languages">
        <ul>
          {langs.map((l) => (
            <li key={l}>
              <button
                type="button"
                data-lang={l}
                aria-pressed={shown === l}
                onClick={() => setShown(l)}
              >
                {l === s.language ? `${l} (main text)` : l}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {t ? (
        <div class="side-by-side" id="side-by-side">
          <Side
            lang={s.language}
            label={`Main text (${s.language})`}
            title={s.title}
            subject={s.subject}
            lines={blockLines(s.body)}
          />
          <Side
            lang={t.language}
            label={`Translation (${t.language})`}
            title={t.title}
            subject={t.subject}
            lines={blockLines(t.body)}
          />
        </div>
      ) : (
        <Side
          lang={s.language}
          label={`Main text (${s.language})`}
          title={s.title}
          subject={s.subject}
          lines={blockLines(s.body)}
        />
      )}

      {editable ? (
        <>
          <h3>Add or replace a translation</h3>
          <form
            class="stack"
            onSubmit={(e) => {
              e.preventDefault();
              void edit({ translations: [{ language: lang, source }] }, (out) => {
                setShown(lang);
                setSource('');
                const v = out.version as { number: number };
                return `Translation ${lang} saved as version ${v.number}. It needs approving again.`;
              });
            }}
          >
            <label for="tr-lang">Language</label>
            <select
              id="tr-lang"
              value={lang}
              onChange={(e) => setLang((e.target as HTMLSelectElement).value)}
            >
              {LANGUAGES.filter((l) => l !== s.language).map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
            <FileDrop
              id="tr-file"
              label="Translation file (.md with its own title and subject)"
              accept=".md,.txt"
              onFile={(_n, text) => setSource(text)}
            />
            <label for="tr-source">Or paste it here</label>
            <textarea
              id="tr-source"
              rows={6}
              value={source}
              onInput={(e) => setSource((e.target as HTMLTextAreaElement).value)}
            />
            <button type="submit" id="tr-save" disabled={busy || !source.trim()}>
              Save the translation
            </button>
          </form>

          <h3>Recipients</h3>
          <p>{plural(c.recipientCount, 'recipient')} on the list.</p>
          <ListNotes id="draft-list-notes" />
          <div role="group" aria-label="What the file does" class="toggle">
            {(['append', 'replace'] as const).map((m) => (
              <label class="check" key={m}>
                <input
                  type="radio"
                  name="rc-mode"
                  value={m}
                  checked={mode === m}
                  onChange={() => setMode(m)}
                />{' '}
                {m === 'append' ? 'add its rows to the list' : 'replace the whole list'}
              </label>
            ))}
          </div>
          <FileDrop
            id="rc-file"
            label="Recipients file (CSV)"
            accept=".csv,.tsv,.txt,text/csv"
            onFile={(_n, text) =>
              void edit({ recipients: { mode, csv: text } }, (out) => {
                const problems = (out.problems as ListCheck['refused']) ?? [];
                setReport(undefined);
                if (problems.length)
                  setReport({
                    rows: (out.recipients as number) + problems.length,
                    accepted: out.recipients as number,
                    refused: problems,
                    duplicates: problems.filter((p) => / repeats line \d+$/.test(p.message)).length,
                    byGroup: {},
                    byCountry: {},
                    byLanguage: {},
                    byVerified: {},
                  });
                return `${plural(out.recipients as number, 'recipient')} ${mode === 'append' ? 'added' : 'now on the list'}.`;
              })
            }
          />
          {report ? <ImportReport report={report} /> : null}
        </>
      ) : null}
      <p
        id="draft-result"
        role="status"
        tabIndex={-1}
        ref={ref}
        class={result?.bad ? 'error' : undefined}
      >
        {result?.text ?? ''}
      </p>
      <Problem error={data.error} />
    </section>
  );
}
