/**
 * Sign-on as an organisation does it on the local runtime: the public form
 * posted, the confirmation link read from the local SES inbox and its button
 * pressed. Shared by the sign-on integration tests.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { apiCall } from './api.js';
import { demarcheApi as runApi } from './cli.js';
import { exampleStatement, repoPath } from './fixtures.js';
import { mailsTo } from './runtime.js';

/** The public form's fields for one organisation (the honeypot empty). */
export const signonForm = (fields: Record<string, string>) =>
  new URLSearchParams({
    name: 'Правозащитный центр «Весна»',
    latin: 'Human Rights Centre Viasna',
    country: 'BY',
    type: 'ngo',
    website: 'https://spring96.org',
    contactName: 'Nasta Loika',
    contactEmail: 'contact@spring96.example.org',
    consent: 'yes',
    organisation_url: '',
    lang: 'fr',
    ...fields,
  }).toString();

/** Posts the form as a browser does (no redirect followed). */
export const postForm = (url: string, body: string, ip?: string) =>
  fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(ip ? { 'x-test-ip': ip } : {}),
    },
    body,
  });

/** The confirmation link of the mail sent to `to`. */
export async function confirmLink(runtime: LocalRuntime, to: string): Promise<string> {
  const [mail] = await mailsTo(runtime, [to]);
  expect(mail, `a confirmation mail to ${to}`).toBeDefined();
  const m = /(https?:\/\/[^\s"<]+\/s\/c\/[^\s"<]+)/.exec(mail!.body.text ?? '');
  return m![1]!;
}

/** Signs from `invite` as the organisation `fields` describe and, unless told not to, confirms it. */
export async function signAs(
  runtime: LocalRuntime,
  invite: string,
  fields: Record<string, string>,
  confirm = true,
): Promise<void> {
  const sent = await postForm(invite, signonForm(fields));
  expect(sent.status).toBe(303);
  if (confirm)
    expect(
      (await fetch(await confirmLink(runtime, fields.contactEmail!), { method: 'POST' })).status,
    ).toBe(200);
}

/** A draft of the example statement with its French translation over `recipientsCsv`; its id. */
export async function bilingualDraft(
  baseUrl: string,
  token: string,
  recipientsCsv: string,
): Promise<string> {
  const created = await apiCall(baseUrl, 'POST', '/api/campaigns', token, {
    statement: exampleStatement(),
    statementName: 'statement.md',
    translations: [
      {
        language: 'fr',
        source: readFileSync(repoPath('examples/statement.fr.md'), 'utf8'),
        name: 'statement.fr.md',
      },
    ],
    recipientsCsv,
  });
  expect(created.status, created.text).toBe(201);
  return (created.json.campaign as { id: string }).id;
}

/** The `demarche` command against a runtime's API (see support/cli.ts). */
export function demarcheApi(baseUrl: string, token: string, ...args: string[]) {
  return runApi(baseUrl, token, args);
}
