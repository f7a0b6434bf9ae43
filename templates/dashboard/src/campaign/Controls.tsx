/**
 * Approve, schedule, launch, pause, resume and cancel, for campaigners. The
 * approval state is said in words before anything else. Launching and
 * scheduling ask for confirmation in a dialog that repeats how many letters
 * go, the deadline and the approval; cancelling asks too. After each action
 * its result is announced and focused, and the page reads everything again.
 */
import { useState } from 'preact/hooks';
import { ApiError, campaignPath, post } from '../api/client.js';
import { plural } from '../format/labels.js';
import { formatDuration, formatWhen, localInputToIso, zoneCity } from '../format/time.js';
import { campaignHref } from '../route.js';
import { useZone } from '../ui/context.js';
import { useFocusTarget, useNow } from '../ui/hooks.js';
import { Dialog, When } from '../ui/parts.js';
import { ApprovalState, useVersions } from './approval.js';
import { useCampaign } from './data.js';
import { Preflight } from './Preflight.js';
import { Changes } from './Changes.js';
import { Tidy } from './Tidy.js';
import { ListNotes } from './ListNotes.js';

type Action = 'approve' | 'launch' | 'schedule' | 'pause' | 'resume' | 'cancel';

const ALLOWED: Record<Action, string[]> = {
  approve: ['draft', 'scheduled'],
  launch: ['draft', 'scheduled'],
  schedule: ['draft'],
  pause: ['sending'],
  resume: ['paused'],
  cancel: ['draft', 'scheduled', 'sending', 'paused'],
};

/** What is left to do with a campaign that has ended: nothing, said plainly. */
const FINISHED: Record<string, string> = {
  completed:
    'This campaign is completed: every letter has gone; nothing is left to approve or send.',
  cancelled: 'This campaign was cancelled: nothing more will be sent.',
  expired: 'The deadline of this campaign has passed: nothing more will be sent.',
};

const DONE: Record<Action, string> = {
  approve: 'Approved.',
  launch: 'Launched: the letters are being queued; the progress shows above.',
  schedule: 'Scheduled.',
  pause: 'Paused: no further letter goes out until you resume.',
  resume: 'Resumed.',
  cancel: 'Cancelled: letters not yet sent will never be sent.',
};

