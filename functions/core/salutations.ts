/**
 * Salutations a person would write. The form of address comes from the
 * title's leading rank words ("Minister of Foreign and European Affairs" is
 * a Minister: "Dear Minister Kovačević,"), in the letter's language, with
 * the grammatical gender when the title shows it (Ministerin, Présidente,
 * Ministra …) and both forms when it does not ("Madame la Ministre, Monsieur
 * le Ministre,"). Ranks are recognised in English, French, German, Spanish,
 * Italian and Portuguese titles, whatever the letter's language. Each result
 * names the rule that produced it, so a preview can show why.
 */
import type { Group } from './recipients.js';

/** What a salutation rule knows about a recipient. */
export interface SalutationInput {
  name: string;
  title?: string;
  organisation?: string;
  group: Group;
  salutation?: string;
}

export interface DerivedSalutation {
  /** The line, comma (or the language's mark) included. */
  text: string;
  /** The rule, e.g. "rank minister (en)", "row salutation", "NGO colleagues (fr)". */
  rule: string;
}

type Gender = 'f' | 'm' | undefined;

interface Rank {
  id: string;
  /** Matches the start of a title with diacritics removed and lower-cased. */
  match: RegExp;
  en: string;
  /** Feminine and masculine forms with their article, as the salutation says them. */
  fr: [string, string];
  de: [string, string];
  ru: string;
}

