/**
 * The deadline as a letter says it: in the letter's language and on the
 * meeting's clock, named the way a reader there names it ("lundi 14 décembre
 * 2026, 9 h 00 (heure de Bruxelles)", "Monday 14 December 2026, 09:00
 * (Brussels time)"). A European ministry reads a city, not "UTC+01:00".
 *
 * Intl gives the date and the clock in every language, but names zones only
 * by region ("heure d'Europe centrale") or by country ("heure : Belgique"),
 * never by the city a meeting sits in; so the cities of the zones campaigns
 * meet in are a small table per language, and any other zone falls back to
 * Intl's regional name in the language. With no zone known, the written
 * offset is all there is and the letter shows it.
 */

import { zoneOffset } from './planner/time.js';

/** "(heure de X)" per language, X being the city in the form that phrase needs. */
const ZONE_PHRASE: Record<string, (city: string) => string> = {
  en: (c) => `${c} time`,
  fr: (c) => `heure de ${c}`,
  de: (c) => `Ortszeit ${c}`,
  es: (c) => `hora de ${c}`,
  it: (c) => `ora di ${c}`,
  pt: (c) => `hora de ${c}`,
};

/** City names per zone, in the languages of ZONE_PHRASE (English is the zone's own). */
const CITIES: Record<string, Partial<Record<string, string>>> = {
  'Europe/Brussels': {
    fr: 'Bruxelles',
    de: 'Brüssel',
    es: 'Bruselas',
    it: 'Bruxelles',
    pt: 'Bruxelas',
  },
  'Europe/Luxembourg': {
    fr: 'Luxembourg',
    de: 'Luxemburg',
    es: 'Luxemburgo',
    it: 'Lussemburgo',
    pt: 'Luxemburgo',
  },
  'Europe/Paris': { fr: 'Paris', de: 'Paris', es: 'París', it: 'Parigi', pt: 'Paris' },
  'Europe/Berlin': { fr: 'Berlin', de: 'Berlin', es: 'Berlín', it: 'Berlino', pt: 'Berlim' },
  'Europe/Vienna': { fr: 'Vienne', de: 'Wien', es: 'Viena', it: 'Vienna', pt: 'Viena' },
  'Europe/Zurich': { fr: 'Zurich', de: 'Zürich', es: 'Zúrich', it: 'Zurigo', pt: 'Zurique' },
  'Europe/Rome': { fr: 'Rome', de: 'Rom', es: 'Roma', it: 'Roma', pt: 'Roma' },
  'Europe/Madrid': { fr: 'Madrid', de: 'Madrid', es: 'Madrid', it: 'Madrid', pt: 'Madrid' },
  'Europe/Lisbon': { fr: 'Lisbonne', de: 'Lissabon', es: 'Lisboa', it: 'Lisbona', pt: 'Lisboa' },
  'Europe/London': { fr: 'Londres', de: 'London', es: 'Londres', it: 'Londra', pt: 'Londres' },
  'Europe/Dublin': { fr: 'Dublin', de: 'Dublin', es: 'Dublín', it: 'Dublino', pt: 'Dublin' },
  'Europe/Amsterdam': {
    fr: 'Amsterdam',
    de: 'Amsterdam',
    es: 'Ámsterdam',
    it: 'Amsterdam',
    pt: 'Amesterdão',
  },
  'Europe/Warsaw': {
    fr: 'Varsovie',
    de: 'Warschau',
    es: 'Varsovia',
    it: 'Varsavia',
    pt: 'Varsóvia',
  },
  'Europe/Prague': { fr: 'Prague', de: 'Prag', es: 'Praga', it: 'Praga', pt: 'Praga' },
  'Europe/Budapest': {
    fr: 'Budapest',
    de: 'Budapest',
    es: 'Budapest',
    it: 'Budapest',
    pt: 'Budapeste',
  },
  'Europe/Copenhagen': {
    fr: 'Copenhague',
    de: 'Kopenhagen',
    es: 'Copenhague',
    it: 'Copenaghen',
    pt: 'Copenhaga',
  },
  'Europe/Stockholm': {
    fr: 'Stockholm',
    de: 'Stockholm',
    es: 'Estocolmo',
    it: 'Stoccolma',
    pt: 'Estocolmo',
  },
  'Europe/Helsinki': {
    fr: 'Helsinki',
    de: 'Helsinki',
    es: 'Helsinki',
    it: 'Helsinki',
    pt: 'Helsínquia',
  },
  'Europe/Vilnius': { fr: 'Vilnius', de: 'Vilnius', es: 'Vilna', it: 'Vilnius', pt: 'Vilnius' },
  'Europe/Riga': { fr: 'Riga', de: 'Riga', es: 'Riga', it: 'Riga', pt: 'Riga' },
  'Europe/Tallinn': { fr: 'Tallinn', de: 'Tallinn', es: 'Tallin', it: 'Tallinn', pt: 'Taline' },
  'Europe/Athens': { fr: 'Athènes', de: 'Athen', es: 'Atenas', it: 'Atene', pt: 'Atenas' },
  'Europe/Bucharest': {
    fr: 'Bucarest',
    de: 'Bukarest',
    es: 'Bucarest',
    it: 'Bucarest',
    pt: 'Bucareste',
  },
  'Europe/Sofia': { fr: 'Sofia', de: 'Sofia', es: 'Sofía', it: 'Sofia', pt: 'Sófia' },
  'Europe/Kyiv': { fr: 'Kyiv', de: 'Kyjiw', es: 'Kiev', it: 'Kiev', pt: 'Kiev' },
  'Europe/Chisinau': {
    fr: 'Chișinău',
    de: 'Chișinău',
    es: 'Chisináu',
    it: 'Chișinău',
    pt: 'Chisinau',
  },
  'Asia/Tbilisi': { fr: 'Tbilissi', de: 'Tiflis', es: 'Tiflis', it: 'Tbilisi', pt: 'Tbilissi' },
  'Asia/Yerevan': { fr: 'Erevan', de: 'Jerewan', es: 'Ereván', it: 'Erevan', pt: 'Erevan' },
  'Asia/Baku': { fr: 'Bakou', de: 'Baku', es: 'Bakú', it: 'Baku', pt: 'Baku' },
  'America/New_York': {
    fr: 'New York',
    de: 'New York',
    es: 'Nueva York',
    it: 'New York',
    pt: 'Nova Iorque',
  },
};

