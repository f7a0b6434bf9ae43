/**
 * The few words of a letter that are not the statement itself, per language:
 * the meeting and deadline line, the "view in browser" and unsubscribe texts,
 * the footer and its "why you received this" line (salutations are in
 * salutations.ts, the recipient's pages in recipient/page-words.ts). A
 * language without an entry falls back to English words, but keeps its own
 * `lang` and `dir`; `fixedStringsFallBack` says so, for preview to warn.
 */

/**
 * Why a recipient got the letter, as the footer (and the recipient's pages)
 * say it: each phrase is a whole sentence, so every language orders its own
 * words. Values passed in come from the recipient's row and the statement
 * and are escaped where the sentence is merged.
 */
export interface WhyWords {
  /** In the role the row gives: "You receive this letter as Minister of Foreign Affairs." */
  as: (role: string) => string;
  /** An NGO member, with its name when the row has one. */
  member: (coalition: string, organisation?: string) => string;
  /** A row with neither title nor organisation. */
  contact: (coalition: string) => string;
  /** The row's `source`: "Your address comes from: the Council's directory." */
  source: (source: string) => string;
  /** The privacy page's link text. */
  privacy: string;
}

export interface LetterWords {
  ahead: (meeting: string) => string;
  deadline: string;
  signedBy: string;
  sentBy: (sender: string) => string;
  replyNote: string;
  viewInBrowser: string;
  unsubscribeNote: string;
  unsubscribe: string;
  why: WhyWords;
}

