/**
 * Coalition sign-on for the lead campaigner: open it with a closing time and
 * share the invite link; see who signed by state (pending, confirmed,
 * approved, rejected) with possible duplicates flagged; approve, reject (or
 * merge into a duplicate), rename and put initiators first; close it, which
 * locks the approved list into the statement (a new version to approve);
 * turn the public open-letter page on or off (shown once the letters went out).
 * Every action is the API's (audited there); names are set as text.
 */
import { useState } from 'preact/hooks';
import { campaignPath, download, get, post } from '../api/client.js';
import { useLoad } from '../ui/hooks.js';
import { Problem, ScrollBox, When } from '../ui/parts.js';
import { useCampaign } from './data.js';

interface Sig {
  id: string;
  name: string;
  latin?: string;
  displayName: string;
  country: string;
  orgType: string;
  website?: string;
  contactName: string;
  contactEmail: string;
  state: string;
  initiator?: boolean;
  duplicates: { other: string; reason: string }[];
}
interface Listing {
  settings: {
    state: string;
    closesAt: string;
    closedAt?: string;
    openLetter?: { on: boolean };
  } | null;
  inviteUrl?: string;
  openLetterUrl?: string;
  locked: number;
  counts: Record<string, number>;
  items: Sig[];
}

const STATES = ['pending', 'confirmed', 'approved', 'rejected'];
const REASONS: Record<string, string> = {
  website: 'same website',
  'email-domain': 'same email domain',
  name: 'similar name',
};

