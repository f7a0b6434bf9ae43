/**
 * The few words of a letter that are not the statement itself, per language.
 * A language without an entry falls back to English.
 */
export interface LetterWords {
  ahead: (meeting: string) => string;
  deadline: string;
  signedBy: string;
  sentBy: (sender: string) => string;
  replyNote: string;
  defaultSalutation: string;
  dir: 'ltr' | 'rtl';
}

const WORDS: Record<string, LetterWords> = {
  en: {
    ahead: (m) => `Ahead of the ${m}`,
    deadline: 'Before',
    signedBy: 'Signed by',
    sentBy: (s) => `This letter was sent by ${s}.`,
    replyNote: 'You can reply to this email; your reply reaches the coalition directly.',
    defaultSalutation: 'Dear Sir or Madam,',
    dir: 'ltr',
  },
  fr: {
    ahead: (m) => `En vue de la ${m}`,
    deadline: 'Avant le',
    signedBy: 'Signataires',
    sentBy: (s) => `Cette lettre vous a été envoyée par ${s}.`,
    replyNote:
      'Vous pouvez répondre à ce message ; votre réponse parvient directement à la coalition.',
    defaultSalutation: 'Madame, Monsieur,',
    dir: 'ltr',
  },
  de: {
    ahead: (m) => `Im Vorfeld: ${m}`,
    deadline: 'Vor dem',
    signedBy: 'Unterzeichnet von',
    sentBy: (s) => `Dieser Brief wurde von ${s} versandt.`,
    replyNote: 'Sie können auf diese E-Mail antworten; Ihre Antwort erreicht die Koalition direkt.',
    defaultSalutation: 'Sehr geehrte Damen und Herren,',
    dir: 'ltr',
  },
};

export function wordsFor(language: string): LetterWords {
  return WORDS[language] ?? WORDS[language.split('-')[0]!] ?? WORDS.en!;
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
