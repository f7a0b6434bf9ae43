/**
 * The `demarche` command: a client of the staff API. Works against the local
 * runtime by default (as `--as NAME`) and against a deployment after
 * `demarche login` (`--api URL`, DEMARCHE_API_URL or the login's profile).
 */
import { Command, Option } from 'commander';
import { DemarcheError } from '../core/errors.js';
import { reportError } from './output.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// `demarche campaigns | head -3`: the reader closing the pipe is not an error.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });

// Each command's module is imported when that command runs: `launch` need not
// load the report's browser driver, the preview's MJML checks or the API.

const program = new Command('demarche')
  .description(
    'Advocacy campaign mailer: statements to letters, sent through SES, tracked in DynamoDB',
  )
  .addOption(
    new Option(
      '--target <target>',
      "where to work: the local runtime, or a deployment's API (aws is the same as api)",
    )
      .choices(['local', 'api', 'aws'])
      .env('DEMARCHE_TARGET'),
  )
  .addOption(
    new Option(
      '--api <url>',
      "a deployment's API (the stack's PublicUrl); sign in with demarche login",
    ).env('DEMARCHE_API_URL'),
  )
  .addOption(
    new Option('--data-dir <dir>', 'local runtime data folder')
      .default('.demarche')
      .env('DEMARCHE_DATA_DIR'),
  )
  .option(
    '--as <user>',
    'local runtime only: act as this user (default DEMARCHE_USER, else your login name)',
  )
  .showHelpAfterError();

const collect = (value: string, previous: string[] = []) => [...previous, value];

program
  .command('launch')
  .description(
    'create a campaign from a statement and a recipients CSV (or a directory selection) and send it once approved, or launch a stored CAMPAIGN',
  )
  .argument(
    '[campaign]',
    'a stored, approved campaign to launch (instead of --statement/--recipients)',
  )
  .option('--statement <file>', 'statement: Markdown with front matter, or plain text')
  .option(
    '--recipients <file>',
    'recipients CSV (email,name,title,organisation,country,language,group,salutation); with a directory selection, ad-hoc rows beside it',
  )
  .option('--deadline <iso>', 'deadline, ISO 8601 with zone (overrides the front matter)')
  .option('--zone <iana>', "the deadline's time zone, e.g. Europe/Brussels: the letter names it")
  .option('--subject <text>', 'email subject (plain text: defaults to the title)')
  .option('--meeting <name>', 'the meeting the statement is for')
  .option('--from <address>', 'sender, "Name <address>"')
  .option('--reply-domain <domain>', 'domain of the per-recipient reply addresses')
  .option('--language <code>', 'language of the statement')
  .option('--signatory <name, organisation>', 'a signatory (repeatable)', collect)
  .option('--address <postal address>', "the coalition's postal address for the footer")
  .option(
    '--tag <tag>',
    'recipients from the directory: targets with this tag (repeatable)',
    collect,
  )
  .option('--group <group>', 'directory targets in this group (repeatable)', collect)
  .option(
    '--country <code>',
    'directory targets in this country, ISO alpha-2 (repeatable)',
    collect,
  )
  .option(
    '--type <institution>',
    'directory targets of this institution type (repeatable)',
    collect,
  )
  .option('--search <words>', 'directory targets matching every word (name, title, organisation …)')
  .option('--dry-run', 'render and record every letter without mailing any')
  .option('--json', 'print the final status as JSON')
  .option('--no-progress', 'no progress bar')
  .option('--no-wait', 'return once the launch is handed over (follow it with demarche status)')
  .action(async (campaign: string | undefined, opts) => {
    const launch = await import('./commands/launch.js');
    if (campaign) {
      await launch.launchStoredCommand(campaign, { ...program.opts(), ...opts });
      return;
    }
    // A selection from the directory stands in for the list; --recipients then adds ad-hoc rows.
    const fromDirectory = launch.selectionOf(opts) !== undefined;
    if (!opts.statement || (!opts.recipients && !fromDirectory)) {
      const missing = [
        ...(opts.statement ? [] : ['--statement']),
        ...(opts.recipients || fromDirectory ? [] : ['--recipients (or a directory selection)']),
      ];
      throw new DemarcheError(
        'LAUNCH_WHAT',
        `launch needs ${missing.join(' and ')} for a new campaign, or the id of a stored one:\n` +
          '  demarche launch --statement statement.md --recipients recipients.csv\n' +
          '  demarche launch --statement statement.md --tag FAC [--recipients extra.csv]\n' +
          '  demarche launch CAMPAIGN        (ids: demarche campaigns)\n' +
          'More: demarche launch --help',
      );
    }
    await launch.launchCommand({ ...program.opts(), ...opts });
  });

