/**
 * What `npm test` needs beyond npm packages, checked before the suite starts.
 *
 * The suite runs real parts: DynamoDB Local (Java 17+), Chromium for the
 * browser tests and the PDF report, SpamAssassin for the deliverability
 * score, poppler's pdftotext/pdftoppm to read the report back, moto for
 * the AWS APIs that have no local engine, and cfn-lint for the synthesized
 * CloudFormation template. None of them is an npm package, and
 * a suite that found out one by one would fail minutes in. So this runs
 * first: when something is missing and we are root on a Debian-like system
 * it installs the Debian packages itself (as CI does); otherwise it stops
 * within seconds, naming every missing program and the one command that
 * installs them.
 *
 * DEMARCHE_NO_INSTALL=1 turns installing off (only check and report).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface Need {
  /** The program looked for on PATH (or an absolute path). */
  program: string;
  /** What it is for, in the message. */
  why: string;
  /** Debian package that provides it; none for what apt cannot install. */
  apt?: string;
  /** How to get it where apt does not. */
  otherwise: string;
  /** Extra check once found (e.g. a version); returns a problem or undefined. */
  check?: (path: string) => string | undefined;
}

function onPath(program: string, env: NodeJS.ProcessEnv): string | undefined {
  if (program.includes('/')) return isExecutable(program) ? program : undefined;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, program);
    if (isExecutable(p)) return p;
  }
  return undefined;
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `java -version` prints e.g. `openjdk version "17.0.15"` (or `"1.8.0_392"` for Java 8) on stderr. */
function javaAtLeast17(path: string): string | undefined {
  const r = spawnSync(path, ['-version'], { encoding: 'utf8', timeout: 10_000 });
  const m = /version "(\d+)(?:\.(\d+))?/.exec(`${r.stderr}${r.stdout}`);
  if (!m) return 'could not read its version';
  const major = m[1] === '1' ? Number(m[2]) : Number(m[1]);
  return major >= 17 ? undefined : `is Java ${major}; DynamoDB Local needs 17 or newer`;
}

export function needs(env: NodeJS.ProcessEnv = process.env): Need[] {
  return [
    {
      program: 'java',
      why: 'DynamoDB Local (integration tests)',
      apt: 'openjdk-17-jre-headless',
      otherwise: 'install a Java 17+ runtime',
      check: javaAtLeast17,
    },
    {
      program: env.DEMARCHE_CHROMIUM ?? 'chromium',
      why: 'browser tests, letter screenshots and the PDF report',
      apt: 'chromium',
      otherwise: 'install Chromium and set DEMARCHE_CHROMIUM to its path',
    },
    {
      program: 'spamassassin',
      why: "the letters' spam score",
      apt: 'spamassassin',
      otherwise: 'install SpamAssassin',
    },
    {
      program: 'pdftoppm',
      why: 'turning the PDF report into pictures to check it',
      apt: 'poppler-utils',
      otherwise: 'install poppler',
    },
    {
      program: 'moto_server',
      why: 'SQS, S3, Secrets Manager, Scheduler and Cognito emulated for the AWS adapter tests',
      otherwise: 'pip install "moto[server]" (Python 3.9+), so that moto_server is on PATH',
    },
    {
      program: 'cfn-lint',
      why: 'linting the synthesized CloudFormation template (infra tests)',
      otherwise: 'pip install cfn-lint (Python 3.9+), so that cfn-lint is on PATH',
    },
  ];
}

export interface Finding {
  need: Need;
  problem: string;
}

export function missing(env: NodeJS.ProcessEnv = process.env): Finding[] {
  const out: Finding[] = [];
  for (const need of needs(env)) {
    const path = onPath(need.program, env);
    if (!path) {
      out.push({ need, problem: 'not found' });
      continue;
    }
    const problem = need.check?.(path);
    if (problem) out.push({ need, problem });
  }
  return out;
}

/** Fonts the screenshots and the PDF need to show Latin, Cyrillic and Greek text. */
const FONT_PACKAGES = ['fonts-dejavu-core', 'fonts-noto-core'];

function canInstall(env: NodeJS.ProcessEnv): boolean {
  return (
    env.DEMARCHE_NO_INSTALL !== '1' &&
    process.getuid?.() === 0 &&
    existsSync('/usr/bin/apt-get') &&
    onPath('apt-get', env) !== undefined
  );
}

function aptLine(packages: string[]): string {
  return `apt-get update && apt-get install -y --no-install-recommends ${packages.join(' ')}`;
}

function report(findings: Finding[]): string {
  const lines = ['npm test needs programs this machine does not have:'];
  for (const f of findings) lines.push(`  - ${f.need.program} (${f.need.why}): ${f.problem}`);
  const apt = findings.flatMap((f) => (f.need.apt ? [f.need.apt] : []));
  if (apt.length)
    lines.push(
      '',
      'Install them with (as root, on Debian or Ubuntu):',
      `  ${aptLine([...apt, ...FONT_PACKAGES])}`,
    );
  for (const f of findings.filter((x) => !x.need.apt))
    lines.push('', `${f.need.program}: ${f.need.otherwise}`);
  return lines.join('\n');
}

export function main(env: NodeJS.ProcessEnv = process.env): number {
  let findings = missing(env);
  if (!findings.length) return 0;
  const apt = findings.flatMap((f) => (f.need.apt ? [f.need.apt] : []));
  if (apt.length && canInstall(env)) {
    const packages = [...apt, ...FONT_PACKAGES];
    process.stderr.write(`npm test: installing ${packages.join(', ')} with apt-get…\n`);
    const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env: aptEnv });
    const install =
      update.status === 0
        ? spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
            stdio: ['ignore', 'ignore', 'inherit'],
            env: aptEnv,
          })
        : update;
    if (install.status !== 0) process.stderr.write('npm test: apt-get failed.\n');
    findings = missing(env);
    if (!findings.length) return 0;
  }
  process.stderr.write(`${report(findings)}\n`);
  return 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = main();
