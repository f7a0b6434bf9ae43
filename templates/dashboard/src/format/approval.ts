/**
 * The approval state in words: which version is current, who wrote it, who
 * approved it, and who is still needed, from GET …/versions. The server
 * enforces the rule (functions/core/governance/govern.ts); this only states
 * it, so that nobody is shown a command line to find out. Pure.
 */

export interface VersionLike {
  number: number;
  hash: string;
  /** The author's sub (who the server compares), and their email (what people read). */
  author: string;
  authorEmail?: string;
}
export interface VersionsLike {
  versions: VersionLike[];
  approvals: { approver: string; approverEmail?: string; hash: string }[];
  mode: 'two-person' | 'single';
}

export interface ApprovalFacts {
  current?: VersionLike;
  /** Approvers of the current version whose approval counts. */
  approvedBy: string[];
  /** The current version may be scheduled or launched. */
  satisfied: boolean;
  /** The signed-in person may approve it now. */
  canApprove: boolean;
  text: string;
}

export const shortHash = (hash: string) => hash.slice(0, 12);

/** `me`: the signed-in campaigner's sub, compared with the author's sub. */
export function approvalFacts(v: VersionsLike, me: string | undefined): ApprovalFacts {
  const current = v.versions[v.versions.length - 1];
  if (!current)
    return {
      approvedBy: [],
      satisfied: false,
      canApprove: false,
      text: 'No version of this campaign has been recorded, so there is nothing to approve yet.',
    };
  const twoPerson = v.mode === 'two-person';
  const approvedBy = v.approvals
    .filter((a) => a.hash === current.hash && (!twoPerson || a.approver !== current.author))
    .map((a) => a.approverEmail ?? a.approver);
  const satisfied = approvedBy.length > 0;
  const author = current.authorEmail ?? current.author;
  const head = `Version ${current.number} (${shortHash(current.hash)}) by ${author}`;
  const mine = me !== undefined && me === current.author;
  if (satisfied)
    return {
      current,
      approvedBy,
      satisfied,
      canApprove: false,
      text: `${head}, approved by ${approvedBy.join(', ')}. It can be scheduled or launched.`,
    };
  const needed = twoPerson
    ? `Still needed: a campaigner other than ${author} approves this version.`
    : 'Still needed: any campaigner approves this version (single-person approval: the author may).';
  const you =
    twoPerson && mine
      ? ' You wrote it, so ask a colleague.'
      : me
        ? ' You can approve it here.'
        : '';
  return {
    current,
    approvedBy,
    satisfied,
    canApprove: !(twoPerson && mine),
    text: `${head} is not approved yet. ${needed}${you}`,
  };
}
