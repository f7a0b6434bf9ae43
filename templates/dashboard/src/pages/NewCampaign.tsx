/**
 * A new campaign, for campaigners: the statement (pasted, picked or dropped
 * as a file, or written here: Markdown with front matter, or plain text), the
 * letter's details as a form (subject, meeting, deadline in a chosen zone,
 * language, signatories, postal address, the sender from the deployment's
 * own; the reply domain is the deployment's), and the recipients: a list, or
 * a selection from the target directory with optional ad-hoc rows. The
 * server checks everything as it is typed (POST /api/drafts/check, nothing
 * stored) and each problem shows next to its field, or by line for the
 * statement and the list. Creating it makes version 1, which another
 * campaigner approves.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiError } from '../api/client.js';
import { get, post } from '../api/client.js';
import type { DraftCheck, Settings, StatementCheck } from '../api/types.js';
import { DEFAULT_ZONE, localInputToIso, zoneCity } from '../format/time.js';
import { campaignHref } from '../route.js';
import { isCampaigner, useMe } from '../ui/context.js';
import { useLoad } from '../ui/hooks.js';
import { Problem } from '../ui/parts.js';
import { DirectoryPick, selects, type Selection } from '../workspace/DirectoryPick.js';
import { ImportReport } from '../workspace/ImportReport.js';
import { Field, FileDrop, fieldOf, type Issue } from '../workspace/fields.js';

const ZONES = [
  'Europe/Brussels',
  'Europe/Lisbon',
  'Europe/London',
  'Europe/Helsinki',
  'Europe/Vilnius',
  'Europe/Kyiv',
  'UTC',
];
const LANGUAGES = ['en', 'fr', 'de', 'es', 'it', 'pl', 'lt', 'ru', 'uk'];

interface Form {
  subject: string;
  meeting: string;
  deadline: string;
  zone: string;
  language: string;
  fromName: string;
  fromAddress: string;
  signatories: string;
  postalAddress: string;
}

/** The form as the API's `overrides`: only what the campaigner filled in. */
function overridesOf(f: Form, settings: Settings | undefined) {
  const deadline = f.deadline ? localInputToIso(f.deadline, f.zone) : undefined;
  const signatories = f.signatories
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [name = '', ...org] = l.split(/\s+[—–-]\s+|,\s*/);
      return org.length ? { name, organisation: org.join(', ') } : { name };
    });
  return {
    ...(f.subject.trim() ? { subject: f.subject.trim() } : {}),
    ...(f.meeting.trim() ? { meeting: f.meeting.trim() } : {}),
    ...(deadline ? { deadline, zone: f.zone } : {}),
    ...(f.language ? { language: f.language } : {}),
    ...(f.fromAddress
      ? {
          from: {
            name: f.fromName.trim() || settings?.defaultFrom.name || '',
            address: f.fromAddress,
          },
        }
      : {}),
    ...(signatories.length ? { signatories } : {}),
    ...(f.postalAddress.trim() ? { postalAddress: f.postalAddress.trim() } : {}),
  };
}

/** Waits `ms` after the last change before running `fn` (the check as the campaigner types). */
function useDebounced(fn: () => void, deps: unknown[], ms = 400) {
  const saved = useRef(fn);
  saved.current = fn;
  useEffect(() => {
    const t = setTimeout(() => saved.current(), ms);
    return () => clearTimeout(t);
  }, deps);
}

function StatementSummary(props: { s: StatementCheck }) {
  if (!props.s.title) return null;
  return (
    <dl class="facts" id="statement-summary">
      <dt>Title</dt>
      <dd>{props.s.title}</dd>
      <dt>Subject</dt>
      <dd>{props.s.subject}</dd>
      <dt>From</dt>
      <dd>
        {props.s.from?.name} &lt;{props.s.from?.address}&gt;
      </dd>
      <dt>Signed by</dt>
      <dd>
        {props.s.signatories?.length
          ? props.s.signatories.map((g) => g.name).join(', ')
          : 'no signatories'}
      </dd>
    </dl>
  );
}

