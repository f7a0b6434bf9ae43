/**
 * Letters that need a decision: those SES refused (failed) and those whose
 * outcome is unknown (their sender stopped after handing them to SES and
 * before recording them, and no SES event says whether they left). Each is
 * listed with its reason. A failed letter can be sent again once its cause
 * is fixed; an unknown one may already be in its recipient's inbox, so
 * "send again" first asks the campaigner to accept that it may arrive twice
 * (the server refuses without that acceptance), and "mark as sent" records
 * what a person knows. The server checks SES's events and the deadline and
 * writes the audit log; the panel only asks.
 */
import { useEffect, useState } from 'preact/hooks';
import { campaignPath, get, post } from '../api/client.js';
import type { StuckLetter, StuckList, StuckResult } from '../api/types.js';
import { GROUP_LABELS, plural } from '../format/labels.js';
import { isCampaigner, useMe } from '../ui/context.js';
import { useFocusTarget, useLoad } from '../ui/hooks.js';
import { Dialog, Problem, ScrollBox } from '../ui/parts.js';
import { useCampaign } from './data.js';

type Ask =
  | { action: 'resend'; body: { state: 'failed' | 'unknown'; recipientIds: string[] } }
  | { action: 'mark-sent'; body: { recipientIds: string[] } };

const STATE_LABEL = { failed: 'failed', unknown: 'unknown outcome' } as const;

/** What the server did, in one sentence. */
function resultText(action: Ask['action'], out: StuckResult): string {
  const done = out.resent ?? out.marked ?? [];
  const verb = action === 'resend' ? 'sent again' : 'marked as sent';
  return (
    `${plural(done.length, 'letter')} ${verb}.` +
    out.refused.map((r) => ` Not done: ${r.reason}.`).join('')
  );
}

export function StuckLetters(props: { params: Record<string, string> }) {
  const data = useCampaign();
  const me = useMe();
  const status = data.stats?.status ?? data.detail?.status;
  // A draft or scheduled campaign has sent nothing, so nothing can be stuck.
  const sentSome = status !== undefined && status !== 'draft' && status !== 'scheduled';
  const f = data.stats?.funnel;
  const list = useLoad(
    async () => (sentSome ? get<StuckList>(campaignPath(data.id, '/letters/stuck')) : undefined),
    [data.id, sentSome, data.changes, f?.failed, f?.unknown],
  );
  const [duplicate, setDuplicate] = useState<StuckLetter>();
  const [result, setResult] = useState<{ text: string; bad?: boolean }>();
  const [busy, setBusy] = useState(false);
  const [headRef, focusHead] = useFocusTarget<HTMLHeadingElement>();
  const [resultRef, focusResult] = useFocusTarget<HTMLParagraphElement>();
  const items = list.data?.items ?? [];
  useEffect(() => {
    if (props.params.at === 'stuck' && items.length) focusHead();
  }, [props.params.at, items.length > 0]);
  if (!items.length && !result) return null;

  async function ask(a: Ask) {
    setDuplicate(undefined);
    setBusy(true);
    try {
      const body =
        a.action === 'resend' && a.body.state === 'unknown'
          ? { ...a.body, acceptPossibleDuplicate: true }
          : a.body;
      const out = await post<StuckResult>(campaignPath(data.id, `/letters/${a.action}`), body);
      setResult({ text: resultText(a.action, out), bad: out.refused.length > 0 });
    } catch (err) {
      setResult({ text: `Not done: ${(err as Error).message}`, bad: true });
    } finally {
      setBusy(false);
      await Promise.all([list.reload(), data.refresh({ changed: true })]);
      focusResult();
    }
  }

  const campaigner = isCampaigner(me);
  return (
    <section id="stuck" class="panel" aria-labelledby="stuck-h">
      <h2 id="stuck-h" ref={headRef} tabIndex={-1}>
        Letters that need a decision
      </h2>
      {items.length ? (
        <>
          <p class="hint">
            <strong>Failed</strong>: SES refused the letter for its recipient; fix the cause, then
            send it again. <strong>Unknown outcome</strong>: its sender stopped after handing it to
            SES and before recording it, and no SES event says whether it left. It may already be in
            the recipient's inbox, so sending it again may deliver it twice; if you know it arrived,
            mark it as sent instead.
          </p>
          <ScrollBox label="Letters that need a decision">
            <table class="data cards">
              <caption class="sr-only">Failed letters and letters with an unknown outcome</caption>
              <thead>
                <tr>
                  <th scope="col">Recipient</th>
                  <th scope="col">State</th>
                  <th scope="col">Reason</th>
                  {campaigner ? <th scope="col">Action</th> : null}
                </tr>
              </thead>
              <tbody id="stuck-body">
                {items.map((r) => (
                  <tr key={r.recipientId} data-stuck={r.recipientId}>
                    <td data-label="Recipient">
                      {r.name} &lt;{r.email}&gt;
                      <span class="subject">
                        {[r.organisation, GROUP_LABELS[r.group] ?? r.group]
                          .filter(Boolean)
                          .join(', ')}
                      </span>
                    </td>
                    <td data-label="State">{STATE_LABEL[r.state]}</td>
                    <td data-label="Reason">{r.reason ?? ''}</td>
                    {campaigner ? (
                      <td data-label="Action">
                        {r.state === 'failed' ? (
                          <button
                            type="button"
                            disabled={busy}
                            onClick={() =>
                              void ask({
                                action: 'resend',
                                body: { state: 'failed', recipientIds: [r.recipientId] },
                              })
                            }
                          >
                            Send again
                          </button>
                        ) : (
                          <span class="buttons">
                            <button type="button" disabled={busy} onClick={() => setDuplicate(r)}>
                              Send again…
                            </button>
                            <button
                              type="button"
                              disabled={busy}
                              onClick={() =>
                                void ask({
                                  action: 'mark-sent',
                                  body: { recipientIds: [r.recipientId] },
                                })
                              }
                            >
                              Mark as sent
                            </button>
                          </span>
                        )}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollBox>
          {list.data?.more ? (
            <p class="hint">More letters wait behind these: decide on these first.</p>
          ) : null}
        </>
      ) : (
        <p>No letter needs a decision any more.</p>
      )}
      <Problem error={list.error} />
      <p
        id="stuck-result"
        role="status"
        tabIndex={-1}
        ref={resultRef}
        class={result?.bad ? 'error' : undefined}
      >
        {result?.text ?? ''}
      </p>
      <Dialog
        id="duplicate"
        open={duplicate !== undefined}
        title="Send this letter again?"
        onClose={() => setDuplicate(undefined)}
      >
        <p id="duplicate-text">
          {duplicate?.name}'s letter may already have arrived: its sender stopped after handing it
          to SES, and no SES event says whether it left. Sending it again may deliver it twice.
        </p>
        <p class="buttons">
          <button
            type="button"
            class="primary"
            id="duplicate-go"
            onClick={() =>
              duplicate &&
              void ask({
                action: 'resend',
                body: { state: 'unknown', recipientIds: [duplicate.recipientId] },
              })
            }
          >
            Send it again, it may arrive twice
          </button>
          <button type="button" onClick={() => setDuplicate(undefined)}>
            Go back
          </button>
        </p>
      </Dialog>
    </section>
  );
}
