/**
 * Personal invite links: one per invited organisation, from a CSV of member
 * organisations (`organisation,email`) or from the campaign's own NGO
 * recipients. Each link's invite id is a keyed hash of the address (the
 * same address always gets the same link; the link names no one), and a
 * personal link has its own, lower, hourly limit (flow.ts RATE_LIMITS).
 */
import { createHmac } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { DemarcheError } from '../errors.js';
import { hasControl } from '../html.js';
import { inviteUrl } from './links.js';
import type { SignonSettings } from './model.js';

export const MAX_INVITES = 2_000;

export interface Invitee {
  organisation: string;
  email: string;
}

export interface Invite extends Invitee {
  url: string;
}

/** The invite id of one address: `p` and 16 characters of a keyed hash. */
export function personalInviteId(secret: string, email: string): string {
  return `p${createHmac('sha256', secret).update(`signon-invite\n${email.trim().toLowerCase()}`).digest('base64url').slice(0, 16)}`;
}

const row = z.object({
  organisation: z
    .string()
    .trim()
    .min(1, 'is empty')
    .max(200)
    .refine((v) => !hasControl(v), 'has a control character'),
  email: z.string().trim().toLowerCase().pipe(z.email('is not an email address')),
});

/** Reads `organisation,email` rows (any column order, other columns ignored); bad rows are listed by line. */
export function readInvitees(csv: string): {
  invitees: Invitee[];
  problems: { line: number; message: string }[];
} {
  let records: Record<string, string>[];
  try {
    records = parse(csv.replace(/^\uFEFF/, ''), {
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      skip_empty_lines: true,
      relax_column_count: true,
      to: MAX_INVITES + 1,
    }) as Record<string, string>[];
  } catch (err) {
    throw new DemarcheError('REQUEST_INVALID', `invitees.csv: ${(err as Error).message}`);
  }
  if (records.length > MAX_INVITES)
    throw new DemarcheError('REQUEST_INVALID', `invitees.csv: more than ${MAX_INVITES} rows`);
  const invitees: Invitee[] = [];
  const problems: { line: number; message: string }[] = [];
  const seen = new Set<string>();
  records.forEach((r, i) => {
    const parsed = row.safeParse({
      organisation: r.organisation ?? r.name ?? '',
      email: r.email ?? '',
    });
    if (!parsed.success) {
      problems.push({
        line: i + 2,
        message: parsed.error.issues.map((x) => `${String(x.path[0])} ${x.message}`).join('; '),
      });
      return;
    }
    if (seen.has(parsed.data.email)) return;
    seen.add(parsed.data.email);
    invitees.push(parsed.data);
  });
  return { invitees, problems };
}

/** Each invitee's personal link. */
export function personalInvites(
  publicUrl: string,
  secret: string,
  settings: SignonSettings,
  invitees: Invitee[],
): Invite[] {
  return invitees.map((x) => ({
    ...x,
    url: inviteUrl(publicUrl, secret, settings, personalInviteId(secret, x.email)),
  }));
}