export function NewCampaign() {
  const me = useMe();
  const settings = useLoad(() => get<Settings>('/api/settings'), []);
  const [source, setSource] = useState('');
  const [name, setName] = useState('statement.txt');
  const [csv, setCsv] = useState<{ name: string; text: string; size: number }>();
  const [form, setForm] = useState<Form>({
    subject: '',
    meeting: '',
    deadline: '',
    zone: DEFAULT_ZONE,
    language: 'en',
    fromName: '',
    fromAddress: '',
    signatories: '',
    postalAddress: '',
  });
  const [dryRun, setDryRun] = useState(false);
  // Where the recipients come from: a list, or the directory (the list's rows are then ad-hoc rows).
  const [from, setFrom] = useState<'list' | 'directory'>('list');
  const [selection, setSelection] = useState<Selection>({});
  const [check, setCheck] = useState<DraftCheck>();
  const [issues, setIssues] = useState<Issue[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const s = settings.data;
  useEffect(() => {
    document.getElementById('new-h')?.focus();
  }, []);
  useEffect(() => {
    if (s && !form.fromAddress)
      setForm((f) => ({ ...f, fromAddress: s.defaultFrom.address, fromName: s.defaultFrom.name }));
  }, [s]);

  const body = () => ({
    statement: source,
    statementName: name,
    overrides: overridesOf(form, s),
  });
  useDebounced(() => {
    if (!source.trim() && !csv) return;
    post<DraftCheck>('/api/drafts/check', {
      ...body(),
      ...(csv ? { recipientsCsv: csv.text } : {}),
    })
      .then((c) => {
        setCheck(c);
        setIssues(source.trim() ? c.statement.issues : []);
      })
      .catch((e: Error) => setError(e.message));
  }, [source, name, csv, form]);

  const set = (k: keyof Form) => (e: Event) =>
    setForm((f) => ({ ...f, [k]: (e.target as HTMLInputElement).value }));
  const of = (field: string) => issues.filter((i) => fieldOf(i) === field);
  const loose = issues.filter((i) => !fieldOf(i));

  async function create(ev: Event) {
    ev.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (from === 'directory') {
        if (!selects(selection))
          throw new Error('pick at least one tag, group, country or institution, or search');
        const out = await post<{ campaign: { id: string } }>('/api/campaigns/from-directory', {
          ...body(),
          selection: { ...selection, ...(selection.q?.trim() ? { q: selection.q.trim() } : {}) },
          ...(csv ? { recipientsCsv: csv.text } : {}),
          dryRun,
        });
        location.hash = campaignHref(out.campaign.id, 'draft');
        return;
      }
      let list: { recipientsCsv: string } | { recipientsUpload: string } | undefined;
      if (csv && csv.size > 1_000_000) {
        // A large list goes straight to storage (S3 in AWS, the local data folder here), then by its id.
        const slot = await post<{
          id: string;
          url: string;
          method: string;
          headers?: Record<string, string>;
        }>('/api/uploads');
        const put = await fetch(slot.url, {
          method: slot.method,
          headers: slot.headers,
          body: csv.text,
        });
        if (!put.ok) throw new Error(`the upload failed (HTTP ${put.status})`);
        list = { recipientsUpload: slot.id };
      } else if (csv) list = { recipientsCsv: csv.text };
      if (!list) throw new Error('add a recipients list (CSV) first');
      const out = await post<{ campaign: { id: string } }>('/api/campaigns', {
        ...body(),
        ...list,
        dryRun,
      });
      location.hash = campaignHref(out.campaign.id, 'draft');
    } catch (err) {
      const e = err as ApiError;
      const details = e.details as { issues?: Issue[] } | undefined;
      if (details?.issues) setIssues(details.issues);
      setError(`Not created: ${e.message}`);
      document.getElementById('new-error')?.focus();
    } finally {
      setBusy(false);
    }
  }

  if (!isCampaigner(me))
    return <p>Only campaigners create campaigns. Ask a campaigner of your coalition.</p>;
  const list = check?.recipients;
  return (
    <section id="new" aria-labelledby="new-h">
      <p class="back">
        <a href="#/">← All campaigns</a>
      </p>
      <h1 id="new-h" tabIndex={-1}>
        New campaign
      </h1>
      <form onSubmit={(e) => void create(e)} noValidate>
        <section class="panel" aria-labelledby="st-h">
          <h2 id="st-h">1. The statement</h2>
          <FileDrop
            id="statement-file"
            label="Statement file (.md or .txt)"
            accept=".md,.txt,text/plain,text/markdown"
            onFile={(n, text) => {
              setName(n);
              setSource(text);
            }}
          />
          <Field
            id="statement"
            label="Or paste or write it here"
            hint="Markdown with front matter, or plain text: the first line is the title, blank lines part paragraphs."
            issues={loose}
          >
            {(describedBy, invalid) => (
              <textarea
                id="statement"
                rows={12}
                value={source}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                onInput={(e) => setSource((e.target as HTMLTextAreaElement).value)}
              />
            )}
          </Field>
          {loose.length ? (
            <ul id="statement-issues" class="error-list">
              {loose.map((i, n) => (
                <li key={n}>
                  {i.line !== undefined ? `Line ${i.line}: ` : ''}
                  {i.field}: {i.message}
                </li>
              ))}
            </ul>
          ) : null}
          {check?.statement ? <StatementSummary s={check.statement} /> : null}
        </section>

        <section class="panel" aria-labelledby="details-h">
          <h2 id="details-h">2. The letter's details</h2>
          <p class="hint">What you fill in here wins over the statement's front matter.</p>
          <div class="form-grid">
            <Field id="f-subject" label="Subject" issues={of('subject')}>
              {(d, bad) => (
                <input
                  id="f-subject"
                  value={form.subject}
                  onInput={set('subject')}
                  aria-describedby={d}
                  aria-invalid={bad}
                />
              )}
            </Field>
            <Field id="f-meeting" label="Meeting" issues={of('meeting')}>
              {(d, bad) => (
                <input
                  id="f-meeting"
                  value={form.meeting}
                  onInput={set('meeting')}
                  aria-describedby={d}
                  aria-invalid={bad}
                />
              )}
            </Field>
            <Field
              id="f-deadline"
              label={`Deadline (${zoneCity(form.zone)} time)`}
              issues={of('deadline')}
              hint="No letter goes out after it."
            >
              {(d, bad) => (
                <input
                  id="f-deadline"
                  type="datetime-local"
                  value={form.deadline}
                  onInput={set('deadline')}
                  aria-describedby={d}
                  aria-invalid={bad}
                />
              )}
            </Field>
            <Field id="f-zone" label="Deadline's time zone">
              {() => (
                <select id="f-zone" value={form.zone} onChange={set('zone')}>
                  {ZONES.map((z) => (
                    <option key={z} value={z}>
                      {zoneCity(z)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id="f-language" label="Language of the main text" issues={of('language')}>
              {(d) => (
                <select
                  id="f-language"
                  value={form.language}
                  onChange={set('language')}
                  aria-describedby={d}
                >
                  {LANGUAGES.map((l) => (
                    <option key={l} value={l}>
                      {l}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field
              id="f-from"
              label="Sender"
              issues={of('from')}
              hint={
                s
                  ? `Replies come back to ${s.replyDomain} (this deployment's reply domain).`
                  : undefined
              }
            >
              {(d, bad) => (
                <select
                  id="f-from"
                  value={form.fromAddress}
                  onChange={set('fromAddress')}
                  aria-describedby={d}
                  aria-invalid={bad}
                >
                  {(s?.senders ?? []).map((a) => (
                    <option key={a} value={a}>
                      {a}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id="f-from-name" label="Sender's name">
              {() => <input id="f-from-name" value={form.fromName} onInput={set('fromName')} />}
            </Field>
            <Field
              id="f-signatories"
              label="Signatories"
              hint="One a line: name — organisation."
              issues={of('signatories')}
            >
              {(d, bad) => (
                <textarea
                  id="f-signatories"
                  rows={4}
                  value={form.signatories}
                  onInput={set('signatories')}
                  aria-describedby={d}
                  aria-invalid={bad}
                />
              )}
            </Field>
            <Field
              id="f-postal"
              label="Postal address (letter footer)"
              issues={of('postalAddress')}
            >
              {(d, bad) => (
                <input
                  id="f-postal"
                  value={form.postalAddress}
                  onInput={set('postalAddress')}
                  aria-describedby={d}
                  aria-invalid={bad}
                />
              )}
            </Field>
          </div>
        </section>

        <section class="panel" aria-labelledby="rc-h">
          <h2 id="rc-h">3. The recipients</h2>
          <fieldset class="ticks" id="rc-from">
            <legend>Take them from</legend>
            <label class="check">
              <input
                type="radio"
                name="rc-from"
                id="rc-from-list"
                checked={from === 'list'}
                onChange={() => setFrom('list')}
              />
              a recipients list (CSV)
            </label>
            <label class="check">
              <input
                type="radio"
                name="rc-from"
                id="rc-from-directory"
                checked={from === 'directory'}
                onChange={() => setFrom('directory')}
              />
              the directory: pick by tag, group, country, institution or search
            </label>
          </fieldset>
          {from === 'directory' ? (
            <>
              <DirectoryPick value={selection} onChange={setSelection} />
              <p class="hint">
                The targets are copied into the campaign when you create it; its approved version
                keeps that copy whatever changes in the directory afterwards.
              </p>
            </>
          ) : null}
          <FileDrop
            id="recipients-file"
            label={
              from === 'directory'
                ? 'Ad-hoc rows beside the selection (optional CSV, the recipients columns)'
                : 'Recipients list (CSV, from any spreadsheet)'
            }
            accept=".csv,.tsv,.txt,text/csv"
            onFile={(n, text, size) => setCsv({ name: n, text, size })}
          />
          {csv ? (
            <p class="hint" id="recipients-name">
              {csv.name}, {Math.ceil(csv.size / 1024)} KB
            </p>
          ) : null}
          {list ? <ImportReport report={list} id="import" /> : null}
        </section>

        <p class="buttons">
          <label class="check">
            <input
              type="checkbox"
              id="dry-run"
              checked={dryRun}
              onChange={(e) => setDryRun((e.target as HTMLInputElement).checked)}
            />{' '}
            Dry run: render and record every letter, send none
          </label>
        </p>
        <p class="buttons">
          <button type="submit" class="primary" id="create" disabled={busy}>
            {busy ? 'Creating…' : 'Create the draft'}
          </button>
        </p>
        <Problem error={error} id="new-error" />
      </form>
    </section>
  );
}
