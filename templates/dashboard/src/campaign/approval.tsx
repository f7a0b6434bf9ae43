/** The approval state of the current version, read from GET …/versions and said in words. */
import { campaignPath, get } from '../api/client.js';
import type { Versions } from '../api/types.js';
import { approvalFacts, type ApprovalFacts } from '../format/approval.js';
import { isCampaigner, useMe } from '../ui/context.js';
import { useLoad, type Loaded } from '../ui/hooks.js';
import { useCampaign } from './data.js';

export function useVersions(): Loaded<Versions> & { facts?: ApprovalFacts } {
  const data = useCampaign();
  const me = useMe();
  const versions = useLoad(
    () => get<Versions>(campaignPath(data.id, '/versions')),
    [data.id, data.changes],
  );
  // The server compares subs (an email is only a label); so does the page.
  const who = isCampaigner(me) ? me?.sub : undefined;
  return {
    ...versions,
    ...(versions.data ? { facts: approvalFacts(versions.data, who) } : {}),
  };
}

export function ApprovalState(props: { facts?: ApprovalFacts; id?: string }) {
  if (!props.facts) return <p class="muted">Reading the approval…</p>;
  return (
    <p id={props.id} class={props.facts.satisfied ? 'ok' : 'pending'}>
      {props.facts.text}
    </p>
  );
}
