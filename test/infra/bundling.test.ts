/**
 * The modules left out of every Lambda bundle (infra/bundling.ts, LEFT_OUT)
 * are never needed to compile a letter: a bundle built with the stack's own
 * esbuild options compiles the real sample statement to the very bytes the
 * source compiles to with every module present, in a fresh Node process
 * outside the repository (nothing resolves from node_modules, as in Lambda).
 * And if some change ever calls one, it fails with an error naming it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileLetter, type LetterTemplate } from '../../functions/core/letter.js';
import { parseStatement, type StatementOverrides } from '../../functions/core/statement.js';
import { LEFT_OUT, REPO_ROOT, sharedBuildOptions } from '../../infra/bundling.js';
import { letterMjml, repoPath, sharedSample } from '../support/fixtures.js';

const SAMPLE = repoPath('../shared/samples/statement-belarus-2020.txt');
const TEMPLATE = repoPath('templates/letter.mjml');
const OVERRIDES: StatementOverrides = {
  deadline: '2027-01-10T09:00:00+01:00',
  from: { name: 'Forum', address: 'forum@example.org' },
  replyToDomain: 'replies.example.org',
  language: 'en',
};

// The bundled program: compiles the sample, then tries each way into a left-out module.
const ENTRY = `
import { readFileSync } from 'node:fs';
import mjml2html from 'mjml';
import { fromURL, loadBuffer } from 'cheerio';
import juice from 'juice';
import { compileLetter } from './functions/core/letter.ts';
import { parseStatement } from './functions/core/statement.ts';

const [sample, template, overrides] = JSON.parse(process.argv[2]);
const statement = parseStatement(readFileSync(sample, 'utf8'), 'belarus.txt', overrides);
const letter = await compileLetter(statement, readFileSync(template, 'utf8'));
const attempts = {
  minify: () => mjml2html('<mjml><mj-body><mj-text>x</mj-text></mj-body></mjml>', { minify: true }),
  beautify: () => mjml2html('<mjml><mj-body><mj-text>x</mj-text></mj-body></mjml>', { beautify: true }),
  loadBuffer: () => loadBuffer(Buffer.from('<p>x</p>')),
  fromURL: () => fromURL('https://example.org/'),
  juiceResources: () => new Promise((ok, ko) => juice.juiceResources('<p>x</p>', {}, (e, h) => (e ? ko(e) : ok(h)))),
};
const errors = {};
for (const [name, attempt] of Object.entries(attempts)) {
  try {
    await attempt();
    errors[name] = null;
  } catch (err) {
    errors[name] = String(err && err.message);
  }
}
process.stdout.write(JSON.stringify({ letter, errors }));
`;

let dir: string;
let metafile: Metafile;
let bundled: { letter: LetterTemplate; errors: Record<string, string | null> };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'demarche-left-out-'));
  const out = join(dir, 'index.mjs');
  const result = await build({
    ...sharedBuildOptions(),
    stdin: {
      contents: ENTRY,
      resolveDir: REPO_ROOT,
      sourcefile: 'left-out-entry.ts',
      loader: 'ts',
    },
    outfile: out,
  });
  if (!result.metafile) throw new Error('esbuild wrote no metafile');
  metafile = result.metafile;
  const run = spawnSync(process.execPath, [out, JSON.stringify([SAMPLE, TEMPLATE, OVERRIDES])], {
    cwd: dir,
    env: { PATH: process.env.PATH },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`the bundle failed: ${run.stderr}`);
  bundled = JSON.parse(run.stdout) as typeof bundled;
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The letter with its random slot marker replaced, so two compiles can be compared byte for byte. */
function comparable(t: LetterTemplate) {
  const fixed = (s: string) => s.split(t.marker).join('MARKER');
  return { subject: t.subject, html: fixed(t.html), text: fixed(t.text), links: t.links };
}

describe('the modules left out of the Lambda bundles', () => {
  it('are not in the bundle: each import resolves to its stand-in', () => {
    const inputs = Object.keys(metafile.inputs);
    for (const m of Object.keys(LEFT_OUT)) {
      expect(
        inputs.filter((p) => p.includes(`node_modules/${m}/`)),
        m,
      ).toEqual([]);
      expect(inputs, m).toContain(`infra/left-out/${m}.cjs`);
    }
    // What they pulled in went with them.
    for (const dep of [
      'iconv-lite',
      'whatwg-encoding',
      'cssnano',
      'terser',
      'svgo',
      'cosmiconfig',
    ]) {
      expect(
        inputs.filter((p) => p.includes(`node_modules/${dep}/`)),
        dep,
      ).toEqual([]);
    }
  });

  it('change nothing in a compiled letter: the bundled compile of the sample is byte-identical', async () => {
    const fromSource = await compileLetter(
      parseStatement(sharedSample(), 'belarus.txt', OVERRIDES),
      letterMjml(),
    );
    const a = comparable(bundled.letter);
    const b = comparable(fromSource);
    // A real letter, not two empty strings agreeing.
    expect(b.html.length).toBeGreaterThan(10_000);
    expect(b.html).toContain('Belarus');
    expect(a.html).toBe(b.html);
    expect(a.text).toBe(b.text);
    expect(a.subject).toBe(b.subject);
    expect(a.links).toEqual(b.links);
  });

  it('fail with an error naming the module if anything ever calls one', () => {
    const named = (m: string) => new RegExp(`^${m}\\S* is left out of demarche's Lambda bundles`);
    expect(bundled.errors.minify).toMatch(named('htmlnano'));
    expect(bundled.errors.beautify).toMatch(named('js-beautify'));
    expect(bundled.errors.loadBuffer).toMatch(named('encoding-sniffer'));
    expect(bundled.errors.fromURL).toMatch(named('undici'));
    expect(bundled.errors.juiceResources).toMatch(named('web-resource-inliner'));
  });
});
