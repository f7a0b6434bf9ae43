/**
 * "Check before launch": what SES would refuse as things stand (the sending
 * identity, DKIM, MAIL FROM, SPF, DMARC, the sandbox, the quota, the
 * configuration set), one line per check with what fixes a failed one.
 * Launch and schedule run the same checks on the server and refuse when one
 * fails; this lets a campaigner see it first.
 */
import { useState } from 'preact/hooks';
import { campaignPath, get } from '../api/client.js';
import type { PreflightReport } from '../api/types.js';
import { plural } from '../format/labels.js';
import { useFocusTarget } from '../ui/hooks.js';
import { Problem } from '../ui/parts.js';

export function Preflight(props: { campaignId: string }) {
  const [report, setReport] = useState<PreflightReport>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const [ref, focus] = useFocusTarget<HTMLParagraphElement>();

  async function run() {
    setBusy(true);
    setError(undefined);
    try {
      setReport(await get<PreflightReport>(campaignPath(props.campaignId, '/preflight')));
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
      focus();
    }
  }

  return (
    <section id="preflight-panel" class="panel" aria-labelledby="preflight-h">
      <h2 id="preflight-h">Check before launch</h2>
      <p>
        <button type="button" id="preflight-run" disabled={busy} onClick={() => void run()}>
          {busy ? 'Checking…' : 'Check before launch'}
        </button>{' '}
        <span class="hint">
          What SES would refuse: identity, DKIM, MAIL FROM, SPF, DMARC, sandbox, quota,
          configuration set. Launch runs the same checks.
        </span>
      </p>
      <p id="preflight-verdict" tabIndex={-1} ref={ref} role="status">
        {report
          ? report.ok
            ? `Ready to send ${plural(report.letters, 'letter')}.`
            : 'Not ready: SES would refuse this campaign as things stand.'
          : ''}
      </p>
      {report ? (
        <ul id="preflight" class="checks">
          {report.checks.map((c) => (
            <li key={c.id} data-check={c.id} class={c.ok ? 'ok' : 'fail'}>
              <span aria-hidden="true">{c.ok ? '✓ ' : '✗ '}</span>
              <span class="sr-only">{c.ok ? 'passed: ' : 'failed: '}</span>
              {c.id}: {c.detail}
              {!c.ok && c.fix ? ` To fix: ${c.fix}` : ''}
            </li>
          ))}
        </ul>
      ) : null}
      <Problem error={error} />
    </section>
  );
}
