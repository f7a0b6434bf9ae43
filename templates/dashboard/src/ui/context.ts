/**
 * What every component may need without passing it down: who is signed in,
 * and the time zone times are shown in (the campaign's, the viewer's own or
 * UTC, as they chose; kept in localStorage between visits).
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Me } from '../api/types.js';
import { DEFAULT_ZONE, isZone } from '../format/time.js';

export const MeContext = createContext<Me | undefined>(undefined);
export const useMe = () => useContext(MeContext);
export const isCampaigner = (me: Me | undefined) => me?.role === 'campaigner';

export type ZoneChoice = 'campaign' | 'mine' | 'UTC';
const ZONE_KEY = 'demarche.zone';

export function zoneChoice(): ZoneChoice {
  const v = localStorage.getItem(ZONE_KEY);
  return v === 'mine' || v === 'UTC' ? v : 'campaign';
}
export function saveZoneChoice(choice: ZoneChoice): void {
  localStorage.setItem(ZONE_KEY, choice);
}

/** The browser's own zone, when it has a usable one. */
export function browserZone(): string {
  const z = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return z && isZone(z) ? z : 'UTC';
}

/** The zone a choice stands for, given the campaign's. */
export function resolveZone(choice: ZoneChoice, campaignZone = DEFAULT_ZONE): string {
  if (choice === 'UTC') return 'UTC';
  if (choice === 'mine') return browserZone();
  return isZone(campaignZone) ? campaignZone : DEFAULT_ZONE;
}

export const ZoneContext = createContext<string>(DEFAULT_ZONE);
export const useZone = () => useContext(ZoneContext);

/** The viewer's choice of zone (the header's "Times in" menu); each page resolves it against its campaign. */
export const ZoneChoiceContext = createContext<ZoneChoice>('campaign');
export const useZoneChoice = () => useContext(ZoneChoiceContext);
