/**
 * The replies inbox: who wrote (and which of our letters they answered), when,
 * what kind of message it is, the first lines of what they wrote, and how
 * sure we are it is theirs, in plain words. Opening one shows the person, the
 * whole new text, attachments, the mail checks and the raw message. Every
 * value is text: a reply's HTML or markup is never rendered.
 */
import { useEffect, useState } from 'preact/hooks';
import { campaignPath, download, get, post } from '../api/client.js';
import type { RecipientDetail, ReplyDetail, ReplySummary } from '../api/types.js';
import { GROUP_LABELS, matchLabel, REPLY_KIND_LABELS, verdictText } from '../format/labels.js';
import { campaignHref } from '../route.js';
import { isCampaigner, useMe } from '../ui/context.js';
import { useFocusTarget, useLoad } from '../ui/hooks.js';
import { Problem, When } from '../ui/parts.js';
import { useCampaign } from './data.js';

const KINDS = ['human', 'auto-reply', 'forward', 'bounce', 'rejected'];

function sender(r: ReplySummary): string {
  if (!r.from) return 'unknown sender';
  return r.from.name ? `${r.from.name} <${r.from.address}>` : r.from.address;
}

/**
 * How the reply was tied to a recipient, short, for the list: a weak match
 * (only the From address is a recipient's) is marked and says whether a
 * campaigner confirmed it; until then it counts nothing.
 */
function MatchNote(props: { match?: ReplySummary['match'] }) {
  const m = props.match;
  if (m?.by === 'sender')
    return (
      <span class="weak">
        {m.confirmedBy ? `same sender address, confirmed by ${m.confirmedBy}` : matchLabel(m)}
      </span>
    );
  return <span class={!m || m.by === 'none' ? 'warn' : undefined}>{matchLabel(m)}</span>;
}

/** A weak match to a recipient a campaigner may confirm (audited; then it counts once). */
const confirmable = (r: ReplyDetail) =>
  r.match.by === 'sender' && !!r.recipientId && !r.match.confirmedBy && r.kind === 'human';

