/**
 * inbound: the worst-case cost of reading a hostile message. Each shape is a
 * message just under the 10 MiB limit built to hurt one stage (millions of
 * blank lines, one 10 MiB line, 200,000 header-less parts, deep nesting,
 * pathological HTML, quoted-printable soft breaks, boundary near-misses, a
 * full header section, quoted lines and attributions for the extractor …),
 * read the way the inbound handler reads it: parse under the default limits
 * and time budget, then extract the new text. Reports each shape's time and
 * verdict, the worst time, the worst time per MiB, and the longest the event
 * loop was held (other work, such as another SMTP client, waits that long).
 * Goal: every shape ≤ 1 s.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { newText } from '../../functions/core/replies/extract.js';
import { DEFAULT_LIMITS, parseMessage } from '../../functions/core/replies/parse.js';
import { timeBudget } from '../../functions/core/replies/mime/budget.js';
import type { BenchResult } from '../types.js';
import { round } from '../support.js';

const SIZE = DEFAULT_LIMITS.maxBytes - 64 * 1024;
const HEAD =
  'From: Office <office@mfa.example.org>\r\nTo: reply+t@replies.example.org\r\nSubject: Re: Belarus\r\nMessage-ID: <hostile@mfa.example.org>\r\n';

const fill = (unit: string, bytes = SIZE) =>
  unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);

const SHAPES: Record<string, () => string> = {
  'blank lines': () => `${HEAD}Content-Type: text/plain\r\n\r\n${fill('\n')}`,
  'one 10 MiB line': () => `${HEAD}Content-Type: text/plain\r\n\r\n${fill('a')}`,
  'html nested divs': () => `${HEAD}Content-Type: text/html\r\n\r\n${fill('<div>')}`,
  'html unclosed attribute': () => `${HEAD}Content-Type: text/html\r\n\r\n<p a="${fill('x')}`,
  'html lone <': () => `${HEAD}Content-Type: text/html\r\n\r\n${fill('<')}`,
  'html attributes': () => `${HEAD}Content-Type: text/html\r\n\r\n<p ${fill('a="b" ')}>`,
  'html blockquotes': () => `${HEAD}Content-Type: text/html\r\n\r\n${fill('<blockquote>x')}`,
  'html entities': () => `${HEAD}Content-Type: text/html\r\n\r\n${fill('&#&amp;&eacutex')}`,
  'quoted-printable soft breaks': () =>
    `${HEAD}Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${fill('=\r\n')}`,
  'base64 junk': () =>
    `${HEAD}Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n${fill('!@#$%^&*\r\n')}`,
  '200,000 header-less parts': () =>
    `${HEAD}Content-Type: multipart/mixed; boundary=b\r\n\r\n${fill('--b\r\n\r\nx\r\n')}`,
  'deep nesting': () =>
    `${HEAD}Content-Type: multipart/mixed; boundary=b0\r\n\r\n${Array.from({ length: 5000 }, (_, i) => `--b${i}\r\nContent-Type: multipart/mixed; boundary=b${i + 1}\r\n\r\n`).join('')}`,
  'boundary near-misses': () =>
    `${HEAD}Content-Type: multipart/mixed; boundary=${'b'.repeat(69)}\r\n\r\n--${'b'.repeat(69)}\r\n\r\n${fill(`--${'b'.repeat(68)}c\r\n`)}`,
  'full header section': () =>
    `From: Office <office@mfa.example.org>\r\nSubject: ${fill('=?utf-8?q?a?= ', 8000)}\r\nTo: ${fill('"a" <b@c.example>, (d) g:, ', 50_000)}\r\n\r\nx`,
  'quoted lines and attributions': () =>
    `${HEAD}Content-Type: text/plain\r\n\r\n${fill('On Thu, 26 Nov 2026 at 09:00, Forum wrote:\r\n> q\r\nanswer\r\n')}`,
  'Outlook block near-misses': () =>
    `${HEAD}Content-Type: text/plain\r\n\r\n${fill('From: Forum <f@example.org>\r\nSent\r\n')}`,
  'a real 10 MiB attachment': () => {
    const b64 = randomBytes(Math.floor(((SIZE * 3) / 4) * (76 / 78)) - 8192)
      .toString('base64')
      .replace(/.{76}/g, '$&\r\n');
    return `${HEAD}Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nPlease find the reply attached.\r\n--b\r\nContent-Type: application/pdf; name=reply.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64}\r\n--b--\r\n`;
  },
};

export async function run(): Promise<BenchResult> {
  const figures: Record<string, number | string> = {};
  let worst = 0;
  let worstPerMiB = 0;
  let worstShape = '';
  const delay = monitorEventLoopDelay({ resolution: 5 });
  // A timer that keeps firing while messages are read: its gaps are the time other work waited.
  // Only while a message is read: building the next one holds the loop too, and is no part of it.
  let last = performance.now();
  let held = 0;
  let reading = false;
  const tick = setInterval(() => {
    const now = performance.now();
    if (reading) held = Math.max(held, now - last);
    last = now;
  }, 1);
  delay.enable();
  for (const [name, make] of Object.entries(SHAPES)) {
    const raw = Buffer.from(make(), 'latin1');
    if (typeof globalThis.gc === 'function') globalThis.gc();
    await new Promise((r) => setTimeout(r, 20));
    last = performance.now();
    reading = true;
    const t0 = performance.now();
    const budget = timeBudget(DEFAULT_LIMITS.maxParseMs * 30);
    const parsed = await parseMessage(raw, DEFAULT_LIMITS, budget);
    if (parsed.ok) newText(parsed.message.text, budget);
    const ms = performance.now() - t0;
    held = Math.max(held, performance.now() - last);
    reading = false;
    const verdict = parsed.ok ? 'read' : `${parsed.kind}: ${parsed.reason.slice(0, 60)}`;
    figures[`${name} ms`] = round(ms, 1);
    figures[`${name} verdict`] = verdict;
    const perMiB = ms / (raw.length / 1024 / 1024);
    if (ms > worst) {
      worst = ms;
      worstShape = name;
    }
    worstPerMiB = Math.max(worstPerMiB, perMiB);
  }
  clearInterval(tick);
  delay.disable();
  return {
    name: 'inbound',
    figures: {
      ...figures,
      'worst ms': round(worst, 1),
      'worst shape': worstShape,
      'worst ms per MiB': round(worstPerMiB, 1),
      'longest event-loop hold ms': round(held, 1),
      'event-loop delay p99 ms': round(delay.percentile(99) / 1e6, 1),
    },
    goal: 'every hostile shape at 10 MiB read (or rejected with a reason) in ≤ 1000 ms',
    pass: worst <= 1000,
  };
}
