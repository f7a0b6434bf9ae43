/**
 * What a campaign page reads, in one place: the campaign, its counters, the
 * chart's series, the splits, the plan and the stale-address check. All of it
 * is read again every 5 s while the campaign is sending or scheduled, and
 * after every action; the panels that need more (replies, recipients,
 * versions, audit) load their own.
 */
import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import { campaignPath, get } from '../api/client.js';
import type { CampaignDetail, PlanView, Series, Splits, Stats, Targets } from '../api/types.js';
import { useInterval } from '../ui/hooks.js';

export const LIVE_EVERY_MS = 5000;

export interface CampaignData {
  id: string;
  detail?: CampaignDetail;
  stats?: Stats;
  series?: Series;
  splits?: Splits;
  plan?: PlanView;
  targets?: Targets;
  /** Human replies nobody has marked handled yet (the inbox's "to handle" filter). */
  toHandle?: number;
  error?: Error;
  /** Sending or scheduled: the page reads everything again every 5 s. */
  live: boolean;
  /** Bumped after each action, so panels with their own data (versions, audit) read it again. */
  changes: number;
  refresh(opts?: { changed?: boolean }): Promise<void>;
}

export const CampaignContext = createContext<CampaignData | undefined>(undefined);
export function useCampaign(): CampaignData {
  const c = useContext(CampaignContext);
  if (!c) throw new Error('useCampaign outside a campaign page');
  return c;
}

export function useCampaignData(id: string): CampaignData {
  const [state, setState] = useState<Omit<CampaignData, 'refresh' | 'live' | 'id'>>({
    changes: 0,
  });
  // The stale-address check reads every official: once, and again after an action, not every 5 s.
  const targets = useRef<Targets | undefined>(undefined);
  const refresh = useCallback(
    async (opts: { changed?: boolean } = {}) => {
      const p = (rest: string) => campaignPath(id, rest);
      try {
        const [detail, stats, series, splits, plan, checked, toHandle] = await Promise.all([
          get<CampaignDetail>(p('')),
          get<Stats>(p('/stats')),
          get<Series>(p('/series')),
          get<Splits>(p('/splits')),
          get<PlanView>(p('/plan')),
          targets.current && !opts.changed ? targets.current : get<Targets>(p('/targets')),
          get<{ count: number }>(p('/reply-count?kind=human&handled=false')),
        ]);
        targets.current = checked;
        setState((s) => ({
          detail,
          stats,
          series,
          splits,
          plan,
          targets: checked,
          toHandle: toHandle.count,
          changes: s.changes + (opts.changed ? 1 : 0),
        }));
      } catch (err) {
        setState((s) => ({ ...s, error: err as Error }));
      }
    },
    [id],
  );
  useEffect(() => {
    targets.current = undefined;
    setState({ changes: 0 });
    void refresh();
  }, [refresh]);
  const status = state.stats?.status ?? state.detail?.status;
  const live = status === 'sending' || status === 'scheduled';
  useInterval(() => void refresh(), LIVE_EVERY_MS, live);
  return { ...state, id, live, refresh };
}
