/**
 * The words of what sign-on sends and shows after the send-out: the copy of
 * the letter each co-signing organisation's contact gets, the delivery
 * summary after the deadline, and the public open-letter page, in the
 * sign-on page's languages (English, French, German, Russian, Spanish,
 * Italian, Portuguese); any other language gets English.
 */
import { ruPlural } from '../i18n-signon.js';
import type { Group } from '../recipients.js';

export interface AfterSendWords {
  copySubject: (subject: string) => string;
  /** The note above the copy: when it went out, to how many, and why this contact gets it. */
  copyNote: (p: { organisation: string; coalition: string; sent: number; date: string }) => string;
  copySalutation: (name: string) => string;
  copyWhy: (organisation: string, coalition: string) => string;
  openLetterLine: (url: string) => string;
  summarySubject: (subject: string) => string;
  summaryIntro: (p: {
    name: string;
    subject: string;
    coalition: string;
    first?: string;
    last?: string;
  }) => string;
  summaryTotals: (p: { delivered: number; sent: number; recipients: number }) => string;
  group: Record<Group, string>;
  groupLine: (p: { group: string; delivered: number; letters: number }) => string;
  andMore: (n: number) => string;
  summaryEnd: (coalition: string) => string;
  openHeading: string;
  openSentOn: (date: string, recipients: number) => string;
  signedBy: (n: number) => string;
  noSignatories: string;
}

const EN: AfterSendWords = {
  copySubject: (s) => `Copy: ${s}`,
  copyNote: (p) =>
    `This is your copy of the letter ${p.organisation} co-signed. ${p.coalition} sent it on ${p.date} to ${p.sent} ${p.sent === 1 ? 'recipient' : 'recipients'}.`,
  copySalutation: (n) => `Dear ${n},`,
  copyWhy: (o, c) => `You receive this copy because ${o} co-signed this letter of ${c}.`,
  openLetterLine: (u) => `The open letter with every signatory: ${u}`,
  summarySubject: (s) => `Delivered: ${s}`,
  summaryIntro: (p) =>
    `Dear ${p.name},\n\nthe deadline of “${p.subject}” has passed. This is what ${p.coalition} can show of its delivery` +
    (p.first ? `: the letters went out from ${p.first} to ${p.last}.` : '.'),
  summaryTotals: (p) =>
    `${p.delivered} of ${p.sent} letters sent were delivered (${p.recipients} ${p.recipients === 1 ? 'recipient' : 'recipients'} in all).`,
  group: {
    minister: 'Ministers and governments',
    'eu-institution': 'EU institutions',
    ngo: 'Member organisations',
    other: 'Others',
  },
  groupLine: (p) => `${p.group}: ${p.delivered} of ${p.letters} delivered`,
  andMore: (n) => `and ${n} more`,
  summaryEnd: (c) => `Thank you for co-signing.\n\n${c}`,
  openHeading: 'Open letter',
  openSentOn: (d, n) => `Sent on ${d} to ${n} ${n === 1 ? 'recipient' : 'recipients'}.`,
  signedBy: (n) => (n === 1 ? 'Co-signed by 1 organisation' : `Co-signed by ${n} organisations`),
  noSignatories: 'No organisation co-signed this letter.',
};