program
  .command('edit')
  .description('a new version of a draft: replace its statement, replace or add to its recipients')
  .argument('<campaign>', 'campaign id')
  .option('--statement <file>', 'the new statement (translations beside it are read with it)')
  .option('--recipients <file>', 'the new recipients CSV (replaces the list, unless --append)')
  .option('--append', 'add the rows of --recipients to the list instead of replacing it')
  .option('--reason <text>', 'why, for the audit log')
  .option('--deadline <iso>', 'deadline, ISO 8601 with zone (plain text)')
  .option('--zone <iana>', "the deadline's time zone, e.g. Europe/Brussels: the letter names it")
  .option('--subject <text>', 'email subject (plain text)')
  .option('--meeting <name>', 'the meeting the statement is for')
  .option('--json', 'print JSON')
  .action(async (campaign: string, opts) => {
    await (
      await import('./commands/edit.js')
    ).editCommand(campaign, { ...program.opts(), ...opts });
  });

program
  .command('login')
  .description('sign in to a deployment (its Cognito sign-in page, in your browser)')
  .option('--no-browser', 'only print the sign-in link')
  .option('--port <n>', 'loopback port for the sign-in redirect (default 8739)')
  .option('--timeout <seconds>', 'how long to wait for the sign-in (default 300)')
  .action(async (opts) => {
    await (await import('./commands/login.js')).loginCommand({ ...program.opts(), ...opts });
  });

program
  .command('login-link')
  .description(
    'local runtime: print a fresh dashboard link (campaigner or viewer) without sending anything',
  )
  .option('--role <role>', 'campaigner (default) or viewer')
  .action(async (opts) => {
    await (
      await import('./commands/login-link.js')
    ).loginLinkCommand({ ...program.opts(), ...opts });
  });

program
  .command('logout')
  .description('remove the cached sign-in (and the profile) from this machine')
  .action(async () => {
    (await import('./commands/login.js')).logoutCommand();
  });

// Governance: approval by a second campaigner, and the audit log.
program
  .command('approve')
  .description("approve a campaign's current version for launch (two-person: not its author)")
  .argument('<campaign>', 'campaign id')
  .option('--hash <hash>', 'the version hash you reviewed (refused if the campaign changed since)')
  .option('--json', 'print JSON')
  .action(async (campaign: string, opts) => {
    await (
      await import('./commands/governance.js')
    ).approveCommand(campaign, { ...program.opts(), ...opts });
  });

program
  .command('audit')
  .description("a campaign's audit log, oldest first: who did what, when, to which version")
  .argument('<campaign>', 'campaign id')
  .option('--json', 'print JSON')
  .option('--csv', 'print CSV')
  .action(async (campaign: string, opts) => {
    await (
      await import('./commands/governance.js')
    ).auditCommand(campaign, { ...program.opts(), ...opts });
  });

program
  .command('signatories')
  .description("a campaign's co-signing organisations (sign-on), in the letter's order")
  .argument('<campaign>', 'campaign id')
  .option('--state <state>', 'only pending, confirmed, approved or rejected ones')
  .option('--json', 'print JSON')
  .option('--csv', 'print CSV (contact details included)')
  .action(async (campaign: string, opts) => {
    await (
      await import('./commands/signatories.js')
    ).signatoriesCommand(campaign, { ...program.opts(), ...opts });
  });