/** A datetime-local value two days before the deadline (or tomorrow), in the browser's zone. */
function defaultClose(deadline?: string): string {
  const at = deadline ? Date.parse(deadline) - 2 * 86_400_000 : Date.now() + 86_400_000;
  const d = new Date(Math.max(at, Date.now() + 3_600_000));
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

export function Signon() {
  const data = useCampaign();
  const [n, setN] = useState(0);
  const [state, setState] = useState('');
  const [error, setError] = useState<string>();
  const [note, setNote] = useState<string>();
  const [closes, setCloses] = useState(() => defaultClose(data.detail?.deadline));
  const list = useLoad(() => get<Listing>(campaignPath(data.id, '/signon')), [data.id, n]);
  const act = async (path: string, body: unknown, done?: string) => {
    setError(undefined);
    try {
      const out = await post<{ version?: { number: number } }>(campaignPath(data.id, path), body);
      setNote(
        out.version
          ? `${done ?? 'Done'}. The statement is now version ${out.version.number}: it needs approval again.`
          : done,
      );
      setN((x) => x + 1);
      if (out.version) await data.refresh({ changed: true });
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const l = list.data;
  const s = l?.settings;
  const names = new Map(l?.items.map((x) => [x.id, x.displayName]));
  const shown = (l?.items ?? []).filter((x) => !state || x.state === state);
  const draft = data.detail?.status === 'draft';
  return (
    <section id="signon" class="panel" aria-labelledby="so-h">
      <h2 id="so-h">Sign-on: organisations co-signing the statement</h2>
      <Problem error={list.error ?? error} id="so-error" />
      {note ? (
        <p role="status" id="so-note">
          {note}
        </p>
      ) : null}
      {s ? (
        <p id="so-state">
          {s.state === 'open' ? (
            <>
              Open until <When at={s.closesAt} />. Invite link:{' '}
            </>
          ) : (
            <>
              Closed <When at={s.closedAt} />;{' '}
              {l.locked === 1
                ? '1 approved organisation is'
                : `${l.locked} approved organisations are`}{' '}
              in the statement. Invite link (shows “closed”):{' '}
            </>
          )}
          <input id="so-link" readOnly value={l.inviteUrl} aria-label="Invite link" size={48} />
        </p>
      ) : (
        <p class="muted">Sign-on is not open: organisations cannot co-sign yet.</p>
      )}
      {draft ? (
        <p>
          {s?.state === 'open' ? (
            <button
              id="so-close"
              type="button"
              onClick={() => void act('/signon/close', {}, 'Sign-on closed')}
            >
              Close sign-on and lock the approved list
            </button>
          ) : (
            <>
              <label>
                Closing time{' '}
                <input
                  id="so-closes"
                  type="datetime-local"
                  value={closes}
                  onInput={(e) => setCloses(e.currentTarget.value)}
                />
              </label>{' '}
              <button
                id="so-open"
                type="button"
                onClick={() =>
                  void act(
                    '/signon/open',
                    { closesAt: new Date(closes).toISOString() },
                    'Sign-on open',
                  )
                }
              >
                {s ? 'Reopen sign-on' : 'Open sign-on'}
              </button>
            </>
          )}
        </p>
      ) : null}
      {s ? (
        <p id="so-open-letter">
          <label>
            <input
              id="so-open-letter-on"
              type="checkbox"
              checked={!!s.openLetter?.on}
              onChange={(e) =>
                void act(
                  '/signon/open-letter',
                  { on: e.currentTarget.checked },
                  e.currentTarget.checked ? 'Open-letter page on' : 'Open-letter page off',
                )
              }
            />{' '}
            Public open-letter page: the statement and its approved signatories, shown once the
            letters went out
          </label>
          {s.openLetter?.on ? (
            <>
              {' '}
              <input
                id="so-open-letter-link"
                readOnly
                value={l.openLetterUrl}
                aria-label="Open-letter link"
                size={48}
              />
            </>
          ) : null}
        </p>
      ) : null}
      {l ? (
        <p>
          <label>
            Show{' '}
            <select id="so-filter" value={state} onChange={(e) => setState(e.currentTarget.value)}>
              <option value="">all ({l.items.length})</option>
              {STATES.map((x) => (
                <option key={x} value={x}>
                  {x} ({l.counts[x] ?? 0})
                </option>
              ))}
            </select>
          </label>{' '}
          <button
            type="button"
            onClick={() =>
              void download(campaignPath(data.id, '/signatories.csv'), `signatories-${data.id}.csv`)
            }
          >
            Export CSV
          </button>
        </p>
      ) : null}
      <ScrollBox label="Signatories">
        <table class="data cards" id="so-table">
          <caption class="hint">
            In the letter’s order: initiators first, then alphabetically. Pending ones have not
            confirmed their email and never appear anywhere.
          </caption>
          <thead>
            <tr>
              <th scope="col">Organisation</th>
              <th scope="col">Country</th>
              <th scope="col">Contact</th>
              <th scope="col">State</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((x) => (
              <Row key={x.id} x={x} names={names} act={act} draft={draft} />
            ))}
          </tbody>
        </table>
      </ScrollBox>
    </section>
  );
}

function Row(props: {
  x: Sig;
  names: Map<string, string>;
  act: (path: string, body: unknown, done?: string) => Promise<void>;
  draft: boolean;
}) {
  const { x, act } = props;
  const [name, setName] = useState(x.displayName);
  const path = `/signatories/${encodeURIComponent(x.id)}`;
  const dup = x.duplicates[0];
  return (
    <tr data-sid={x.id}>
      <td data-label="Organisation">
        <strong dir="auto">{x.displayName}</strong>
        {x.initiator ? ' (initiator)' : ''}
        {x.latin ? <span class="hint"> {x.latin}</span> : null}
        {x.displayName !== x.name ? <span class="hint"> given as “{x.name}”</span> : null}
        {x.duplicates.map((d) => (
          <span key={d.other} class="tag" data-dup={d.other}>
            possible duplicate of {props.names.get(d.other) ?? d.other} ({REASONS[d.reason]})
          </span>
        ))}
      </td>
      <td data-label="Country">{x.country}</td>
      <td data-label="Contact">
        {x.contactName} &lt;{x.contactEmail}&gt;
      </td>
      <td data-label="State">{x.state}</td>
      <td data-label="Actions">
        {props.draft ? (
          <>
            {x.state === 'confirmed' ? (
              <button
                type="button"
                onClick={() => void act(path, { action: 'approve' }, `${x.displayName} approved`)}
              >
                Approve
              </button>
            ) : null}
            {x.state !== 'rejected' ? (
              <button
                type="button"
                onClick={() => void act(path, { action: 'reject' }, `${x.displayName} rejected`)}
              >
                Reject
              </button>
            ) : (
              <button type="button" onClick={() => void act(path, { action: 'reopen' })}>
                Reopen
              </button>
            )}
            {dup && x.state !== 'rejected' ? (
              <button
                type="button"
                onClick={() => void act(path, { action: 'reject', mergeInto: dup.other }, 'Merged')}
              >
                Merge into {props.names.get(dup.other) ?? dup.other}
              </button>
            ) : null}
            <button
              type="button"
              onClick={() => void act(`${path}/edit`, { initiator: !x.initiator })}
            >
              {x.initiator ? 'Not an initiator' : 'Initiator'}
            </button>
            <label>
              <span class="hint">Name in the letter</span>
              <input value={name} maxLength={250} onInput={(e) => setName(e.currentTarget.value)} />
            </label>
            {name !== x.displayName ? (
              <button
                type="button"
                onClick={() =>
                  void act(
                    `${path}/edit`,
                    { displayName: name },
                    'Renamed; the organisation is told',
                  )
                }
              >
                Save name
              </button>
            ) : null}
          </>
        ) : null}
      </td>
    </tr>
  );
}
