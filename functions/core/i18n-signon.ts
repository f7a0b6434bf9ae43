/**
 * The words of coalition sign-on: the letter's list of co-signing
 * organisations (in every language the letter's own fixed strings have,
 * i18n.ts), and the public sign-on page and its confirmation mail (English
 * and French; other languages fall back to English words and keep their own
 * `lang`). Whole sentences, so each language orders its own words; values
 * passed in are escaped where the page or letter is built.
 */

export interface CosignLetterWords {
  heading: (n: number) => string;
  more: (n: number) => string;
  fullList: string;
}

const LETTER: Record<string, CosignLetterWords> = {
  en: {
    heading: (n) => (n === 1 ? 'Co-signed by 1 organisation' : `Co-signed by ${n} organisations`),
    more: (n) => (n === 1 ? 'and 1 more organisation' : `and ${n} more organisations`),
    fullList: 'The full list of signatories',
  },
  fr: {
    heading: (n) => (n === 1 ? 'Cosigné par 1 organisation' : `Cosigné par ${n} organisations`),
    more: (n) => (n === 1 ? 'et 1 autre organisation' : `et ${n} autres organisations`),
    fullList: 'La liste complète des signataires',
  },
  de: {
    heading: (n) =>
      n === 1 ? 'Mitunterzeichnet von 1 Organisation' : `Mitunterzeichnet von ${n} Organisationen`,
    more: (n) => (n === 1 ? 'und 1 weitere Organisation' : `und ${n} weitere Organisationen`),
    fullList: 'Die vollständige Liste der Unterzeichnenden',
  },
  ru: {
    heading: (n) => `Подписали организации: ${n}`,
    more: (n) => `и ещё организаций: ${n}`,
    fullList: 'Полный список подписавших',
  },
  es: {
    heading: (n) =>
      n === 1 ? 'Firmado también por 1 organización' : `Firmado también por ${n} organizaciones`,
    more: (n) => (n === 1 ? 'y 1 organización más' : `y ${n} organizaciones más`),
    fullList: 'La lista completa de firmantes',
  },
  it: {
    heading: (n) =>
      n === 1 ? 'Firmato anche da 1 organizzazione' : `Firmato anche da ${n} organizzazioni`,
    more: (n) => (n === 1 ? 'e 1 altra organizzazione' : `e altre ${n} organizzazioni`),
    fullList: 'L’elenco completo dei firmatari',
  },
  pt: {
    heading: (n) => (n === 1 ? 'Subscrito por 1 organização' : `Subscrito por ${n} organizações`),
    more: (n) => (n === 1 ? 'e mais 1 organização' : `e mais ${n} organizações`),
    fullList: 'A lista completa dos signatários',
  },
};

export const cosignLetterWords = (language: string): CosignLetterWords =>
  LETTER[language.split('-')[0]!.toLowerCase()] ?? LETTER.en!;