function ReplyView(props: {
  id: string;
  campaignId: string;
  onClose: () => void;
  onChanged: () => Promise<void>;
}) {
  const me = useMe();
  const [ref, focus] = useFocusTarget<HTMLHeadingElement>();
  const reply = useLoad(
    () =>
      get<ReplyDetail>(campaignPath(props.campaignId, `/replies/${encodeURIComponent(props.id)}`)),
    [props.id],
  );
  const r = reply.data;
  const person = useLoad(
    async () =>
      r?.recipientId
        ? get<RecipientDetail>(
            campaignPath(props.campaignId, `/recipients/${encodeURIComponent(r.recipientId)}`),
          )
        : undefined,
    [r?.recipientId],
  );
  const [error, setError] = useState<string>();
  const [confirmed, setConfirmed] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function handle(handled: boolean) {
    if (!r) return;
    setBusy(true);
    try {
      await post(campaignPath(props.campaignId, `/replies/${encodeURIComponent(r.id)}/handled`), {
        handled,
      });
      await Promise.all([reply.reload(), props.onChanged()]);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }
  useEffect(() => {
    if (r) focus();
  }, [r?.id]);

  async function confirm() {
    if (!r) return;
    setBusy(true);
    try {
      const out = await post<{ counted: boolean }>(
        campaignPath(props.campaignId, `/replies/${encodeURIComponent(r.id)}/confirm`),
      );
      await Promise.all([reply.reload(), props.onChanged()]);
      setConfirmed(
        out.counted
          ? 'Confirmed: it now counts as this recipient’s reply.'
          : 'Confirmed (the recipient had already replied: counted once).',
      );
    } catch (err) {
      setConfirmed(`Not confirmed: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  }
  if (reply.error) return <Problem error={reply.error} />;
  if (!r) return <p class="muted">Opening the reply…</p>;
  const p = person.data?.recipient;
  const checks = verdictText(r.verdicts);
  return (
    <article id="reply" class="detail" aria-labelledby="reply-subject">
      <h3 id="reply-subject" ref={ref} tabIndex={-1}>
        {r.subject || '(no subject)'}
      </h3>
      <p class="who-wrote">
        {p ? (
          <span id="reply-person">
            {[p.name, p.title, p.organisation, p.country].filter(Boolean).join(', ')} (
            {GROUP_LABELS[p.group] ?? p.group})
          </span>
        ) : null}
      </p>
      <p class="hint">
        From <span id="reply-from">{sender(r)}</span> · <When at={r.receivedAt} /> ·{' '}
        <span id="reply-kind">
          {REPLY_KIND_LABELS[r.kind] ?? r.kind}
          {r.rejectReason ? `: ${r.rejectReason}` : ''}
        </span>
      </p>
      <p id="reply-match" class={r.match.counts ? 'match' : 'match weak'}>
        {r.match.label}
      </p>
      {r.authenticity ? (
        <p id="reply-sender" class="hint">
          Sender: {r.authenticity.summary}
        </p>
      ) : null}
      {confirmable(r) && isCampaigner(me) ? (
        <p id="reply-confirm-box">
          <button type="button" id="reply-confirm" disabled={busy} onClick={() => void confirm()}>
            Confirm: this reply is from this recipient
          </button>
        </p>
      ) : null}
      <p id="reply-confirm-result" role="status">
        {confirmed ?? ''}
      </p>
      <p id="reply-handled" class="hint">
        {r.handledBy ? (
          <>
            Handled by {r.handledBy}, <When at={r.handledAt!} />.
          </>
        ) : (
          'To handle.'
        )}
        {r.readBy ? (
          <>
            {' '}
            First read by {r.readBy}, <When at={r.readAt!} />.
          </>
        ) : null}{' '}
        {isCampaigner(me) ? (
          <button
            type="button"
            id="reply-handle"
            disabled={busy}
            onClick={() => void handle(!r.handledBy)}
          >
            {r.handledBy ? 'Mark as still to handle' : 'Mark handled'}
          </button>
        ) : null}
      </p>
      {checks ? <p class="hint">Mail checks: {checks}</p> : null}
      <pre id="reply-text" class="reply-text">
        {r.text}
      </pre>
      {r.attachments?.length ? (
        <p id="reply-attachments" class="hint">
          Attachments:{' '}
          {r.attachments.map((a) => `${a.filename} (${Math.ceil(a.size / 1024)} KB)`).join(', ')}
        </p>
      ) : null}
      <p class="buttons">
        <button
          type="button"
          id="reply-raw"
          onClick={() =>
            download(r.rawUrl, `reply-${r.id}.eml`).catch((e: Error) => setError(e.message))
          }
        >
          Download the raw message
        </button>
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </p>
      <Problem error={error} />
    </article>
  );
}

export function Replies(props: { params: Record<string, string> }) {
  const data = useCampaign();
  const kind = props.params.kind ?? '';
  const handled = props.params.handled ?? '';
  const [unmatched, setUnmatched] = useState(false);
  const [open, setOpen] = useState<string>();
  const [headRef, focusHead] = useFocusTarget<HTMLHeadingElement>();
  const list = useLoad(
    () =>
      get<{ items: ReplySummary[] }>(
        campaignPath(
          data.id,
          `/replies?limit=100${kind ? `&kind=${encodeURIComponent(kind)}` : ''}${handled ? `&handled=${handled}` : ''}`,
        ),
      ),
    [data.id, kind, handled, data.changes, data.stats?.counters.replied],
  );
  useEffect(() => {
    if (props.params.at === 'replies') focusHead();
  }, [props.params.at, kind]);
  const items = (list.data?.items ?? []).filter(
    (r) => !unmatched || r.match?.by === 'none' || !r.match,
  );
  const setParam = (name: 'kind' | 'handled', v: string) => {
    const { [name]: _old, ...rest } = props.params;
    location.hash = campaignHref(data.id, 'overview', {
      ...rest,
      ...(v ? { [name]: v } : {}),
      at: 'replies',
    });
  };
  return (
    <section id="replies" class="panel" aria-labelledby="replies-h">
      <h2 id="replies-h" ref={headRef} tabIndex={-1}>
        Replies
      </h2>
      <div class="filters" role="group" aria-label="Show replies">
        <label>
          Kind
          <select
            name="kind"
            value={kind}
            onChange={(e) => setParam('kind', (e.target as HTMLSelectElement).value)}
          >
            <option value="">every kind</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {REPLY_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <label>
          State
          <select
            name="handled"
            value={handled}
            onChange={(e) => setParam('handled', (e.target as HTMLSelectElement).value)}
          >
            <option value="">handled or not</option>
            <option value="false">to handle</option>
            <option value="true">handled</option>
          </select>
        </label>
        <label class="check">
          <input
            type="checkbox"
            name="unmatched"
            checked={unmatched}
            onChange={(e) => setUnmatched((e.target as HTMLInputElement).checked)}
          />{' '}
          not matched to a recipient only
        </label>
      </div>
      <Problem error={list.error} />
      {list.data && !items.length ? (
        <p id="replies-empty" class="hint">
          {kind || unmatched ? 'No reply of this kind.' : 'No replies yet.'}
        </p>
      ) : null}
      <ul id="replies-list" class="replies">
        {items.map((r) => (
          <li key={r.id} data-reply={r.id} class={open === r.id ? 'open' : undefined}>
            <button
              type="button"
              class="linklike"
              aria-expanded={open === r.id}
              aria-controls={open === r.id ? 'reply' : undefined}
              onClick={() => setOpen(open === r.id ? undefined : r.id)}
            >
              {r.subject || '(no subject)'}
            </button>
            {r.person ? (
              <p class="who-wrote">
                {[r.person.name, r.person.title, r.person.organisation, r.person.country]
                  .filter(Boolean)
                  .join(', ')}
              </p>
            ) : null}
            <p class="hint">
              {sender(r)} · <When at={r.receivedAt} /> · {REPLY_KIND_LABELS[r.kind] ?? r.kind} ·{' '}
              <MatchNote match={r.match} /> ·{' '}
              <span class={r.handledBy ? 'handled' : 'tohandle'}>
                {r.handledBy ? `handled by ${r.handledBy}` : 'to handle'}
              </span>
              {r.attachments?.length
                ? ` · ${r.attachments.length} attachment${r.attachments.length === 1 ? '' : 's'}`
                : ''}
            </p>
            {r.excerpt ? (
              <p class="excerpt">{r.excerpt.split('\n').slice(0, 3).join(' ')}</p>
            ) : null}
          </li>
        ))}
      </ul>
      {open ? (
        <ReplyView
          id={open}
          campaignId={data.id}
          onChanged={async () => {
            await Promise.all([list.reload(), data.refresh({ changed: true })]);
          }}
          onClose={() => {
            const back = document.querySelector<HTMLButtonElement>(
              `li[data-reply="${CSS.escape(open)}"] button`,
            );
            setOpen(undefined);
            back?.focus();
          }}
        />
      ) : null}
    </section>
  );
}
