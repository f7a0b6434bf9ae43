/**
 * Defaults a recipient would notice. A campaign can be valid and still go
 * out signed "demarche", with a placeholder deadline, in English to rows that
 * asked for French, or greeting a minister's office as "colleagues". These
 * are not errors (the campaigner may mean them), so they are warnings, worked
 * out here once for every caller: the CLI's preview, plan and launch, and
 * the API. Recipients stream through `add`, so a list of any length is
 * checked in constant memory.
 */
import { fixedStringsFallBack, formatDeadline } from './i18n.js';
import type { Recipient } from './recipients.js';
import { rankOf } from './salutations.js';
import { statementLanguages, type Statement } from './statement.js';

export interface InputWarning {
  code:
    | 'signatory-default'
    | 'sender-default'
    | 'placeholder-deadline'
    | 'language-missing'
    | 'fixed-strings-fallback'
    | 'group-contradicts-title';
  message: string;
  /** How many rows it concerns (row warnings). */
  count?: number;
  /** One of those rows, to find it. */
  example?: string;
}

/** What the caller filled in itself, which the statement alone cannot show. */
export interface DefaultsContext {
  /** The deadline is a placeholder (a preview of plain text without --deadline). */
  placeholderDeadline?: boolean;
  /** The sender is the deployment's default, not one the campaigner chose. */
  defaultSender?: boolean;
  /**
   * No signatory was given, so the sender signs (plain text without
   * --signatory). Unsaid, a letter signed by the default sender "demarche" is
   * taken as defaulted: a Markdown statement may well be signed by its sender.
   */
  signatoriesDefaulted?: boolean;
}

/** The name the deployment's default sender has (DEMARCHE_FROM unset). */
const DEFAULT_SENDER_NAME = 'demarche';

const OFFICE =
  /\b(ministry|ministries|minist[eè]re|ministerium|ministerio|ministero|minist[eé]rio|ministerstvo|ministerstwo|foreign office|department of foreign affairs|ausw[aä]rtiges amt|federal foreign office|government of|cabinet of|chancellery|embassy|ambassade|botschaft|permanent representation)\b/i;
const EU_BODY =
  /\b(european (commission|parliament|council|external action service)|council of the (eu|european union)|eeas|general secretariat of the council|directorate[- ]general)\b/i;

const OFFICIAL_RANKS = new Set([
  'prime-minister',
  'deputy-minister',
  'state-secretary',
  'minister',
  'ambassador',
]);

/** The group a row's organisation or title suggests, when it is not the one given. */
function groupHint(r: Recipient): 'minister' | 'eu-institution' | undefined {
  if (r.group !== 'ngo' && r.group !== 'other') return undefined;
  const where = `${r.organisation ?? ''} ${r.title ?? ''}`;
  if (EU_BODY.test(where)) return 'eu-institution';
  // NGOs have presidents and secretaries-general too; ministers and ambassadors are officials.
  const rank = r.title ? rankOf(r.title)?.rank.id : undefined;
  if (OFFICE.test(where) || (rank && OFFICIAL_RANKS.has(rank))) return 'minister';
  return undefined;
}

export class InputCheck {
  private readonly languages: string[];
  private readonly missing = new Map<string, { count: number; example: string }>();
  private readonly contradicting = new Map<string, { count: number; example: Recipient }>();

  constructor(
    private readonly statement: Statement,
    private readonly context: DefaultsContext = {},
  ) {
    this.languages = statementLanguages(statement).map((l) => l.toLowerCase());
  }

  /** Looks at one recipient. */
  add(r: Recipient): void {
    const lang = r.language?.toLowerCase();
    if (lang && !this.languages.includes(lang) && !this.languages.includes(lang.split('-')[0]!)) {
      const m = this.missing.get(lang) ?? { count: 0, example: r.email };
      m.count++;
      this.missing.set(lang, m);
    }
    const hint = groupHint(r);
    if (hint) {
      const key = `${r.group}>${hint}`;
      const c = this.contradicting.get(key) ?? { count: 0, example: r };
      c.count++;
      this.contradicting.set(key, c);
    }
  }

  /** Every warning so far, statement ones first. */
  warnings(): InputWarning[] {
    const s = this.statement;
    const out: InputWarning[] = [];
    const signedBySender =
      s.signatories.length === 1 &&
      s.signatories[0]!.name === s.from.name &&
      !s.signatories[0]!.organisation;
    const defaulted =
      this.context.signatoriesDefaulted ?? (signedBySender && s.from.name === DEFAULT_SENDER_NAME);
    if (signedBySender && defaulted) {
      out.push({
        code: 'signatory-default',
        message: `The letter ends "Signed by: ${s.from.name}" (the sender's name), because no signatory was given: pass --signatory "Name, Organisation" or list signatories in the front matter.`,
      });
    }
    if (this.context.defaultSender) {
      out.push({
        code: 'sender-default',
        message: `The letter is sent as the default sender ${s.from.name} <${s.from.address}>, and its footer says "sent by ${s.from.name}": pass --from "Coalition <address>" or set DEMARCHE_FROM.`,
      });
    }
    if (this.context.placeholderDeadline) {
      out.push({
        code: 'placeholder-deadline',
        message: `The deadline shown, ${formatDeadline(s.deadline, s.language, s.zone)}, is a placeholder a week ahead, not a real one: pass --deadline.`,
      });
    }
    for (const [lang, m] of [...this.missing].sort()) {
      out.push({
        code: 'language-missing',
        count: m.count,
        example: m.example,
        message: `${m.count} row${m.count === 1 ? ' asks' : 's ask'} for ${lang}, which the statement has no translation for: ${m.count === 1 ? 'it gets' : 'they get'} the ${s.language} letter (add a ${lang} translation beside the statement; first: ${m.example}).`,
      });
    }
    for (const lang of statementLanguages(s)) {
      if (!fixedStringsFallBack(lang)) continue;
      out.push({
        code: 'fixed-strings-fallback',
        message: `The ${lang} letter's footer, links and salutations fall back to English: demarche has no ${lang} words for them yet (the statement's own text and the dates are in ${lang}).`,
      });
    }
    for (const [key, c] of this.contradicting) {
      const [group, hint] = key.split('>') as [string, string];
      const where = c.example.organisation ?? c.example.title ?? '';
      out.push({
        code: 'group-contradicts-title',
        count: c.count,
        example: c.example.email,
        message: `${c.count} row${c.count === 1 ? ' has' : 's have'} group ${group} but ${c.count === 1 ? 'looks' : 'look'} like ${hint === 'minister' ? 'a ministry or government office' : 'an EU institution'} (first: ${c.example.email}, "${where}")${group === 'ngo' && c.example.organisation ? `, and would be greeted "Dear colleagues at ${c.example.organisation},"` : ''}: did you mean group ${hint}?`,
      });
    }
    return out;
  }
}

/** The warnings of a statement and a list held in memory. */
export function inputWarnings(
  statement: Statement,
  recipients: Iterable<Recipient>,
  context: DefaultsContext = {},
): InputWarning[] {
  const check = new InputCheck(statement, context);
  for (const r of recipients) check.add(r);
  return check.warnings();
}