/** Most specific first: "Deputy Minister" before "Minister", "Vice-President" before "President". */
const RANKS: Rank[] = [
  {
    id: 'prime-minister',
    match:
      /^(prime minister|premier(e)? ministre|premierminister(in)?|ministerprasident(in)?|primer(a)? ministr[oa]|prim[oa] ministr[oa]|primeir[oa][- ]ministr[oa])\b/,
    en: 'Prime Minister',
    fr: ['la Première ministre', 'le Premier ministre'],
    de: ['Premierministerin', 'Premierminister'],
    ru: 'премьер-министр',
  },
  {
    id: 'deputy-minister',
    match:
      /^(deputy minister|vice[- ]minister|ministre delegue(e)?|ministre adjoint(e)?|vizeminister(in)?|stellvertretende(r)? minister(in)?|viceministr[oa]|vice[- ]ministr[oa])\b/,
    en: 'Deputy Minister',
    fr: ['la Ministre déléguée', 'le Ministre délégué'],
    de: ['Vizeministerin', 'Vizeminister'],
    ru: 'заместитель министра',
  },
  {
    id: 'state-secretary',
    match:
      /^(parliamentary )?(state secretary|secretary of state|secretaire d'etat|secretaire d’etat|(parlamentarische(r)? )?staatssekretar(in)?|secretari[oa] de estado|sottosegretari[oa])\b/,
    en: 'State Secretary',
    fr: ['la Secrétaire d’État', 'le Secrétaire d’État'],
    de: ['Staatssekretärin', 'Staatssekretär'],
    ru: 'государственный секретарь',
  },
  {
    id: 'minister',
    match:
      /^((federal|foreign|acting|senior|first|cabinet) )?(minister(in)?|ministre|bundesminister(in)?|ministr[oa]|minist[eé]rio)\b/,
    en: 'Minister',
    fr: ['la Ministre', 'le Ministre'],
    de: ['Ministerin', 'Minister'],
    ru: 'министр',
  },
  {
    id: 'high-representative',
    match:
      /^(high representative|haut(e)? representant(e)?|hohe(r)? vertreter(in)?|alt[oa] rappresentante|alt[oa] representante)\b/,
    en: 'High Representative',
    fr: ['la Haute représentante', 'le Haut représentant'],
    de: ['Hohe Vertreterin', 'Hoher Vertreter'],
    ru: 'Высокий представитель',
  },
  {
    id: 'commissioner',
    match:
      /^(european )?(commissioner|commissaire|(eu-)?kommissar(in)?|comisari[oa]|commissari[oa]|comissari[oa])\b/,
    en: 'Commissioner',
    fr: ['la Commissaire', 'le Commissaire'],
    de: ['Kommissarin', 'Kommissar'],
    ru: 'комиссар',
  },
  {
    id: 'vice-president',
    match:
      /^((executive|first) )?(vice[- ]?president(e|a)?|vizeprasident(in)?|vicepresident(e|a)?)\b/,
    en: 'Vice-President',
    fr: ['la Vice-présidente', 'le Vice-président'],
    de: ['Vizepräsidentin', 'Vizepräsident'],
    ru: 'вице-президент',
  },
  {
    id: 'president',
    match: /^(president(e|a)?|prasident(in)?)\b/,
    en: 'President',
    fr: ['la Présidente', 'le Président'],
    de: ['Präsidentin', 'Präsident'],
    ru: 'президент',
  },
  {
    id: 'ambassador',
    match:
      /^(ambassador|ambassadeur|ambassadrice|botschafter(in)?|embajador(a)?|ambasciat(ore|rice)|embaixador(a)?)\b/,
    en: 'Ambassador',
    fr: ['l’Ambassadrice', 'l’Ambassadeur'],
    de: ['Botschafterin', 'Botschafter'],
    ru: 'посол',
  },
  {
    id: 'secretary-general',
    match:
      /^(secretary[- ]general|secretaire general(e)?|generalsekretar(in)?|secretari[oa] general|segretari[oa] generale)\b/,
    en: 'Secretary-General',
    fr: ['la Secrétaire générale', 'le Secrétaire général'],
    de: ['Generalsekretärin', 'Generalsekretär'],
    ru: 'генеральный секретарь',
  },
  {
    id: 'director-general',
    match:
      /^(director[- ]general|directeur general|directrice generale|generaldirektor(in)?|director(a)? general|direttore generale|direttrice generale)\b/,
    en: 'Director-General',
    fr: ['la Directrice générale', 'le Directeur général'],
    de: ['Generaldirektorin', 'Generaldirektor'],
    ru: 'генеральный директор',
  },
];

/**
 * Title words that show the holder's grammatical gender. Words that are the
 * same for both in some language are in neither list: "Minister" (English and
 * German), "Presidente" (Spanish for both, French for a woman), "generale".
 */
const FEMININE = new Set([
  'ministra',
  'viceministra',
  'premiere',
  'deleguee',
  'adjointe',
  'haute',
  'presidenta',
  'ambassadrice',
  'embajadora',
  'embaixadora',
  'ambasciatrice',
  'directrice',
  'secretaria',
  'segretaria',
  'sottosegretaria',
  'comisaria',
  'commissaria',
  'comissaria',
  'prima',
  'primera',
  'primeira',
  'hohe',
  'stellvertretende',
  'alta',
  'direttrice',
]);
const MASCULINE = new Set([
  'ministro',
  'viceministro',
  'premier',
  'delegue',
  'adjoint',
  'haut',
  'ambassadeur',
  'embajador',
  'embaixador',
  'ambasciatore',
  'directeur',
  'secretario',
  'segretario',
  'sottosegretario',
  'comisario',
  'commissario',
  'comissario',
  'primo',
  'primer',
  'primeiro',
  'hoher',
  'stellvertretender',
  'alto',
  'direttore',
  'bundesminister',
  'staatssekretar',
  'prasident',
  'vizeprasident',
  'botschafter',
  'kommissar',
  'generaldirektor',
  'generalsekretar',
  'vizeminister',
  'premierminister',
  'ministerprasident',
]);
/** German office words take -in for a woman: Ministerin, Staatssekretärin, Präsidentin … */
const GERMAN_FEMININE =
  /^(bundes|vize|premier)?(minister|staatssekretar|prasident|vizeprasident|botschafter|kommissar|vertreter|generaldirektor|generalsekretar|ministerprasident)in$/;

const plain = (s: string) =>
  s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();

/** The rank a title starts with, and the gender its words show. */
export function rankOf(title: string): { rank: Rank; gender: Gender } | undefined {
  const t = plain(title);
  for (const rank of RANKS) {
    const m = rank.match.exec(t);
    if (!m) continue;
    const words = m[0].split(/[\s-]+/);
    const gender: Gender = words.some((w) => FEMININE.has(w) || GERMAN_FEMININE.test(w))
      ? 'f'
      : words.some((w) => MASCULINE.has(w))
        ? 'm'
        : undefined;
    return { rank, gender };
  }
  return undefined;
}

const lastName = (name: string): string => {
  const parts = name.trim().split(/\s+/);
  return parts[parts.length - 1] ?? name;
};

type Form = (r: SalutationInput, rank?: { rank: Rank; gender: Gender }) => string;

interface LanguageRules {
  ngo: (organisation: string) => string;
  rank: Form;
  /** A title that is no rank, or no title. */
  plain: Form;
}

const RULES: Record<string, LanguageRules> = {
  en: {
    ngo: (o) => `Dear colleagues at ${o},`,
    rank: (r, k) => `Dear ${k!.rank.en} ${lastName(r.name)},`,
    plain: (r) => `Dear ${r.name},`,
  },
  fr: {
    ngo: (o) => `Chères et chers collègues de ${o},`,
    rank: (_r, k) => {
      const [f, m] = k!.rank.fr;
      if (k!.gender === 'f') return `Madame ${f},`;
      if (k!.gender === 'm') return `Monsieur ${m},`;
      return `Madame ${f}, Monsieur ${m},`;
    },
    plain: () => 'Madame, Monsieur,',
  },
  de: {
    ngo: (o) => `Liebe Kolleginnen und Kollegen von ${o},`,
    rank: (r, k) => {
      const [f, m] = k!.rank.de;
      if (k!.gender === 'f') return `Sehr geehrte Frau ${f} ${lastName(r.name)},`;
      if (k!.gender === 'm') return `Sehr geehrter Herr ${m} ${lastName(r.name)},`;
      return `Sehr geehrte Frau ${f}, sehr geehrter Herr ${m},`;
    },
    plain: (r) => `Guten Tag ${r.name},`,
  },
  ru: {
    ngo: (o) => `Уважаемые коллеги из ${o}!`,
    rank: (r, k) => {
      if (k!.gender === 'f') return `Уважаемая госпожа ${k!.rank.ru} ${lastName(r.name)}!`;
      if (k!.gender === 'm') return `Уважаемый господин ${k!.rank.ru} ${lastName(r.name)}!`;
      return `Уважаемый(ая) ${k!.rank.ru} ${r.name}!`;
    },
    plain: (r) => (r.title ? `Уважаемый(ая) ${r.title} ${r.name}!` : `Уважаемый(ая) ${r.name}!`),
  },
};

function rulesFor(language: string): [string, LanguageRules] {
  const base = language.split('-')[0]!.toLowerCase();
  return RULES[language]
    ? [language, RULES[language]]
    : RULES[base]
      ? [base, RULES[base]]
      : ['en', RULES.en!];
}

/**
 * The salutation line of a recipient: the row's own when it has one (a comma
 * added when it ends without punctuation), else the language's rule for the
 * group and the title's rank.
 */
export function deriveSalutation(r: SalutationInput, language: string): DerivedSalutation {
  if (r.salutation) {
    const text = /[,:!.]$/.test(r.salutation) ? r.salutation : `${r.salutation},`;
    return { text, rule: 'the row’s own salutation' };
  }
  const [lang, rules] = rulesFor(language);
  if (r.group === 'ngo' && r.organisation) {
    return {
      text: rules.ngo(r.organisation),
      rule: `NGO member: colleagues at the organisation (${lang})`,
    };
  }
  const rank = r.title ? rankOf(r.title) : undefined;
  // French and German letters to a minister's office open with the office even without a title.
  if (!rank && !r.title && r.group === 'minister' && (lang === 'fr' || lang === 'de')) {
    const minister = RANKS.find((k) => k.id === 'minister')!;
    return {
      text: rules.rank(r, { rank: minister, gender: undefined }),
      rule: `group minister, no title: the minister's form (${lang})`,
    };
  }
  if (rank) {
    const gender = rank.gender === 'f' ? ', feminine' : rank.gender === 'm' ? ', masculine' : '';
    return {
      text: rules.rank(r, rank),
      rule: `rank "${rank.rank.en}" from the title "${r.title}" (${lang}${gender})`,
    };
  }
  return {
    text: rules.plain(r),
    rule: r.title
      ? `no rank word at the start of the title "${r.title}": by name (${lang})`
      : `no title: by name (${lang})`,
  };
}
