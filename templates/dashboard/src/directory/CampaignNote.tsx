/**
 * On a campaign taken from the directory: what it took, and the targets
 * changed in the directory since. The campaign keeps what it took (its
 * approved version holds it); a draft can take the directory again.
 */
import { campaignPath, get, post } from '../api/client.js';
import { formatRoute } from '../route.js';
import { useLoad } from '../ui/hooks.js';
import type { TargetChangedSince } from './types.js';

interface Taken {
  fromDirectory: boolean;
  targets?: number;
  adHoc?: number;
  takenAt?: string;
  refreshable?: boolean;
  changed?: TargetChangedSince[];
}

export function CampaignNote(props: { id: string; onRefreshed: () => void }) {
  const taken = useLoad(() => get<Taken>(campaignPath(props.id, '/directory')), [props.id]);
  const d = taken.data;
  if (!d?.fromDirectory) return null;
  const changed = d.changed ?? [];
  return (
    <div id="c-directory" class="panel" role="status">
      <p>
        Recipients taken from the directory: {d.targets} targets and {d.adHoc} ad-hoc rows.
        {changed.length
          ? ` ${changed.length} target${changed.length === 1 ? ' has' : 's have'} changed in the directory since; this campaign keeps what it took${d.refreshable ? ' until you take the directory again' : ', as approved'}:`
          : ' No target has changed since.'}
      </p>
      {changed.length ? (
        <ul>
          {changed.map((c) => (
            <li key={c.targetId}>
              <a href={formatRoute({ page: 'target', id: c.targetId })}>{c.name}</a>:{' '}
              {c.gone ? 'erased' : c.changes.map((x) => x.field).join(', ')}
            </li>
          ))}
        </ul>
      ) : null}
      {d.refreshable && changed.length ? (
        <button
          type="button"
          onClick={() =>
            void post(campaignPath(props.id, '/directory/refresh')).then(() => {
              void taken.reload();
              props.onRefreshed();
            })
          }
        >
          Take the directory again (a new version to approve)
        </button>
      ) : null}
    </div>
  );
}