program
  .command('forget')
  .description("erase a person's personal data from every campaign (counts are kept)")
  .argument('<email>', 'their address')
  .option('--suppress', 'also put the address on the suppression list (never mail it again)')
  .option('--no-wait', 'print the job and return; the server goes on erasing')
  .option('--json', 'print JSON')
  .action(async (email: string, opts) => {
    await (
      await import('./commands/governance.js')
    ).forgetCommand(email, { ...program.opts(), ...opts });
  });

program
  .command('rotate-key')
  .description(
    'rotate the signing key of letter links and reply addresses: a new current key, the old one kept verifying until retired',
  )
  .option(
    '--retire <keyId>',
    "remove a previous key (k0, k1, …) once its letters' links have expired",
  )
  .option(
    '--force',
    'with --retire: retire now even though links it signed still work (a leaked key)',
  )
  .option('--list', 'show the key ring and who changed it; change nothing')
  .option('--json', 'print JSON')
  .addHelpText(
    'after',
    `
Rotate, then retire: \`demarche rotate-key\` makes a new current key (k1, k2, …);
links in letters already delivered keep working because the old key stays in
the ring. When every campaign sent with the old key has passed its retention
(the server says when), \`demarche rotate-key --retire k0\` removes it; its links
then fail like forged ones. Erased people stay suppressed throughout: the
suppression list is keyed by a lookup secret no rotation changes.
See docs/privacy.md, "Rotating the signing key".`,
  )
  .action(async (opts) => {
    await (await import('./commands/keys.js')).rotateKeyCommand({ ...program.opts(), ...opts });
  });

program
  .command('status')
  .description("show a campaign's status and counts")
  .argument('<campaign>', 'campaign id')
  .option('--json', 'print JSON')
  .action(async (campaign: string, opts) => {
    await (
      await import('./commands/status.js')
    ).statusCommand(campaign, { ...program.opts(), ...opts });
  });

program
  .command('plan')
  .description('plan a send-out: when every letter lands inside office hours, or what is short')
  .requiredOption('--statement <file>', "statement (its deadline is the plan's)")
  .requiredOption('--recipients <file>', 'recipients CSV (the country column sets each time zone)')
  .option(
    '--rate <n>',
    "send rate: letters per second, or 30/min, 200/h (default: the SES account's rate × margin, as schedule uses)",
  )
  .option('--quota <n>', 'letters SES accepts in any 24 hours (default 50000)')
  .option('--window <hh:mm-hh:mm>', 'office hours, local to each recipient', '08:00-18:00')
  .option('--days <days>', 'working days, e.g. mon-fri or mon,tue,thu', 'mon-fri')
  .option('--start <iso>', 'earliest start, ISO 8601 with zone (default now)')
  .option('--deadline <iso>', 'deadline, ISO 8601 with zone (overrides the statement)')
  .option(
    '--zone <iana>',
    'zone the plan is told in, and of recipients without a country',
    'Europe/Brussels',
  )
  .option('--json', 'print JSON')
  .option('--sends', 'with --json: include every planned send')
  .option(
    '--verified-within <days>',
    "warn about officials' addresses verified longer ago (default 90)",
  )
  .action(async (opts) => {
    const plan = await (
      await import('./commands/plan.js')
    ).planCommand({ ...program.opts(), ...opts });
    if (!plan.feasible) process.exitCode = 1;
  });

program
  .command('report')
  .description('write the proof-of-delivery report: report.html and report.pdf')
  .argument('<campaign>', 'campaign id')
  .requiredOption('--out <dir>', 'folder to write report.html and report.pdf into')
  .option('--zone <iana>', 'time zone the report gives times in', 'Europe/Brussels')
  .option('--no-pdf', 'write only the HTML')
  .option('--json', 'print the written paths as JSON')
  .action(async (campaign: string, opts) => {
    await (
      await import('./commands/report.js')
    ).reportCommand(campaign, { ...program.opts(), ...opts });
  });