/** The IANA zone's offset from UTC at an instant, in minutes (Brussels in winter: 60). */
export function zoneOffsetMinutes(zone: string, ms: number): number {
  return Math.round(zoneOffset(zone, ms) / 60_000);
}

/** True when `zone` is an IANA zone this runtime knows. */
export function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}

/** The offset an ISO date-time was written with, in minutes; undefined when it has none. */
export function writtenOffsetMinutes(iso: string): number | undefined {
  const m = /(Z|([+-])(\d{2}):(\d{2}))$/.exec(iso);
  if (!m) return undefined;
  if (m[1] === 'Z') return 0;
  return (m[2] === '-' ? -1 : 1) * (Number(m[3]) * 60 + Number(m[4]));
}

const base = (language: string) => language.split('-')[0]!.toLowerCase();

/** How a reader of `language` names `zone` ("heure de Bruxelles", "Brussels time", "heure d'Europe centrale"). */
export function zoneWords(zone: string, language: string, ms: number): string {
  if (zone === 'UTC') return 'UTC';
  const lang = base(language);
  const phrase = ZONE_PHRASE[lang];
  const city = lang === 'en' ? zone.split('/').pop()!.replace(/_/g, ' ') : CITIES[zone]?.[lang];
  if (phrase && city) return phrase(city);
  try {
    const name = new Intl.DateTimeFormat(language, { timeZone: zone, timeZoneName: 'longGeneric' })
      .formatToParts(new Date(ms))
      .find((p) => p.type === 'timeZoneName')?.value;
    if (name) return name;
  } catch {
    // An unknown language tag: the English words below.
  }
  return zone;
}

function clock(language: string, zone: string, date: Date): string {
  const parts = new Intl.DateTimeFormat(language, {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const hour = parts.find((p) => p.type === 'hour')?.value ?? '00';
  const minute = parts.find((p) => p.type === 'minute')?.value ?? '00';
  // French typography writes the hour "9 h 00", not "09:00".
  if (base(language) === 'fr') return `${Number(hour)} h ${minute}`;
  return `${hour}:${minute}`;
}

/**
 * Formats an ISO date-time in the language, on the clock of `zone` when one
 * is known and agrees with the offset the deadline was written with ("lundi
 * 14 décembre 2026, 9 h 00 (heure de Bruxelles)"); otherwise at the written
 * offset, labelled with it ("Monday 14 December 2026, 09:00 (UTC+01:00)").
 * A deadline in UTC ("…Z") is shown on the zone's clock; a zone that
 * disagrees with a written offset (a summer offset for a winter date) is not
 * used: the letter must show the hour the campaigner wrote.
 */
export function formatDeadline(iso: string, language: string, zone?: string): string {
  const ms = Date.parse(iso);
  const written = writtenOffsetMinutes(iso) ?? 0;
  // A deadline in UTC ("…Z", machine-made) is shown on the zone's clock; one written with
  // another offset only when that offset is the zone's on the day.
  const useZone =
    zone && isKnownZone(zone) && (iso.endsWith('Z') || zoneOffsetMinutes(zone, ms) === written);
  const offsetLabel = /(Z|[+-]\d{2}:\d{2})$/.exec(iso)?.[1] ?? 'Z';
  const clockZone = useZone ? zone : 'UTC';
  const date = useZone ? new Date(ms) : new Date(ms + written * 60_000);
  const locale = base(language) === 'en' ? 'en-GB' : language;
  let day: string;
  let time: string;
  try {
    day = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeZone: clockZone }).format(date);
    time = clock(locale, clockZone, date);
  } catch {
    const shifted = new Date(ms + written * 60_000).toISOString();
    day = shifted.slice(0, 10);
    time = shifted.slice(11, 16);
  }
  const label = useZone
    ? zoneWords(zone, language, ms)
    : `UTC${offsetLabel === 'Z' ? '' : offsetLabel}`;
  return `${day}, ${time} (${label})`;
}