const FR: AfterSendWords = {
  copySubject: (s) => `Copie : ${s}`,
  copyNote: (p) =>
    `Voici votre copie de la lettre que ${p.organisation} a cosignée. ${p.coalition} l’a envoyée le ${p.date} à ${p.sent} ${p.sent === 1 ? 'destinataire' : 'destinataires'}.`,
  copySalutation: (n) => `Bonjour ${n},`,
  copyWhy: (o, c) => `Vous recevez cette copie parce que ${o} a cosigné cette lettre de ${c}.`,
  openLetterLine: (u) => `La lettre ouverte avec tous ses signataires : ${u}`,
  summarySubject: (s) => `Remise : ${s}`,
  summaryIntro: (p) =>
    `Bonjour ${p.name},\n\nl’échéance de « ${p.subject} » est passée. Voici ce que ${p.coalition} peut montrer de sa remise` +
    (p.first ? ` : les lettres sont parties du ${p.first} au ${p.last}.` : '.'),
  summaryTotals: (p) =>
    `${p.delivered} des ${p.sent} lettres envoyées ont été remises (${p.recipients} ${p.recipients === 1 ? 'destinataire' : 'destinataires'} en tout).`,
  group: {
    minister: 'Ministres et gouvernements',
    'eu-institution': 'Institutions de l’UE',
    ngo: 'Organisations membres',
    other: 'Autres',
  },
  groupLine: (p) => `${p.group} : ${p.delivered} sur ${p.letters} remises`,
  andMore: (n) => `et ${n} de plus`,
  summaryEnd: (c) => `Merci d’avoir cosigné.\n\n${c}`,
  openHeading: 'Lettre ouverte',
  openSentOn: (d, n) => `Envoyée le ${d} à ${n} ${n === 1 ? 'destinataire' : 'destinataires'}.`,
  signedBy: (n) => (n === 1 ? 'Cosignée par 1 organisation' : `Cosignée par ${n} organisations`),
  noSignatories: 'Aucune organisation n’a cosigné cette lettre.',
};

const DE: AfterSendWords = {
  copySubject: (s) => `Kopie: ${s}`,
  copyNote: (p) =>
    `Dies ist Ihre Kopie des Briefes, den ${p.organisation} mitunterzeichnet hat. ${p.coalition} hat ihn am ${p.date} an ${p.sent} Empfänger gesendet.`,
  copySalutation: (n) => `Guten Tag ${n},`,
  copyWhy: (o, c) =>
    `Sie erhalten diese Kopie, weil ${o} diesen Brief von ${c} mitunterzeichnet hat.`,
  openLetterLine: (u) => `Der offene Brief mit allen Unterzeichnenden: ${u}`,
  summarySubject: (s) => `Zugestellt: ${s}`,
  summaryIntro: (p) =>
    `Guten Tag ${p.name},\n\ndie Frist von „${p.subject}“ ist abgelaufen. Das kann ${p.coalition} über die Zustellung zeigen` +
    (p.first ? `: Die Briefe gingen vom ${p.first} bis zum ${p.last} hinaus.` : '.'),
  summaryTotals: (p) =>
    `${p.delivered} von ${p.sent} gesendeten Briefen wurden zugestellt (${p.recipients} Empfänger insgesamt).`,
  group: {
    minister: 'Ministerinnen, Minister und Regierungen',
    'eu-institution': 'EU-Institutionen',
    ngo: 'Mitgliedsorganisationen',
    other: 'Sonstige',
  },
  groupLine: (p) => `${p.group}: ${p.delivered} von ${p.letters} zugestellt`,
  andMore: (n) => `und ${n} weitere`,
  summaryEnd: (c) => `Vielen Dank für Ihre Mitzeichnung.\n\n${c}`,
  openHeading: 'Offener Brief',
  openSentOn: (d, n) => `Am ${d} an ${n} Empfänger gesendet.`,
  signedBy: (n) =>
    n === 1 ? 'Mitunterzeichnet von 1 Organisation' : `Mitunterzeichnet von ${n} Organisationen`,
  noSignatories: 'Keine Organisation hat diesen Brief mitunterzeichnet.',
};

/** Russian: "организация X" and a passive voice, so no verb must agree with a name's gender. */
const toRecipients = (n: number) =>
  `${n} ${ruPlural(n, 'получателю', 'получателям', 'получателям')}`;
