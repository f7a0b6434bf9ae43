/**
 * Country → IANA time zone, for office hours. One zone per country: a
 * recipient's row carries a country, not a city, and ministries and
 * institutions sit in the capital. Countries spanning several zones use the
 * capital's zone (listed in MULTI_ZONE_CAPITALS so the choice is visible);
 * territories with their own ISO code (Greenland, the Canaries are not one —
 * they are ES and get Madrid) follow the same rule.
 *
 * Kept as an explicit table rather than read from ICU (Intl.Locale's
 * timeZones list) because that list is alphabetical, not capital-first, and
 * its shape differs between Node versions.
 */

/** Countries spanning several zones, and the capital whose zone they get. */
export const MULTI_ZONE_CAPITALS: Readonly<Record<string, string>> = {
  AU: 'Canberra',
  BR: 'Brasília',
  CA: 'Ottawa',
  CD: 'Kinshasa',
  CL: 'Santiago',
  EC: 'Quito',
  ES: 'Madrid (not the Canary Islands)',
  FR: 'Paris (not the overseas departments)',
  ID: 'Jakarta',
  KZ: 'Astana',
  MN: 'Ulaanbaatar',
  MX: 'Mexico City',
  NZ: 'Wellington',
  PT: 'Lisbon (not the Azores)',
  RU: 'Moscow',
  US: 'Washington',
};

export const COUNTRY_ZONES: Readonly<Record<string, string>> = {
  // European Union
  AT: 'Europe/Vienna',
  BE: 'Europe/Brussels',
  BG: 'Europe/Sofia',
  CY: 'Asia/Nicosia',
  CZ: 'Europe/Prague',
  DE: 'Europe/Berlin',
  DK: 'Europe/Copenhagen',
  EE: 'Europe/Tallinn',
  ES: 'Europe/Madrid',
  FI: 'Europe/Helsinki',
  FR: 'Europe/Paris',
  GR: 'Europe/Athens',
  HR: 'Europe/Zagreb',
  HU: 'Europe/Budapest',
  IE: 'Europe/Dublin',
  IT: 'Europe/Rome',
  LT: 'Europe/Vilnius',
  LU: 'Europe/Luxembourg',
  LV: 'Europe/Riga',
  MT: 'Europe/Malta',
  NL: 'Europe/Amsterdam',
  PL: 'Europe/Warsaw',
  PT: 'Europe/Lisbon',
  RO: 'Europe/Bucharest',
  SE: 'Europe/Stockholm',
  SI: 'Europe/Ljubljana',
  SK: 'Europe/Bratislava',
  // Rest of Europe, the Eastern Partnership, Central Asia
  AD: 'Europe/Andorra',
  AL: 'Europe/Tirane',
  AM: 'Asia/Yerevan',
  AZ: 'Asia/Baku',
  BA: 'Europe/Sarajevo',
  BY: 'Europe/Minsk',
  CH: 'Europe/Zurich',
  GB: 'Europe/London',
  GE: 'Asia/Tbilisi',
  IS: 'Atlantic/Reykjavik',
  KG: 'Asia/Bishkek',
  KZ: 'Asia/Almaty',
  LI: 'Europe/Vaduz',
  MC: 'Europe/Monaco',
  MD: 'Europe/Chisinau',
  ME: 'Europe/Podgorica',
  MK: 'Europe/Skopje',
  NO: 'Europe/Oslo',
  RS: 'Europe/Belgrade',
  RU: 'Europe/Moscow',
  SM: 'Europe/San_Marino',
  TJ: 'Asia/Dushanbe',
  TM: 'Asia/Ashgabat',
  TR: 'Europe/Istanbul',
  UA: 'Europe/Kyiv',
  UZ: 'Asia/Tashkent',
  VA: 'Europe/Vatican',
  XK: 'Europe/Belgrade',
  // Middle East and Africa
  AE: 'Asia/Dubai',
  CD: 'Africa/Kinshasa',
  DZ: 'Africa/Algiers',
  EG: 'Africa/Cairo',
  ET: 'Africa/Addis_Ababa',
  GH: 'Africa/Accra',
  IL: 'Asia/Jerusalem',
  IQ: 'Asia/Baghdad',
  IR: 'Asia/Tehran',
  JO: 'Asia/Amman',
  KE: 'Africa/Nairobi',
  LB: 'Asia/Beirut',
  LY: 'Africa/Tripoli',
  MA: 'Africa/Casablanca',
  NG: 'Africa/Lagos',
  PS: 'Asia/Hebron',
  QA: 'Asia/Qatar',
  SA: 'Asia/Riyadh',
  SN: 'Africa/Dakar',
  SY: 'Asia/Damascus',
  TN: 'Africa/Tunis',
  ZA: 'Africa/Johannesburg',
  // Americas
  AR: 'America/Argentina/Buenos_Aires',
  BR: 'America/Sao_Paulo',
  CA: 'America/Toronto',
  CL: 'America/Santiago',
  CO: 'America/Bogota',
  EC: 'America/Guayaquil',
  MX: 'America/Mexico_City',
  PE: 'America/Lima',
  US: 'America/New_York',
  UY: 'America/Montevideo',
  VE: 'America/Caracas',
  // Asia and the Pacific
  AU: 'Australia/Sydney',
  BD: 'Asia/Dhaka',
  CN: 'Asia/Shanghai',
  HK: 'Asia/Hong_Kong',
  ID: 'Asia/Jakarta',
  IN: 'Asia/Kolkata',
  JP: 'Asia/Tokyo',
  KR: 'Asia/Seoul',
  MN: 'Asia/Ulaanbaatar',
  MY: 'Asia/Kuala_Lumpur',
  NZ: 'Pacific/Auckland',
  PH: 'Asia/Manila',
  PK: 'Asia/Karachi',
  SG: 'Asia/Singapore',
  TH: 'Asia/Bangkok',
  TW: 'Asia/Taipei',
  VN: 'Asia/Ho_Chi_Minh',
};

/** The zone a recipient's office hours are read in, or undefined for a country not in the table. */
export function zoneForCountry(country: string | undefined): string | undefined {
  if (!country) return undefined;
  return COUNTRY_ZONES[country.toUpperCase()];
}

/** True when `zone` is an IANA zone this runtime's ICU knows. */
export function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