/** The countries the letter names, in its own language ("Biélorussie", "Беларусь"). */
export function countryName(code: string, language: string): string {
  try {
    return new Intl.DisplayNames([language, 'en'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export interface SignonPageWords {
  title: (statementTitle: string) => string;
  intro: (coalition: string, closesAt: string) => string;
  statementHeading: string;
  signedHeading: (n: number) => string;
  noneYet: string;
  formHeading: string;
  name: string;
  nameHint: string;
  latin: string;
  latinHint: string;
  country: string;
  type: string;
  types: Record<string, string>;
  website: string;
  contactName: string;
  contactEmail: string;
  contactHint: string;
  consent: (coalition: string) => string;
  consentShort: string;
  submit: string;
  honeypot: string;
  sentHeading: string;
  sentBody: string;
  mailFailed: string;
  confirmHeading: string;
  confirmBody: (name: string) => string;
  confirmButton: string;
  confirmedHeading: string;
  confirmedBody: (name: string) => string;
  closedHeading: string;
  closedBody: string;
  goneHeading: string;
  goneBody: string;
  problemsHeading: string;
  already: string;
  tooMany: string;
  mailSubject: (title: string) => string;
  mailBody: (p: { name: string; title: string; coalition: string; url: string }) => string;
  renamedSubject: (title: string) => string;
  renamedBody: (p: { from: string; to: string; title: string; coalition: string }) => string;
  listHeading: (title: string) => string;
  languages: string;
  required: string;
}

const TYPES_EN = {
  ngo: 'Non-governmental organisation',
  network: 'Network or coalition',
  'trade-union': 'Trade union',
  foundation: 'Foundation',
  'think-tank': 'Think tank or research institute',
  media: 'Media organisation',
  faith: 'Faith-based organisation',
  other: 'Other',
};

const PAGE: Record<string, SignonPageWords> = {
  en: {
    title: (t) => `Co-sign: ${t}`,
    intro: (c, at) =>
      `${c} invites organisations to co-sign this statement before it is sent. Signatures are taken until ${at}.`,
    statementHeading: 'The statement',
    signedHeading: (n) =>
      n === 1 ? '1 organisation has signed' : `${n} organisations have signed`,
    noneYet: 'No organisation has confirmed its signature yet.',
    formHeading: 'Sign on behalf of your organisation',
    name: 'Organisation’s name',
    nameHint: 'In its own language and script, as it should appear under the statement.',
    latin: 'Name in Latin letters (optional)',
    latinHint: 'A transliteration, if the name is written in another script.',
    country: 'Country',
    type: 'Type of organisation',
    types: TYPES_EN,
    website: 'Website (optional)',
    contactName: 'Contact person',
    contactEmail: 'Contact email',
    contactHint: 'We send a link to this address: the signature counts once it is confirmed.',
    consent: (c) =>
      `I sign on behalf of this organisation, and agree that ${c} keeps the contact person’s name and email to confirm the signature and to send the statement and its outcome; they are not shown publicly and are deleted when the campaign’s records expire.`,
    consentShort: 'Consent',
    submit: 'Sign the statement',
    honeypot: 'Leave this field empty',
    sentHeading: 'Check your email',
    sentBody:
      'We sent a link to the contact email you gave. Open it to confirm the signature; until then it is not shown anywhere.',
    mailFailed:
      'The signature is recorded, but the confirmation email could not be sent just now. The coalition will send it again.',
    confirmHeading: 'Confirm the signature',
    confirmBody: (n) => `Confirm that ${n} co-signs the statement.`,
    confirmButton: 'Confirm the signature',
    confirmedHeading: 'Thank you: the signature is confirmed',
    confirmedBody: (n) =>
      `${n} is now listed among the signatories. The coalition checks each signature before the statement is sent.`,
    closedHeading: 'Sign-on is closed',
    closedBody: 'This statement no longer takes signatures.',
    goneHeading: 'This link does not work',
    goneBody:
      'The link is not valid, or has been replaced by a new one. Ask the coalition for a current link.',
    problemsHeading: 'Please check the form',
    already: 'This email address has already been used to sign this statement.',
    tooMany: 'Too many signatures from here in a short time: please try again in an hour.',
    mailSubject: (t) => `Please confirm your signature: ${t}`,
    mailBody: (p) =>
      `Hello ${p.name},\n\nThank you for co-signing “${p.title}”. Please open this link to confirm the signature:\n\n${p.url}\n\nUntil you confirm, the signature is not shown anywhere. If you did not sign, ignore this email: nothing more will be sent.\n\n${p.coalition}`,
    renamedSubject: (t) => `Your organisation’s name under “${t}”`,
    renamedBody: (p) =>
      `Hello,\n\nThe coalition will list your organisation under “${p.title}” as:\n\n  ${p.to}\n\n(it was given as “${p.from}”). If this is wrong, reply to this email.\n\n${p.coalition}`,
    listHeading: (t) => `Signatories of “${t}”`,
    languages: 'Other languages',
    required: 'required',
  },
  fr: {
    title: (t) => `Cosigner : ${t}`,
    intro: (c, at) =>
      `${c} invite les organisations à cosigner cette déclaration avant son envoi. Les signatures sont reçues jusqu’au ${at}.`,
    statementHeading: 'La déclaration',
    signedHeading: (n) => (n === 1 ? '1 organisation a signé' : `${n} organisations ont signé`),
    noneYet: 'Aucune organisation n’a encore confirmé sa signature.',
    formHeading: 'Signer au nom de votre organisation',
    name: 'Nom de l’organisation',
    nameHint: 'Dans sa langue et son écriture, tel qu’il doit figurer sous la déclaration.',
    latin: 'Nom en caractères latins (facultatif)',
    latinHint: 'Une translittération, si le nom s’écrit dans un autre alphabet.',
    country: 'Pays',
    type: 'Type d’organisation',
    types: {
      ngo: 'Organisation non gouvernementale',
      network: 'Réseau ou coalition',
      'trade-union': 'Syndicat',
      foundation: 'Fondation',
      'think-tank': 'Groupe de réflexion ou institut de recherche',
      media: 'Média',
      faith: 'Organisation confessionnelle',
      other: 'Autre',
    },
    website: 'Site web (facultatif)',
    contactName: 'Personne de contact',
    contactEmail: 'Adresse e-mail de contact',
    contactHint: 'Nous envoyons un lien à cette adresse : la signature compte une fois confirmée.',
    consent: (c) =>
      `Je signe au nom de cette organisation et j’accepte que ${c} conserve le nom et l’adresse e-mail de la personne de contact pour confirmer la signature et lui envoyer la déclaration et ses suites ; ils ne sont pas publiés et sont effacés à l’expiration des données de la campagne.`,
    consentShort: 'Consentement',
    submit: 'Signer la déclaration',
    honeypot: 'Laissez ce champ vide',
    sentHeading: 'Consultez votre messagerie',
    sentBody:
      'Nous avons envoyé un lien à l’adresse de contact indiquée. Ouvrez-le pour confirmer la signature ; d’ici là, elle n’apparaît nulle part.',
    mailFailed:
      'La signature est enregistrée, mais l’e-mail de confirmation n’a pas pu être envoyé pour l’instant. La coalition le renverra.',
    confirmHeading: 'Confirmer la signature',
    confirmBody: (n) => `Confirmez que ${n} cosigne la déclaration.`,
    confirmButton: 'Confirmer la signature',
    confirmedHeading: 'Merci : la signature est confirmée',
    confirmedBody: (n) =>
      `${n} figure désormais parmi les signataires. La coalition vérifie chaque signature avant l’envoi de la déclaration.`,
    closedHeading: 'Les signatures sont closes',
    closedBody: 'Cette déclaration ne reçoit plus de signatures.',
    goneHeading: 'Ce lien ne fonctionne pas',
    goneBody:
      'Le lien n’est pas valide, ou il a été remplacé. Demandez un lien à jour à la coalition.',
    problemsHeading: 'Veuillez vérifier le formulaire',
    already: 'Cette adresse e-mail a déjà servi à signer cette déclaration.',
    tooMany: 'Trop de signatures depuis cet endroit en peu de temps : réessayez dans une heure.',
    mailSubject: (t) => `Merci de confirmer votre signature : ${t}`,
    mailBody: (p) =>
      `Bonjour ${p.name},\n\nMerci d’avoir cosigné « ${p.title} ». Ouvrez ce lien pour confirmer la signature :\n\n${p.url}\n\nTant que vous ne l’avez pas confirmée, la signature n’apparaît nulle part. Si vous n’avez pas signé, ignorez ce message : rien d’autre ne vous sera envoyé.\n\n${p.coalition}`,
    renamedSubject: (t) => `Le nom de votre organisation sous « ${t} »`,
    renamedBody: (p) =>
      `Bonjour,\n\nLa coalition fera figurer votre organisation sous « ${p.title} » ainsi :\n\n  ${p.to}\n\n(nom donné : « ${p.from} »). Si c’est une erreur, répondez à ce message.\n\n${p.coalition}`,
    listHeading: (t) => `Signataires de « ${t} »`,
    languages: 'Autres langues',
    required: 'obligatoire',
  },
};

/** The languages the sign-on page has words in. */
export const SIGNON_PAGE_LANGUAGES = Object.keys(PAGE);

export const signonPageWords = (language: string): SignonPageWords =>
  PAGE[language.split('-')[0]!.toLowerCase()] ?? PAGE.en!;