program
  .command('follow-up')
  .description(
    'schedule a follow-up letter, threaded to the first, for recipients in a chosen state',
  )
  .argument('<campaign>', 'the campaign to follow up')
  .requiredOption(
    '--statement <file>',
    'the follow-up text: Markdown with front matter, or plain text',
  )
  .requiredOption(
    '--audience <state>',
    'not-opened | opened-not-replied | not-replied | soft-bounced',
  )
  .requiredOption('--at <iso>', 'when it goes out, ISO 8601 with zone, before the deadline')
  .option('--subject <text>', 'subject (plain text: defaults to "Re: " and the original subject)')
  .option('--json', 'print JSON')
  .action(async (campaign: string, opts) => {
    await (
      await import('./commands/follow-up.js')
    ).followUpCommand(campaign, { ...program.opts(), ...opts });
  });

program
  .command('campaigns')
  .description('list campaigns, newest first (archived ones with --archived)')
  .option('--archived', 'list the archived campaigns too')
  .option('--json', 'print JSON')
  .action(async (opts) => {
    await (await import('./commands/status.js')).listCommand({ ...program.opts(), ...opts });
  });

// The campaign lifecycle: the same operations as the API's controls.
program
  .command('schedule')
  .description(
    "schedule a draft campaign from its plan: every letter inside its recipient's office hours before the deadline",
  )
  .argument('<campaign>', 'campaign id')
  .option('--at <iso>', "launch time, ISO 8601 with zone (default: the plan's proposed start)")
  .option(
    '--rate <rate>',
    'send rate to plan with, e.g. 14 or 30/min (default: the SES account rate × margin)',
  )
  .option('--quota <n>', 'letters SES accepts in any 24 hours')
  .option('--window <hh:mm-hh:mm>', 'office hours, local to each recipient', '08:00-18:00')
  .option('--days <days>', 'office days, e.g. mon-fri or mon,tue,thu', 'mon-fri')
  .option('--zone <iana>', 'zone for recipients without a known country (default Europe/Brussels)')
  .option('--any-time', 'no plan and no office hours: send from --at at any hour')
  .option('--json', 'print JSON')
  .action(async (campaign: string, opts) => {
    await (
      await import('./commands/lifecycle.js')
    ).scheduleCommand(campaign, { ...program.opts(), ...opts });
  });

program
  .command('pause')
  .description('pause a sending campaign (letters already with SES are not recalled)')
  .argument('<campaign>', 'campaign id')
  .option('--reason <text>', 'why, shown to staff')
  .option('--json', 'print JSON')
  .action(async (campaign: string, opts) => {
    await (
      await import('./commands/lifecycle.js')
    ).pauseCommand(campaign, { ...program.opts(), ...opts });
  });

program
  .command('resume')
  .description('resume a paused campaign: its letters not yet sent go back on the queue')
  .argument('<campaign>', 'campaign id')
  .option('--json', 'print JSON')
  .action(async (campaign: string, opts) => {
    await (
      await import('./commands/lifecycle.js')
    ).resumeCommand(campaign, { ...program.opts(), ...opts });
  });

program
  .command('cancel')
  .description('cancel a campaign: nothing more is sent')
  .argument('<campaign>', 'campaign id')
  .option('--json', 'print JSON')
  .action(async (campaign: string, opts) => {
    await (
      await import('./commands/lifecycle.js')
    ).cancelCommand(campaign, { ...program.opts(), ...opts });
  });

program
  .command('archive')
  .description(
    'hide a campaign that is not sending from the campaigns list (--undo shows it again)',
  )
  .argument('<campaign>', 'campaign id')
  .option('--undo', 'list it again')
  .option('--json', 'print JSON')
  .action(async (campaign: string, opts) => {
    await (
      await import('./commands/tidy.js')
    ).archiveCommand(campaign, { ...program.opts(), ...opts });
  });

