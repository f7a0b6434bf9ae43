/**
 * What the approver approves: the current version's full hash, what changed
 * since the last approved version (the letter's details, each language's
 * text line by line, the recipients added, removed or readdressed), and the
 * author's "ready for approval" request, which the other campaigners see on
 * their campaigns list. Text only: the diff is the server's (GET …/changes).
 */
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { campaignPath, get, post } from '../api/client.js';
import type { VersionChanges } from '../api/types.js';
import { plural } from '../format/labels.js';
import { formatWhen } from '../format/time.js';
import { useMe, useZone } from '../ui/context.js';
import { useFocusTarget, useLoad } from '../ui/hooks.js';
import { Problem, When } from '../ui/parts.js';
import { useCampaign } from './data.js';

type Diff = NonNullable<VersionChanges['diff']>;

/** Changed lines with one line of context each side; long unchanged runs folded. */
function TextDiff(props: { text: Diff['languages'][number]['text'] }) {
  return (
    <div class="diff" role="group" aria-label="Text changes">
      {props.text.map((c, i) => {
        if (c.op === 'same') {
          if (c.lines.length <= 2)
            return c.lines.map((l, j) => (
              <p key={`${i}-${j}`} class="same">
                {l}
              </p>
            ));
          return (
            <p key={i} class="fold">
              … {plural(c.lines.length, 'unchanged paragraph')} …
            </p>
          );
        }
        const Tag = c.op === 'added' ? 'ins' : 'del';
        return c.lines.map((l, j) => (
          <p key={`${i}-${j}`} class={c.op}>
            <span class="sr-only">{c.op === 'added' ? 'added: ' : 'removed: '}</span>
            <Tag>{l}</Tag>
          </p>
        ));
      })}
    </div>
  );
}

export function Changes() {
  const data = useCampaign();
  const zone = useZone();
  // A deadline reads as a time with its zone, like every time on the page; the rest as written.
  const shown = (field: string, value: string | undefined) =>
    !value ? '(empty)' : field === 'deadline' ? formatWhen(value, zone, { weekday: true }) : value;
  const me = useMe();
  const c = data.detail!;
  const changes = useLoad(
    () => get<VersionChanges>(campaignPath(c.id, '/changes')),
    [c.id, data.changes],
  );
  const [note, setNote] = useState('');
  const [said, setSaid] = useState<string>();
  const [ref, focus] = useFocusTarget<HTMLParagraphElement>();
  const v = changes.data;
  if (changes.error) return <Problem error={changes.error} />;
  if (!v) return <p class="muted">Reading what changed…</p>;
  const d = v.diff;
  const approved = v.approvals.length > 0;
  const request = c.approvalRequest?.hash === v.current.hash ? c.approvalRequest : undefined;
  const mine = me?.sub === v.current.author;

  async function ask() {
    try {
      await post(campaignPath(c.id, '/request-approval'), {
        hash: v!.current.hash,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      setSaid('Asked: the other campaigners see it at the top of their campaigns list.');
      await data.refresh({ changed: true });
    } catch (err) {
      setSaid(`Not asked: ${(err as Error).message}`);
    }
    focus();
  }

  return (
    <section id="changes" class="panel" aria-labelledby="changes-h">
      <h2 id="changes-h">What you approve</h2>
      <p>
        Version {v.current.number} by {v.current.authorEmail ?? v.current.author},{' '}
        <When at={v.current.createdAt} />: {v.current.reason}.
      </p>
      <p class="hint">
        Its hash (what the approval names): <code id="version-hash">{v.current.hash}</code>
      </p>
      {request ? (
        <p id="approval-request" class={approved ? 'hint' : 'pending'}>
          {request.byEmail ?? request.by} asked for approval <When at={request.at} />
          {request.note ? `: “${request.note}”` : '.'}
        </p>
      ) : !approved && mine && (data.stats?.status ?? c.status) === 'draft' ? (
        <p class="inline">
          <label for="ask-note">Note for the approver (optional)</label>
          <input
            id="ask-note"
            value={note}
            onInput={(e) => setNote((e.target as HTMLInputElement).value)}
          />
          <button type="button" id="ask-approval" onClick={() => void ask()}>
            Ready for approval: ask the other campaigners
          </button>
        </p>
      ) : null}
      <p role="status" tabIndex={-1} ref={ref} id="ask-result">
        {said ?? ''}
      </p>
      {!d ? (
        <p class="hint">
          This version was recorded before demarche kept versions' content: no diff to show.
        </p>
      ) : (
        <>
          <h3 id="diff-h">
            {v.base
              ? `Changes since version ${v.base.number}, approved by ${v.base.approvedBy.join(', ')}`
              : 'No version was approved before: everything is new'}
          </h3>
          {d.fields.length ? (
            <dl class="facts" id="diff-fields">
              {d.fields.map((f) => (
                <Fragment key={f.field}>
                  <dt>{f.field}</dt>
                  <dd>
                    {f.before !== undefined && v.base ? (
                      <>
                        <del>{shown(f.field, f.before)}</del> →{' '}
                      </>
                    ) : null}
                    <ins>{shown(f.field, f.after)}</ins>
                  </dd>
                </Fragment>
              ))}
            </dl>
          ) : null}
          {d.languages.map((l) => (
            <section
              key={l.language}
              class="diff-lang"
              data-lang={l.language}
              aria-label={`Text in ${l.language}`}
            >
              <h4>
                {l.language}: {l.state === 'same' ? 'unchanged' : l.state}
              </h4>
              {l.title ? <p>Title: {l.title.after ?? '(removed)'}</p> : null}
              {l.subject ? <p>Subject: {l.subject.after ?? '(removed)'}</p> : null}
              {l.state !== 'same' ? <TextDiff text={l.text} /> : null}
            </section>
          ))}
          <h4>Recipients</h4>
          <p id="diff-recipients">
            {d.recipients.before} → {d.recipients.after}
            {d.recipients.listed
              ? `: ${plural(d.recipients.added.length, 'added', 'added')}, ${d.recipients.removed.length} removed, ${d.recipients.changed.length} with another address.`
              : ' (too many to list one by one: counts only).'}
          </p>
          {d.recipients.added.length ||
          d.recipients.removed.length ||
          d.recipients.changed.length ? (
            <ul class="diff-people">
              {d.recipients.added.slice(0, 50).map((e) => (
                <li key={`+${e}`} class="added">
                  added {e}
                </li>
              ))}
              {d.recipients.removed.slice(0, 50).map((e) => (
                <li key={`-${e}`} class="removed">
                  removed {e}
                </li>
              ))}
              {d.recipients.changed.slice(0, 50).map((x) => (
                <li key={x.id}>
                  {x.before} → {x.after}
                </li>
              ))}
            </ul>
          ) : null}
        </>
      )}
    </section>
  );
}