export function Controls() {
  const data = useCampaign();
  const zone = useZone();
  const now = useNow(30_000);
  const versions = useVersions();
  const facts = versions.facts;
  const [result, setResult] = useState<{ text: string; bad?: boolean }>();
  const [confirm, setConfirm] = useState<Action>();
  const [busy, setBusy] = useState(false);
  const [at, setAt] = useState('');
  const [anyTime, setAnyTime] = useState(false);
  const [hours, setHours] = useState({ from: '08:00', to: '18:00', days: 'mon-fri' });
  const [resultRef, focusResult] = useFocusTarget<HTMLParagraphElement>();
  const c = data.detail!;
  const status = data.stats?.status ?? c.status;
  const can = (a: Action) => ALLOWED[a].includes(status) && !busy;
  const f = data.stats?.funnel;
  const letters = Math.max(
    0,
    c.recipientCount - (f ? f.sent + f.suppressed + f.failed + f.expired : 0),
  );
  const blocked = versions.data?.mode === 'two-person' && !!facts?.current && !facts.satisfied;

  async function run(action: Action) {
    setConfirm(undefined);
    setBusy(true);
    try {
      let text = DONE[action];
      if (action === 'schedule') {
        const iso = at ? localInputToIso(at, zone) : undefined;
        const out = await post<{ scheduledAt?: string; planText?: string }>(
          campaignPath(c.id, '/schedule'),
          {
            ...(iso ? { at: iso } : {}),
            anyTime,
            ...(anyTime ? {} : { window: `${hours.from}-${hours.to}`, days: hours.days }),
          },
        );
        text = `Scheduled to launch ${formatWhen(out.scheduledAt, zone, { weekday: true })}. ${out.planText ?? ''}`;
      } else if (action === 'approve') {
        await post(
          campaignPath(c.id, '/approve'),
          facts?.current ? { hash: facts.current.hash } : {},
        );
      } else {
        // Launch answers at once (202) and queues in the background: the header shows the progress.
        await post(campaignPath(c.id, `/${action}`));
        if (action === 'launch')
          text = `Launched: ${plural(letters, 'letter')} going out. The progress shows at the top of the page.`;
      }
      setResult({ text });
    } catch (err) {
      const e = err as Error;
      const plain =
        e instanceof ApiError && e.code === 'APPROVAL_REQUIRED' && facts
          ? `Not done: ${facts.text}`
          : `Not done: ${e.message}`;
      setResult({ text: plain, bad: true });
    } finally {
      setBusy(false);
      await data.refresh({ changed: true });
      focusResult();
    }
  }

  const deadlineIn = Date.parse(c.deadline) - now;
  const plan = data.plan?.plan;
  return (
    <section id="controls" class="panel" aria-labelledby="controls-h">
      <h2 id="controls-h">Approve and send</h2>
      {FINISHED[status] ? <p id="finished">{FINISHED[status]}</p> : null}
      <ApprovalState facts={facts} id="approval-state" />
      {status === 'draft' || status === 'scheduled' ? (
        <>
          <ListNotes id="controls-list-notes" />
          <Changes />
        </>
      ) : null}
      <div class="buttons">
        <button
          type="button"
          data-action="approve"
          disabled={!can('approve') || !facts?.canApprove || facts.satisfied}
          onClick={() => void run('approve')}
        >
          Approve version {facts?.current?.number ?? ''}
        </button>
        <button
          type="button"
          class="primary"
          data-action="launch"
          disabled={!can('launch')}
          onClick={() => setConfirm('launch')}
        >
          Launch now…
        </button>
        <button
          type="button"
          data-action="pause"
          disabled={!can('pause')}
          onClick={() => void run('pause')}
        >
          Pause
        </button>
        <button
          type="button"
          data-action="resume"
          disabled={!can('resume')}
          onClick={() => void run('resume')}
        >
          Resume
        </button>
        <button
          type="button"
          class="danger"
          data-action="cancel"
          disabled={!can('cancel')}
          onClick={() => setConfirm('cancel')}
        >
          Cancel campaign…
        </button>
      </div>
      <form
        id="schedule-form"
        class="inline"
        onSubmit={(ev) => {
          ev.preventDefault();
          setConfirm('schedule');
        }}
      >
        <label for="schedule-at">Launch at ({zoneCity(zone)} time)</label>
        <input
          id="schedule-at"
          type="datetime-local"
          aria-describedby="schedule-hint"
          value={at}
          onInput={(e) => setAt((e.target as HTMLInputElement).value)}
        />
        <label class="check">
          <input
            id="schedule-any"
            type="checkbox"
            checked={anyTime}
            onChange={(e) => setAnyTime((e.target as HTMLInputElement).checked)}
          />{' '}
          any hour (no office hours)
        </label>
        {!anyTime ? (
          <fieldset class="inline" id="office-hours">
            <legend>Office hours (each recipient's own time)</legend>
            <label for="hours-from">from</label>
            <input
              id="hours-from"
              type="time"
              value={hours.from}
              onInput={(e) => setHours({ ...hours, from: (e.target as HTMLInputElement).value })}
            />
            <label for="hours-to">to</label>
            <input
              id="hours-to"
              type="time"
              value={hours.to}
              onInput={(e) => setHours({ ...hours, to: (e.target as HTMLInputElement).value })}
            />
            <label for="hours-days">on</label>
            <select
              id="hours-days"
              value={hours.days}
              onChange={(e) => setHours({ ...hours, days: (e.target as HTMLSelectElement).value })}
            >
              <option value="mon-fri">Monday to Friday</option>
              <option value="mon-sat">Monday to Saturday</option>
              <option value="mon-sun">every day</option>
            </select>
          </fieldset>
        ) : null}
        <button type="submit" data-action="schedule" disabled={!can('schedule')}>
          Schedule…
        </button>
        <span id="schedule-hint" class="hint">
          Empty: the plan's start, every letter inside its recipient's office hours.
        </span>
      </form>
      <p
        id="control-result"
        role="status"
        tabIndex={-1}
        ref={resultRef}
        class={result?.bad ? 'error' : undefined}
      >
        {result?.text ?? ''}
      </p>
      {!FINISHED[status] ? <Preflight campaignId={c.id} /> : null}
      <p>
        <a href={campaignHref(c.id, 'letter')}>Preview the letter</a> ·{' '}
        <a href={campaignHref(c.id, 'approval')}>Versions and audit log</a>
      </p>
      <Tidy />
      <Dialog
        id="confirm"
        open={confirm !== undefined}
        title={
          confirm === 'cancel'
            ? 'Cancel this campaign?'
            : confirm === 'schedule'
              ? 'Schedule the launch?'
              : 'Launch now?'
        }
        onClose={() => setConfirm(undefined)}
      >
        {confirm === 'cancel' ? (
          <>
            <p>Letters not yet sent will never be sent. This cannot be undone.</p>
            <p class="buttons">
              <button
                type="button"
                class="danger"
                id="confirm-go"
                onClick={() => void run('cancel')}
              >
                Cancel the campaign
              </button>
              <button type="button" onClick={() => setConfirm(undefined)}>
                Keep it
              </button>
            </p>
          </>
        ) : (
          <>
            <dl class="facts" id="confirm-facts">
              <dt>Letters</dt>
              <dd>
                {plural(letters, 'letter')} to {plural(c.recipientCount, 'recipient')}
                {c.dryRun ? ' (dry run: rendered and recorded, no mail sent)' : ''}
              </dd>
              <dt>Deadline</dt>
              <dd>
                <When at={c.deadline} weekday />{' '}
                {deadlineIn > 0 ? `(in ${formatDuration(deadlineIn)})` : '(passed)'}
              </dd>
              {confirm === 'schedule' ? (
                <>
                  <dt>Launch</dt>
                  <dd>
                    {at ? (
                      <When at={localInputToIso(at, zone)} weekday />
                    ) : plan?.start ? (
                      <>
                        the plan's start, <When at={plan.start} weekday />
                      </>
                    ) : (
                      "the plan's start"
                    )}
                    {anyTime
                      ? ', at any hour'
                      : `, each letter inside its recipient's office hours (${hours.from}–${hours.to}, ${hours.days})`}
                  </dd>
                </>
              ) : null}
              <dt>Approval</dt>
              <dd>{facts?.text ?? 'not read yet'}</dd>
            </dl>
            {blocked ? (
              <p class="error">
                Not approved yet: {confirm === 'schedule' ? 'scheduling' : 'launching'} is refused
                until it is.
              </p>
            ) : null}
            <p class="buttons">
              <button
                type="button"
                class="primary"
                id="confirm-go"
                disabled={blocked}
                onClick={() => void run(confirm ?? 'launch')}
              >
                {confirm === 'schedule'
                  ? 'Schedule the launch'
                  : `Send ${plural(letters, 'letter')} now`}
              </button>
              <button type="button" onClick={() => setConfirm(undefined)}>
                Go back
              </button>
            </p>
          </>
        )}
      </Dialog>
    </section>
  );
}