program
  .command('delete')
  .description(
    'delete a draft or a dry run: its recipients and letters go, its versions and audit log stay',
  )
  .argument('<campaign>', 'campaign id')
  .option('--yes', 'really delete (it cannot be undone)')
  .option('--reason <text>', 'why, kept in the audit log')
  .option('--json', 'print JSON')
  .action(async (campaign: string, opts) => {
    await (
      await import('./commands/tidy.js')
    ).deleteCommand(campaign, { ...program.opts(), ...opts });
  });

program
  .command('preflight')
  .description(
    'check what would make SES refuse a campaign: identity, DKIM, MAIL FROM, SPF, DMARC, sandbox, quota, configuration set',
  )
  .argument('<campaign>', 'campaign id')
  .option('--at <iso>', 'when the send-out would start (default now)')
  .option('--json', 'print JSON')
  .action(async (campaign: string, opts) => {
    await (
      await import('./commands/preflight.js')
    ).preflightCommand(campaign, { ...program.opts(), ...opts });
  });

// Stuck letters: list the failed and unknown ones, send them again, or record them as sent.

program
  .command('stuck')
  .description("a campaign's failed and unknown letters, each with its reason and what to do")
  .argument('<campaign>', 'campaign id')
  .option('--state <state>', 'failed or unknown (default: both)')
  .option('--json', 'print JSON')
  .action(async (campaign: string, opts) => {
    await (
      await import('./commands/stuck.js')
    ).stuckCommand(campaign, { ...program.opts(), ...opts });
  });

program
  .command('resend')
  .description('send failed letters again (or unknown ones, accepting a possible duplicate)')
  .argument('<campaign>', 'campaign id')
  .argument('[recipients...]', 'recipient ids (see `demarche stuck`)')
  .option('--state <state>', 'failed (default) or unknown')
  .option('--all', 'every letter in that state')
  .option(
    '--accept-possible-duplicate',
    'for unknown letters: they may have arrived already, and may arrive twice',
  )
  .option('--json', 'print JSON')
  .action(async (campaign: string, recipients: string[], opts) => {
    await (
      await import('./commands/stuck.js')
    ).resendCommand(campaign, recipients, { ...program.opts(), ...opts });
  });

program
  .command('mark-sent')
  .description('record unknown letters you know went out as sent')
  .argument('<campaign>', 'campaign id')
  .argument('[recipients...]', 'recipient ids (see `demarche stuck --state unknown`)')
  .option('--all', 'every unknown letter')
  .option('--note <text>', 'how you know, for the audit log')
  .option('--json', 'print JSON')
  .action(async (campaign: string, recipients: string[], opts) => {
    await (
      await import('./commands/stuck.js')
    ).markSentCommand(campaign, recipients, { ...program.opts(), ...opts });
  });

// Letters: see one before sending it, or send one to yourself.

const letterOptions = (c: Command) =>
  c
    .requiredOption('--statement <file>', 'statement (translations beside it: statement.fr.md …)')
    .option('--recipients <file>', 'recipients CSV to take the recipient from')
    .option('--recipient <email>', 'the row with this address (default: a sample minister)')
    .option('--row <n>', 'the nth data row of --recipients')
    .option(
      '--lang <code>',
      "language of the letter (default: the recipient's, else the statement's)",
    )
    .option('--deadline <iso>', 'deadline, ISO 8601 with zone (plain text: a week ahead)')
    .option('--zone <iana>', "the deadline's time zone, e.g. Europe/Brussels: the letter names it")
    .option('--subject <text>', 'email subject')
    .option('--meeting <name>', 'the meeting the statement is for')
    .option('--from <address>', 'sender, "Name <address>"')
    .option('--reply-domain <domain>', 'domain of the reply addresses')
    .option('--language <code>', 'language of the statement file itself')
    .option('--signatory <name, organisation>', 'a signatory (repeatable)', collect)
    .option('--address <postal address>', "the coalition's postal address for the footer");

