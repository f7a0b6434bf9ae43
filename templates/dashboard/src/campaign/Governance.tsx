/**
 * Versions and the audit log: the approval state in words, officials'
 * addresses that are out of date, every version with its author, and who did
 * what when (append-only), with the CSV export.
 */
import { useState } from 'preact/hooks';
import { campaignPath, download, get } from '../api/client.js';
import type { AuditEntry } from '../api/types.js';
import { shortHash } from '../format/approval.js';
import { useLoad } from '../ui/hooks.js';
import { Problem, ScrollBox, When } from '../ui/parts.js';
import { ApprovalState, useVersions } from './approval.js';
import { useCampaign } from './data.js';

export function Governance() {
  const data = useCampaign();
  const versions = useVersions();
  const [error, setError] = useState<string>();
  const audit = useLoad(
    () => get<{ items: AuditEntry[] }>(campaignPath(data.id, '/audit')),
    [data.id, data.changes],
  );
  const warning = data.targets?.warning;
  return (
    <section id="governance" class="panel" aria-labelledby="gov-h">
      <h2 id="gov-h">Versions, approval and audit log</h2>
      <ApprovalState facts={versions.facts} id="gov-version" />
      <Problem error={versions.error} />
      {warning ? (
        <p id="gov-targets" role="note" class="error">
          {warning}
        </p>
      ) : null}
      {versions.data?.versions.length ? (
        <ScrollBox label="Versions">
          <table class="data cards" id="versions">
            <caption class="hint">Every version of the content; a change makes a new one</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Made</th>
                <th scope="col">By</th>
                <th scope="col">Why</th>
                <th scope="col">Recipients</th>
              </tr>
            </thead>
            <tbody>
              {[...versions.data.versions].reverse().map((v) => (
                <tr key={v.hash}>
                  <td data-label="Version">
                    {v.number} <code>{shortHash(v.hash)}</code>
                  </td>
                  <td data-label="Made">
                    <When at={v.createdAt} />
                  </td>
                  <td data-label="By">{v.author}</td>
                  <td data-label="Why">{v.reason}</td>
                  <td data-label="Recipients">{v.recipientCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      ) : null}
      <h3>Audit log</h3>
      <Problem error={audit.error} />
      <ScrollBox label="Audit log">
        <table class="data cards" id="audit">
          <caption class="hint">Who did what, when (append-only)</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {(audit.data?.items ?? []).map((e, i) => (
              <tr key={i}>
                <td data-label="When">
                  <When at={e.at} />
                </td>
                <td data-label="Who">{e.actor}</td>
                <td data-label="What">{e.action}</td>
                <td data-label="Detail">{e.detail ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
      <p class="buttons">
        <button
          type="button"
          id="audit-export"
          onClick={() =>
            download(campaignPath(data.id, '/audit.csv'), `demarche-${data.id}-audit.csv`)
              .then(() => audit.reload())
              .catch((e: Error) => setError(e.message))
          }
        >
          Export the audit log (CSV)
        </button>
      </p>
      <Problem error={error} />
    </section>
  );
}