const RU: AfterSendWords = {
  copySubject: (s) => `Копия: ${s}`,
  copyNote: (p) =>
    `Это ваша копия письма, которое подписала организация ${p.organisation}. Оно отправлено ${p.date} ${toRecipients(p.sent)}; отправитель: ${p.coalition}.`,
  copySalutation: (n) => `Здравствуйте, ${n}!`,
  copyWhy: (o, c) =>
    `Вы получили эту копию, потому что организация ${o} подписала это письмо (отправитель: ${c}).`,
  openLetterLine: (u) => `Открытое письмо со всеми подписавшими: ${u}`,
  summarySubject: (s) => `Доставлено: ${s}`,
  summaryIntro: (p) =>
    `Здравствуйте, ${p.name}!\n\nСрок по «${p.subject}» истёк. Вот что можно показать о доставке (отправитель: ${p.coalition})` +
    (p.first ? `: письма отправлены с ${p.first} по ${p.last}.` : '.'),
  summaryTotals: (p) =>
    `Доставлено ${p.delivered} из ${p.sent} отправленных писем (всего ${p.recipients} ${ruPlural(p.recipients, 'получатель', 'получателя', 'получателей')}).`,
  group: {
    minister: 'Министры и правительства',
    'eu-institution': 'Институты ЕС',
    ngo: 'Организации-члены',
    other: 'Другие',
  },
  groupLine: (p) => `${p.group}: доставлено ${p.delivered} из ${p.letters}`,
  andMore: (n) => `и ещё ${n}`,
  summaryEnd: (c) => `Спасибо, что подписали.\n\n${c}`,
  openHeading: 'Открытое письмо',
  openSentOn: (d, n) => `Отправлено ${d} ${toRecipients(n)}.`,
  signedBy: (n) => `Подписали организации: ${n}`,
  noSignatories: 'Ни одна организация не подписала это письмо.',
};

const ES: AfterSendWords = {
  copySubject: (s) => `Copia: ${s}`,
  copyNote: (p) =>
    `Esta es su copia de la carta que ${p.organisation} ha firmado. ${p.coalition} la envió el ${p.date} a ${p.sent} ${p.sent === 1 ? 'destinatario' : 'destinatarios'}.`,
  copySalutation: (n) => `Estimado/a ${n}:`,
  copyWhy: (o, c) => `Recibe esta copia porque ${o} ha firmado esta carta de ${c}.`,
  openLetterLine: (u) => `La carta abierta con todos sus firmantes: ${u}`,
  summarySubject: (s) => `Entregada: ${s}`,
  summaryIntro: (p) =>
    `Hola, ${p.name}:\n\nel plazo de «${p.subject}» ha vencido. Esto es lo que ${p.coalition} puede mostrar de su entrega` +
    (p.first ? `: las cartas salieron del ${p.first} al ${p.last}.` : '.'),
  summaryTotals: (p) =>
    `Se entregaron ${p.delivered} de las ${p.sent} cartas enviadas (${p.recipients} ${p.recipients === 1 ? 'destinatario' : 'destinatarios'} en total).`,
  group: {
    minister: 'Ministros y gobiernos',
    'eu-institution': 'Instituciones de la UE',
    ngo: 'Organizaciones miembro',
    other: 'Otros',
  },
  groupLine: (p) => `${p.group}: ${p.delivered} de ${p.letters} entregadas`,
  andMore: (n) => `y ${n} más`,
  summaryEnd: (c) => `Gracias por firmar.\n\n${c}`,
  openHeading: 'Carta abierta',
  openSentOn: (d, n) => `Enviada el ${d} a ${n} ${n === 1 ? 'destinatario' : 'destinatarios'}.`,
  signedBy: (n) =>
    n === 1 ? 'Firmada también por 1 organización' : `Firmada también por ${n} organizaciones`,
  noSignatories: 'Ninguna organización ha firmado esta carta.',
};