letterOptions(program.command('preview'))
  .description('write one letter as letter.html, letter.txt, letter.eml and letter.png')
  .requiredOption('--out <dir>', 'folder to write the files to')
  .option('--no-screenshot', 'skip the PNG (no Chromium needed)')
  .action(async (opts) => {
    await (await import('./commands/preview.js')).previewCommand(opts);
  });

letterOptions(program.command('test-send'))
  .description("send one letter marked as a test, outside any campaign's counts")
  .requiredOption('--to <address>', 'where to send it')
  .option('--name <name>', 'the name the letter addresses')
  .option('--group <group>', 'minister, eu-institution, ngo or other')
  .action(async (opts) => {
    await (await import('./commands/test-send.js')).testSendCommand({ ...program.opts(), ...opts });
  });

program
  .command('replies')
  .description("a campaign's replies, newest first: kind, match, recipient and new text")
  .argument('[campaign]', 'campaign id')
  .option('--unmatched', 'list the replies that matched no campaign instead')
  .option('--raw <replyId>', 'print the raw message of one reply')
  .option('--limit <n>', 'how many (default 50)')
  .option('--json', 'print JSON')
  .action(async (campaign: string | undefined, opts) => {
    await (
      await import('./commands/replies.js')
    ).repliesCommand(campaign, { ...program.opts(), ...opts });
  });

// The target directory: people and offices kept across campaigns.
const targets = program
  .command('targets')
  .description('the target directory: import (compared first), list, show, export');
targets
  .command('import')
  .description('compare a directory CSV with the directory; --apply writes all or some of it')
  .argument(
    '<file>',
    'directory CSV (the recipients columns plus kind, institutionType, tags, notes, externalId)',
  )
  .option(
    '--apply <keys...>',
    '"all", or the keys of the changes to apply (as the comparison prints them)',
  )
  .option('--json', 'print JSON')
  .action(async (file: string, opts) => {
    await (
      await import('./commands/targets.js')
    ).targetsImportCommand(file, { ...program.opts(), ...opts });
  });
targets
  .command('list')
  .description('targets, filtered; those not verified within the window are flagged')
  .option('--tag <tag>', 'with this tag (repeatable: any of them)', collect)
  .option('--group <group>', 'minister, eu-institution, ngo, other (repeatable)', collect)
  .option('--country <code>', 'ISO 3166 alpha-2 (repeatable)', collect)
  .option(
    '--type <institution>',
    'ministry, permanent-representation, commission … (repeatable)',
    collect,
  )
  .option('--search <words>', 'free search in name, title, organisation, email, notes, tags')
  .option('--stale', 'only those not verified within the window')
  .option('--archived', 'the archived ones instead')
  .option('--limit <n>', 'how many (default 500)')
  .option('--json', 'print JSON')
  .action(async (opts) => {
    await (
      await import('./commands/targets.js')
    ).targetsListCommand({ ...program.opts(), ...opts });
  });
targets
  .command('show')
  .description(
    'one target: its fields, suppression, letters (delivery, opens, replies) and versions',
  )
  .argument('<id>', 'target id (demarche targets list)')
  .option('--json', 'print JSON')
  .action(async (id: string, opts) => {
    await (
      await import('./commands/targets.js')
    ).targetsShowCommand(id, { ...program.opts(), ...opts });
  });
targets
  .command('export')
  .description('the directory as CSV (it imports again unchanged), or the responsiveness view')
  .option('--out <file>', 'write to this file instead of standard output')
  .option(
    '--responsiveness <by>',
    'the responsiveness view by institutionType, country or group instead',
  )
  .action(async (opts) => {
    await (
      await import('./commands/targets.js')
    ).targetsExportCommand({ ...program.opts(), ...opts });
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = reportError(err);
}
