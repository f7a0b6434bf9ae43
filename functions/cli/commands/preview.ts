/**
 * `demarche preview`: one recipient's letter written to a folder as the
 * HTML part, the text part, the raw message (.eml) and a PNG of the HTML taken
 * with headless Chromium. It compiles and composes exactly as a campaign
 * would, stores nothing and sends nothing.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../adapters/config.js';
import { readTemplate } from '../../adapters/templates.js';
import { DemarcheError } from '../../core/errors.js';
import { inputWarnings } from '../../core/input-warnings.js';
import { parseKeyRing } from '../../core/key-ring.js';
import { salutationRule } from '../../core/personalise.js';
import {
  statementLanguages,
  type Statement,
  type StatementOverrides,
} from '../../core/statement.js';
import { CHROMIUM_PATH, screenshotHtml } from '../browser.js';
import { pickRecipient, sampleRecipient, singleLetter } from '../../core/single-letter.js';
import { readStatement, statementOverrides } from '../statement-file.js';
import type { StatementOptions } from '../sources.js';

export interface PreviewOptions extends StatementOptions {
  statement: string;
  recipients?: string;
  recipient?: string;
  row?: string;
  lang?: string;
  out: string;
  screenshot?: boolean;
}

/** A deadline for previews of plain text that names none: a week ahead, 09:00 UTC. */
function previewDeadline(now = new Date()): string {
  const d = new Date(now.getTime() + 7 * 86_400_000);
  return `${d.toISOString().slice(0, 10)}T09:00:00Z`;
}

/** The overrides a preview uses: launch's, plus a placeholder deadline for plain text. */
export function previewOverrides(opts: PreviewOptions, plainText: boolean): StatementOverrides {
  const o = statementOverrides(opts, plainText);
  if (plainText) o.deadline ??= previewDeadline();
  if (opts.address) o.postalAddress = opts.address;
  return o;
}

export async function previewCommand(opts: PreviewOptions): Promise<string[]> {
  let plainText = false;
  const statement = readStatement(
    opts.statement,
    (plain) => {
      plainText = plain;
      return previewOverrides(opts, plain);
    },
    (w) =>
      process.stderr.write(
        `warning: ${w.file}${w.line !== undefined ? `:${w.line}` : ''}: ${w.field} ${w.message}\n`,
      ),
  );
  if (opts.recipient === undefined && opts.row !== undefined && !opts.recipients) {
    throw new DemarcheError('OPTION_INVALID', '--row needs --recipients FILE');
  }
  const row = opts.row !== undefined ? Number(opts.row) : undefined;
  if (row !== undefined && (!Number.isInteger(row) || row < 1)) {
    throw new DemarcheError('OPTION_INVALID', `--row must be a row number from 1, not ${opts.row}`);
  }
  const recipient = opts.recipients
    ? pickRecipient(readFileSync(opts.recipients), opts.recipients, {
        ...(opts.recipient !== undefined ? { email: opts.recipient } : { row: row ?? 1 }),
      })
    : sampleRecipient(opts.recipient);
  // --lang must exist; a row's language falls back to the default, as in a campaign.
  const language =
    opts.lang ??
    (recipient.language && statementHas(statement, recipient.language)
      ? recipient.language
      : statement.language);
  const config = loadConfig();
  const { letter } = await singleLetter({
    statement,
    recipient,
    language,
    mjml: readTemplate(),
    publicUrl: config.publicUrl,
    // Preview links are never followed for real: a throwaway key signs them.
    keys: parseKeyRing(randomBytes(32).toString('hex')),
  });
  const out = resolve(opts.out);
  mkdirSync(out, { recursive: true });
  const files = [join(out, 'letter.html'), join(out, 'letter.txt'), join(out, 'letter.eml')];
  writeFileSync(files[0]!, letter.html);
  writeFileSync(files[1]!, letter.text);
  writeFileSync(files[2]!, letter.raw ?? '');
  let noScreenshot: DemarcheError | undefined;
  if (opts.screenshot !== false) {
    const png = join(out, 'letter.png');
    try {
      await screenshotHtml(letter.html, png);
      files.push(png);
    } catch (err) {
      // The letter is written either way; only its picture needs a browser.
      noScreenshot = new DemarcheError(
        'CHROMIUM_MISSING',
        `no letter.png: cannot start Chromium at ${CHROMIUM_PATH} (${(err as Error).message.split('\n')[0]}). ` +
          'Install it (apt-get install chromium), set DEMARCHE_CHROMIUM to a Chromium, or run preview with --no-screenshot.',
      );
    }
  }
  const salutation = salutationRule(recipient, language);
  process.stdout.write(
    `Letter for ${recipient.email} in ${language} (${Buffer.byteLength(letter.html)} bytes of HTML):\n${files.map((f) => `  ${f}`).join('\n')}\n` +
      `Salutation: "${salutation.text}" — ${salutation.rule}\n`,
  );
  const warnings = inputWarnings(statement, [recipient], {
    placeholderDeadline: plainText && !opts.deadline,
    defaultSender: plainText && !opts.from && !process.env.DEMARCHE_FROM,
    signatoriesDefaulted: plainText && !opts.signatory?.length,
  });
  for (const w of warnings) process.stderr.write(`warning: ${w.message}\n`);
  if (noScreenshot) throw noScreenshot;
  return files;
}

function statementHas(statement: Statement, language: string): boolean {
  return statementLanguages(statement).includes(language);
}
