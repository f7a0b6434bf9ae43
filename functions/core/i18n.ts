/**
 * The few words of a letter that are not the statement itself, per language:
 * the meeting and deadline line, the "view in browser" and unsubscribe texts,
 * the footer (salutations are in salutations.ts). A language without an entry
 * falls back to English words, but keeps its own `lang` and `dir`.
 */

export interface LetterWords {
  ahead: (meeting: string) => string;
  deadline: string;
  signedBy: string;
  sentBy: (sender: string) => string;
  replyNote: string;
  viewInBrowser: string;
  unsubscribeNote: string;
  unsubscribe: string;
}

const WORDS: Record<string, LetterWords> = {
  en: {
    ahead: (m) => `Ahead of the ${m}`,
    deadline: 'Before',
    signedBy: 'Signed by',
    sentBy: (s) => `This letter was sent by ${s}.`,
    replyNote: 'You can reply to this email; your reply reaches the coalition directly.',
    viewInBrowser: 'View this letter in your browser',
    unsubscribeNote: 'You receive this as a member of the coalition.',
    unsubscribe: 'Unsubscribe',
  },
  fr: {
    ahead: (m) => `En vue de la réunion « ${m} »`,
    deadline: 'Avant le',
    signedBy: 'Signataires',
    sentBy: (s) => `Cette lettre vous a été envoyée par ${s}.`,
    replyNote:
      'Vous pouvez répondre à ce message ; votre réponse parvient directement à la coalition.',
    viewInBrowser: 'Afficher cette lettre dans votre navigateur',
    unsubscribeNote: 'Vous recevez ce message en tant que membre de la coalition.',
    unsubscribe: 'Se désabonner',
  },
  de: {
    ahead: (m) => `Im Vorfeld: ${m}`,
    deadline: 'Vor dem',
    signedBy: 'Unterzeichnet von',
    sentBy: (s) => `Dieser Brief wurde von ${s} versandt.`,
    replyNote: 'Sie können auf diese E-Mail antworten; Ihre Antwort erreicht die Koalition direkt.',
    viewInBrowser: 'Diesen Brief im Browser ansehen',
    unsubscribeNote: 'Sie erhalten diese Nachricht als Mitglied der Koalition.',
    unsubscribe: 'Abmelden',
  },
  ru: {
    ahead: (m) => `В преддверии заседания «${m}»`,
    deadline: 'До',
    signedBy: 'Подписали',
    sentBy: (s) => `Это письмо отправлено организацией ${s}.`,
    replyNote: 'Вы можете ответить на это письмо; ваш ответ получит непосредственно коалиция.',
    viewInBrowser: 'Открыть это письмо в браузере',
    unsubscribeNote: 'Вы получаете это письмо как член коалиции.',
    unsubscribe: 'Отписаться',
  },
};

/** The languages with their own letter words. */
export const WORDED_LANGUAGES = Object.keys(WORDS);

export function wordsFor(language: string): LetterWords {
  return WORDS[language] ?? WORDS[language.split('-')[0]!] ?? WORDS.en!;
}

const RTL = new Set(['ar', 'he', 'fa', 'ur', 'yi', 'ps', 'dv', 'ckb']);

/** Writing direction of a language, for the letter's `dir` attribute. */
export function dirFor(language: string): 'ltr' | 'rtl' {
  return RTL.has(language.split('-')[0]!.toLowerCase()) ? 'rtl' : 'ltr';
}

/**
 * Formats an ISO date-time in the language, at the offset it was written in
 * ("Wednesday 17 March 2027, 09:00 (UTC+01:00)"): the reader sees the
 * meeting's own clock, not the server's.
 */
export function formatDeadline(iso: string, language: string): string {
  const offsetMatch = /(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  const offset = offsetMatch?.[1] ?? 'Z';
  const minutes =
    offset === 'Z'
      ? 0
      : (offset.startsWith('-') ? -1 : 1) *
        (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const shifted = new Date(Date.parse(iso) + minutes * 60_000);
  let formatted: string;
  try {
    formatted = new Intl.DateTimeFormat(language, {
      dateStyle: 'full',
      timeStyle: 'short',
      timeZone: 'UTC',
    }).format(shifted);
  } catch {
    formatted = shifted.toISOString().slice(0, 16).replace('T', ' ');
  }
  return `${formatted} (UTC${offset === 'Z' ? '' : offset})`;
}
