/**
 * What changed between two versions of a campaign, for the person about to
 * approve it: the statement's fields and text (line by line, per language)
 * and the recipients added, removed or given another address. Each version
 * keeps a snapshot of its content for this (written once, next to the
 * version, never changed). A list larger than SNAPSHOT_RECIPIENTS is kept as
 * a count only, and its diff says so instead of guessing. Pure.
 */
import { diffArrays } from 'diff';
import type { Campaign } from '../campaign.js';
import { bodyText } from '../letter-blocks.js';
import type { Statement } from '../statement.js';
import type { RecipientIdentity } from './model.js';

/** Recipients a snapshot lists one by one; above it, counts only (keeps the item well under DynamoDB's 400 KB). */
export const SNAPSHOT_RECIPIENTS = 3000;

/** One language's letter as a reader sees it. */
export interface LanguageText {
  language: string;
  title: string;
  subject: string;
  meeting?: string;
  lines: string[];
}

export interface VersionContent {
  campaignId: string;
  number: number;
  /** The fields a campaigner sets besides the text (deadline, sender, signatories …), as words. */
  fields: Record<string, string>;
  languages: LanguageText[];
  recipientCount: number;
  /** `id email` of each recipient, sorted; absent above SNAPSHOT_RECIPIENTS. */
  recipients?: string[];
}

export interface LineChange {
  op: 'same' | 'added' | 'removed';
  lines: string[];
}

export interface ContentDiff {
  from?: number;
  to: number;
  fields: { field: string; before?: string; after?: string }[];
  languages: {
    language: string;
    state: 'added' | 'removed' | 'changed' | 'same';
    title?: { before?: string; after?: string };
    subject?: { before?: string; after?: string };
    text: LineChange[];
  }[];
  recipients: {
    before: number;
    after: number;
    /** False when either list was too long to snapshot: only the counts are known. */
    listed: boolean;
    added: string[];
    removed: string[];
    /** Same recipient id, another address. */
    changed: { id: string; before: string; after: string }[];
  };
}

const text = (blocks: Statement['body']) => bodyText(blocks, (href) => href);

function fieldsOf(s: Statement): Record<string, string> {
  return {
    deadline: s.deadline,
    meeting: s.meeting ?? '',
    from: `${s.from.name} <${s.from.address}>`,
    'reply domain': s.replyToDomain,
    language: s.language,
    signatories: s.signatories
      .map((g) => (g.organisation ? `${g.name} (${g.organisation})` : g.name))
      .join('; '),
    'postal address': s.postalAddress ?? '',
  };
}

/** The snapshot of a campaign's content as version `number` records it. */
export function versionContent(
  campaign: Pick<Campaign, 'id' | 'statement'>,
  identities: RecipientIdentity[],
  number: number,
): VersionContent {
  const s = campaign.statement;
  const languages: LanguageText[] = [
    {
      language: s.language,
      title: s.title,
      subject: s.subject,
      ...(s.meeting ? { meeting: s.meeting } : {}),
      lines: text(s.body),
    },
    ...(s.translations ?? []).map((t) => ({
      language: t.language,
      title: t.title,
      subject: t.subject,
      ...(t.meeting ? { meeting: t.meeting } : {}),
      lines: text(t.body),
    })),
  ];
  return {
    campaignId: campaign.id,
    number,
    fields: fieldsOf(s),
    languages,
    recipientCount: identities.length,
    ...(identities.length <= SNAPSHOT_RECIPIENTS
      ? { recipients: identities.map((r) => `${r.id} ${r.email}`).sort() }
      : {}),
  };
}

function lineChanges(before: string[], after: string[]): LineChange[] {
  return diffArrays(before, after).map((part) => ({
    op: part.added ? 'added' : part.removed ? 'removed' : 'same',
    lines: part.value,
  }));
}

const pair = (before?: string, after?: string) =>
  before === after
    ? undefined
    : { ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) };

function recipientChanges(before: VersionContent | undefined, after: VersionContent) {
  const listed = !!after.recipients && (!before || !!before.recipients);
  const out = {
    before: before?.recipientCount ?? 0,
    after: after.recipientCount,
    listed,
    added: [] as string[],
    removed: [] as string[],
    changed: [] as { id: string; before: string; after: string }[],
  };
  if (!listed) return out;
  const split = (line: string) => {
    const at = line.indexOf(' ');
    return [line.slice(0, at), line.slice(at + 1)] as const;
  };
  const old = new Map((before?.recipients ?? []).map(split));
  const now = new Map(after.recipients!.map(split));
  for (const [id, email] of now) {
    const was = old.get(id);
    if (was === undefined) out.added.push(email);
    else if (was !== email) out.changed.push({ id, before: was, after: email });
  }
  for (const [id, email] of old) if (!now.has(id)) out.removed.push(email);
  return out;
}

/** What changed from `before` (absent: nothing approved or recorded before) to `after`. */
export function diffContent(
  before: VersionContent | undefined,
  after: VersionContent,
): ContentDiff {
  const names = new Set([...Object.keys(before?.fields ?? {}), ...Object.keys(after.fields)]);
  const fields = [...names].flatMap((field) => {
    const p = pair(before?.fields[field], after.fields[field]);
    return p ? [{ field, ...p }] : [];
  });
  const langs = new Set([
    ...(before?.languages ?? []).map((l) => l.language),
    ...after.languages.map((l) => l.language),
  ]);
  const languages = [...langs].map((language) => {
    const b = before?.languages.find((l) => l.language === language);
    const a = after.languages.find((l) => l.language === language);
    const changes = lineChanges(b?.lines ?? [], a?.lines ?? []);
    const title = pair(b?.title, a?.title);
    const subject = pair(b?.subject, a?.subject);
    const state: ContentDiff['languages'][number]['state'] = !b
      ? 'added'
      : !a
        ? 'removed'
        : title || subject || changes.some((c) => c.op !== 'same')
          ? 'changed'
          : 'same';
    return {
      language,
      state,
      ...(title ? { title } : {}),
      ...(subject ? { subject } : {}),
      text: changes,
    };
  });
  return {
    ...(before ? { from: before.number } : {}),
    to: after.number,
    fields,
    languages,
    recipients: recipientChanges(before, after),
  };
}
