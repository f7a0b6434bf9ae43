/**
 * "Download report (PDF)": the proof-of-delivery report as the server renders
 * it for print, printed by the browser (its dialog saves it as PDF). The page
 * goes into a hidden frame that may show the print dialog but run no script
 * (sandbox without allow-scripts); the report itself carries no script and
 * loads nothing from elsewhere, so printing needs no server-side browser.
 */
import { useState } from 'preact/hooks';
import { campaignPath, text } from '../api/client.js';
import { Problem } from '../ui/parts.js';

export function ReportButton(props: { campaignId: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  async function print() {
    setBusy(true);
    try {
      const html = await text(campaignPath(props.campaignId, '/report.html'));
      document.getElementById('report-frame')?.remove();
      const frame = document.createElement('iframe');
      frame.id = 'report-frame';
      frame.title = 'Proof-of-delivery report, for printing';
      frame.setAttribute('sandbox', 'allow-same-origin allow-modals');
      frame.className = 'print-frame';
      frame.onload = () => frame.contentWindow?.print();
      frame.srcdoc = html;
      document.body.append(frame);
      setError(undefined);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button type="button" id="report-pdf" disabled={busy} onClick={() => void print()}>
        Download report (PDF)
      </button>
      <Problem error={error} />
    </>
  );
}