const WORDS: Record<string, LetterWords> = {
  en: {
    ahead: (m) => `Ahead of the ${m}`,
    deadline: 'Before',
    signedBy: 'Signed by',
    sentBy: (s) => `This letter was sent by ${s}.`,
    replyNote: 'You can reply to this email; your reply reaches the coalition directly.',
    viewInBrowser: 'View this letter in your browser',
    unsubscribeNote: 'To receive no more letters:',
    unsubscribe: 'Unsubscribe',
    why: {
      as: (r) => `You receive this letter as ${r}.`,
      member: (c, o) =>
        o
          ? `You receive this letter as ${o}, a member organisation of ${c}.`
          : `You receive this letter as a member organisation of ${c}.`,
      contact: (c) => `You receive this letter as a contact of ${c}.`,
      source: (s) => `Your address comes from: ${s}.`,
      privacy: 'How your address is used',
    },
  },
  fr: {
    ahead: (m) => `En vue de la réunion « ${m} »`,
    deadline: 'Avant le',
    signedBy: 'Signataires',
    sentBy: (s) => `Cette lettre vous a été envoyée par ${s}.`,
    replyNote:
      'Vous pouvez répondre à ce message ; votre réponse parvient directement à la coalition.',
    viewInBrowser: 'Afficher cette lettre dans votre navigateur',
    unsubscribeNote: 'Pour ne plus recevoir de lettres :',
    unsubscribe: 'Se désabonner',
    why: {
      as: (r) => `Vous recevez cette lettre en tant que ${r}.`,
      member: (c, o) =>
        o
          ? `Vous recevez cette lettre en tant que ${o}, organisation membre de ${c}.`
          : `Vous recevez cette lettre en tant qu’organisation membre de ${c}.`,
      contact: (c) => `Vous recevez cette lettre en tant que contact de ${c}.`,
      source: (s) => `Votre adresse provient de : ${s}.`,
      privacy: 'Utilisation de votre adresse',
    },
  },
  de: {
    ahead: (m) => `Im Vorfeld: ${m}`,
    deadline: 'Vor dem',
    signedBy: 'Unterzeichnet von',
    sentBy: (s) => `Dieser Brief wurde von ${s} versandt.`,
    replyNote: 'Sie können auf diese E-Mail antworten; Ihre Antwort erreicht die Koalition direkt.',
    viewInBrowser: 'Diesen Brief im Browser ansehen',
    unsubscribeNote: 'Keine weiteren Briefe erhalten:',
    unsubscribe: 'Abmelden',
    why: {
      as: (r) => `Sie erhalten diesen Brief als ${r}.`,
      member: (c, o) =>
        o
          ? `Sie erhalten diesen Brief als ${o}, Mitgliedsorganisation von ${c}.`
          : `Sie erhalten diesen Brief als Mitgliedsorganisation von ${c}.`,
      contact: (c) => `Sie erhalten diesen Brief als Kontakt von ${c}.`,
      source: (s) => `Ihre Adresse stammt aus: ${s}.`,
      privacy: 'Wie Ihre Adresse verwendet wird',
    },
  },
  ru: {
    ahead: (m) => `В преддверии заседания «${m}»`,
    deadline: 'До',
    signedBy: 'Подписали',
    sentBy: (s) => `Это письмо отправлено организацией ${s}.`,
    replyNote: 'Вы можете ответить на это письмо; ваш ответ получит непосредственно коалиция.',
    viewInBrowser: 'Открыть это письмо в браузере',
    unsubscribeNote: 'Чтобы больше не получать писем:',
    unsubscribe: 'Отписаться',
    why: {
      as: (r) => `Вы получили это письмо как ${r}.`,
      member: (c, o) =>
        o
          ? `Вы получили это письмо как ${o}, организация — член ${c}.`
          : `Вы получили это письмо как организация — член ${c}.`,
      contact: (c) => `Вы получили это письмо как контакт ${c}.`,
      source: (s) => `Источник вашего адреса: ${s}.`,
      privacy: 'Как используется ваш адрес',
    },
  },
  es: {
    ahead: (m) => `Con vistas a la reunión «${m}»`,
    deadline: 'Antes del',
    signedBy: 'Firmantes',
    sentBy: (s) => `Esta carta ha sido enviada por ${s}.`,
    replyNote: 'Puede responder a este mensaje; su respuesta llega directamente a la coalición.',
    viewInBrowser: 'Ver esta carta en el navegador',
    unsubscribeNote: 'Si no desea recibir más cartas:',
    unsubscribe: 'Darse de baja',
    why: {
      as: (r) => `Recibe esta carta en calidad de ${r}.`,
      member: (c, o) =>
        o
          ? `Recibe esta carta como ${o}, organización miembro de ${c}.`
          : `Recibe esta carta como organización miembro de ${c}.`,
      contact: (c) => `Recibe esta carta como contacto de ${c}.`,
      source: (s) => `Su dirección procede de: ${s}.`,
      privacy: 'Cómo se usa su dirección',
    },
  },
  it: {
    ahead: (m) => `In vista della riunione «${m}»`,
    deadline: 'Entro il',
    signedBy: 'Firmatari',
    sentBy: (s) => `Questa lettera è stata inviata da ${s}.`,
    replyNote:
      'Può rispondere a questo messaggio; la risposta arriva direttamente alla coalizione.',
    viewInBrowser: 'Visualizza questa lettera nel browser',
    unsubscribeNote: 'Per non ricevere altre lettere:',
    unsubscribe: 'Annulla l’iscrizione',
    why: {
      as: (r) => `Riceve questa lettera in qualità di ${r}.`,
      member: (c, o) =>
        o
          ? `Riceve questa lettera in quanto ${o}, organizzazione membro di ${c}.`
          : `Riceve questa lettera in quanto organizzazione membro di ${c}.`,
      contact: (c) => `Riceve questa lettera come contatto di ${c}.`,
      source: (s) => `Il suo indirizzo proviene da: ${s}.`,
      privacy: 'Come viene usato il suo indirizzo',
    },
  },
  pt: {
    ahead: (m) => `Na perspetiva da reunião «${m}»`,
    deadline: 'Antes de',
    signedBy: 'Signatários',
    sentBy: (s) => `Esta carta foi enviada por ${s}.`,
    replyNote: 'Pode responder a esta mensagem; a sua resposta chega diretamente à coligação.',
    viewInBrowser: 'Ver esta carta no navegador',
    unsubscribeNote: 'Para não receber mais cartas:',
    unsubscribe: 'Cancelar a subscrição',
    why: {
      as: (r) => `Recebe esta carta na qualidade de ${r}.`,
      member: (c, o) =>
        o
          ? `Recebe esta carta como ${o}, organização membro de ${c}.`
          : `Recebe esta carta como organização membro de ${c}.`,
      contact: (c) => `Recebe esta carta como contacto de ${c}.`,
      source: (s) => `O seu endereço provém de: ${s}.`,
      privacy: 'Como é usado o seu endereço',
    },
  },
};

/** The languages with their own letter words. */
export const WORDED_LANGUAGES = Object.keys(WORDS);

export function wordsFor(language: string): LetterWords {
  return WORDS[language] ?? WORDS[language.split('-')[0]!.toLowerCase()] ?? WORDS.en!;
}

/** True when a letter in `language` gets English fixed strings (footer, links) for want of its own. */
export function fixedStringsFallBack(language: string): boolean {
  return !WORDS[language] && !WORDS[language.split('-')[0]!.toLowerCase()];
}

/**
 * A calendar day in words, in the language ("1 December 2026", "1 décembre
 * 2026"), for the day it is in UTC: what the web version says of the
 * approval of its text.
 */
export function formatDay(iso: string, language: string): string {
  const date = new Date(iso);
  try {
    // English as written in Europe ("1 December 2026"), not the US order.
    const locale = language.toLowerCase() === 'en' ? 'en-GB' : language;
    return new Intl.DateTimeFormat(locale, {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(date);
  } catch {
    return date.toISOString().slice(0, 10);
  }
}

const RTL = new Set(['ar', 'he', 'fa', 'ur', 'yi', 'ps', 'dv', 'ckb']);

/** Writing direction of a language, for the letter's `dir` attribute. */
export function dirFor(language: string): 'ltr' | 'rtl' {
  return RTL.has(language.split('-')[0]!.toLowerCase()) ? 'rtl' : 'ltr';
}

export { formatDeadline } from './deadline-words.js';