const IT: AfterSendWords = {
  copySubject: (s) => `Copia: ${s}`,
  copyNote: (p) =>
    `Questa è la tua copia della lettera firmata da ${p.organisation}. ${p.coalition} l’ha inviata il ${p.date} a ${p.sent} ${p.sent === 1 ? 'destinatario' : 'destinatari'}.`,
  copySalutation: (n) => `Gentile ${n},`,
  copyWhy: (o, c) => `Ricevi questa copia perché ${o} ha firmato questa lettera di ${c}.`,
  openLetterLine: (u) => `La lettera aperta con tutti i firmatari: ${u}`,
  summarySubject: (s) => `Consegnata: ${s}`,
  summaryIntro: (p) =>
    `Gentile ${p.name},\n\nla scadenza di «${p.subject}» è passata. Ecco che cosa ${p.coalition} può mostrare della sua consegna` +
    (p.first ? `: le lettere sono partite dal ${p.first} al ${p.last}.` : '.'),
  summaryTotals: (p) =>
    `Sono state consegnate ${p.delivered} delle ${p.sent} lettere inviate (${p.recipients} ${p.recipients === 1 ? 'destinatario' : 'destinatari'} in tutto).`,
  group: {
    minister: 'Ministri e governi',
    'eu-institution': 'Istituzioni dell’UE',
    ngo: 'Organizzazioni aderenti',
    other: 'Altri',
  },
  groupLine: (p) => `${p.group}: ${p.delivered} su ${p.letters} consegnate`,
  andMore: (n) => `e altre ${n}`,
  summaryEnd: (c) => `Grazie per aver firmato.\n\n${c}`,
  openHeading: 'Lettera aperta',
  openSentOn: (d, n) => `Inviata il ${d} a ${n} ${n === 1 ? 'destinatario' : 'destinatari'}.`,
  signedBy: (n) =>
    n === 1 ? 'Firmata anche da 1 organizzazione' : `Firmata anche da ${n} organizzazioni`,
  noSignatories: 'Nessuna organizzazione ha firmato questa lettera.',
};

const PT: AfterSendWords = {
  copySubject: (s) => `Cópia: ${s}`,
  copyNote: (p) =>
    `Esta é a sua cópia da carta que ${p.organisation} subscreveu. ${p.coalition} enviou-a em ${p.date} a ${p.sent} ${p.sent === 1 ? 'destinatário' : 'destinatários'}.`,
  copySalutation: (n) => `Caro/a ${n},`,
  copyWhy: (o, c) => `Recebe esta cópia porque ${o} subscreveu esta carta de ${c}.`,
  openLetterLine: (u) => `A carta aberta com todos os signatários: ${u}`,
  summarySubject: (s) => `Entregue: ${s}`,
  summaryIntro: (p) =>
    `Olá ${p.name},\n\no prazo de «${p.subject}» terminou. Eis o que ${p.coalition} pode mostrar da sua entrega` +
    (p.first ? `: as cartas saíram de ${p.first} a ${p.last}.` : '.'),
  summaryTotals: (p) =>
    `Foram entregues ${p.delivered} das ${p.sent} cartas enviadas (${p.recipients} ${p.recipients === 1 ? 'destinatário' : 'destinatários'} no total).`,
  group: {
    minister: 'Ministros e governos',
    'eu-institution': 'Instituições da UE',
    ngo: 'Organizações membros',
    other: 'Outros',
  },
  groupLine: (p) => `${p.group}: ${p.delivered} de ${p.letters} entregues`,
  andMore: (n) => `e mais ${n}`,
  summaryEnd: (c) => `Obrigado por subscrever.\n\n${c}`,
  openHeading: 'Carta aberta',
  openSentOn: (d, n) => `Enviada em ${d} a ${n} ${n === 1 ? 'destinatário' : 'destinatários'}.`,
  signedBy: (n) => (n === 1 ? 'Subscrita por 1 organização' : `Subscrita por ${n} organizações`),
  noSignatories: 'Nenhuma organização subscreveu esta carta.',
};

const WORDS: Record<string, AfterSendWords> = {
  en: EN,
  fr: FR,
  de: DE,
  ru: RU,
  es: ES,
  it: IT,
  pt: PT,
};

export const afterSendWords = (language: string): AfterSendWords =>
  WORDS[language.split('-')[0]!] ?? EN;

/** A day in the language's own words ("1 December 2026", "1 décembre 2026"), on UTC. */
export function dayIn(iso: string, language: string): string {
  // British English for English: day before month, as the coalition's European readers write it.
  const base = language.split('-')[0]!;
  const lang = !WORDS[base] || language === 'en' ? 'en-GB' : language;
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(iso),
  );
}
