/**
 * Keeping the campaigns list tidy, for campaigners: archive a campaign that
 * is not live (it leaves the list; "Show archived" brings it back), and
 * delete a draft or discard a dry run, after a dialog that says what goes
 * and what stays. The server removes a bounded page per request; this asks
 * again until nothing is left.
 */
import { useState } from 'preact/hooks';
import { campaignPath, post } from '../api/client.js';
import type { CampaignSummary } from '../api/types.js';
import { plural } from '../format/labels.js';
import { useFocusTarget } from '../ui/hooks.js';
import { Dialog } from '../ui/parts.js';
import { useCampaign } from './data.js';

const LIVE = ['scheduled', 'sending', 'paused'];

/** Mirrors the server's rule (core/discard.ts): only what never reached anyone may be deleted. */
export function deletable(
  c: Pick<CampaignSummary, 'dryRun' | 'launchedAt'> & { status: string },
): boolean {
  return c.dryRun ? c.status !== 'sending' : c.status === 'draft' && !c.launchedAt;
}

export function Tidy() {
  const data = useCampaign();
  const c = data.detail!;
  const status = data.stats?.status ?? c.status;
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ text: string; bad?: boolean }>();
  const [resultRef, focusResult] = useFocusTarget<HTMLParagraphElement>();
  // Once deleted nothing is left to do, but the result stays where focus is.
  if (c.deleted && !result) return null;
  const what = c.dryRun ? 'dry run' : 'draft';

  async function act(run: () => Promise<string>) {
    setAsking(false);
    setBusy(true);
    try {
      setResult({ text: await run() });
    } catch (err) {
      setResult({ text: `Not done: ${(err as Error).message}`, bad: true });
    } finally {
      setBusy(false);
      await data.refresh({ changed: true });
      focusResult();
    }
  }

  const archive = (archived: boolean) =>
    act(async () => {
      await post(campaignPath(c.id, '/archive'), { archived });
      return archived
        ? 'Archived: the campaigns list leaves it out until you show archived campaigns.'
        : 'Listed again.';
    });

  const remove = () =>
    act(async () => {
      let removed = 0;
      let body: Record<string, unknown> = reason.trim() ? { reason: reason.trim() } : {};
      for (;;) {
        const out = await post<{ removed: number; remaining: boolean }>(
          campaignPath(c.id, '/delete'),
          body,
        );
        removed += out.removed;
        body = {};
        if (!out.remaining) break;
        setResult({ text: `Deleting: ${removed.toLocaleString('en-GB')} items removed…` });
      }
      return `Deleted: its ${plural(c.recipientCount, 'recipient')} and letters are removed; its versions and audit log are kept.`;
    });

  return (
    <section id="tidy" aria-labelledby="tidy-h">
      <h3 id="tidy-h">Archive or delete</h3>
      {c.deleted ? null : (
        <p class="buttons">
          {c.archived ? (
            <button
              type="button"
              id="unarchive"
              disabled={busy}
              onClick={() => void archive(false)}
            >
              Show in the list again
            </button>
          ) : (
            <button
              type="button"
              id="archive"
              disabled={busy || LIVE.includes(status)}
              onClick={() => void archive(true)}
            >
              Archive
            </button>
          )}
          {deletable({ ...c, status }) ? (
            <button
              type="button"
              class="danger"
              id="delete"
              disabled={busy}
              onClick={() => setAsking(true)}
            >
              {c.dryRun ? 'Discard dry run…' : 'Delete draft…'}
            </button>
          ) : null}
        </p>
      )}
      {LIVE.includes(status) ? (
        <p class="hint">A campaign that is {status} stays in the list until it ends.</p>
      ) : null}
      <p
        id="tidy-result"
        role="status"
        tabIndex={-1}
        ref={resultRef}
        class={result?.bad ? 'error' : undefined}
      >
        {result?.text ?? ''}
      </p>
      <Dialog
        id="delete-confirm"
        open={asking}
        title={`Delete this ${what}?`}
        onClose={() => setAsking(false)}
      >
        <p>
          Its {plural(c.recipientCount, 'recipient')} and compiled letters are removed for good. Its
          versions and audit log are kept and will say who deleted it.
        </p>
        <label for="delete-reason">Why (kept in the audit log, optional)</label>
        <input
          id="delete-reason"
          maxLength={300}
          value={reason}
          onInput={(e) => setReason((e.target as HTMLInputElement).value)}
        />
        <p class="buttons">
          <button type="button" class="danger" id="delete-go" onClick={() => void remove()}>
            Delete the {what}
          </button>
          <button type="button" onClick={() => setAsking(false)}>
            Keep it
          </button>
        </p>
      </Dialog>
    </section>
  );
}
