/**
 * The page's address (the part after #): which page, which campaign, which
 * tab and which filters. Kept in the address so that a link can open a
 * filtered list ("needs attention" does), the back button works and a page
 * can be reloaded. Pure: parse and format are inverse.
 *
 *   #/                         campaigns
 *   #/c/<id>                   a campaign's overview
 *   #/c/<id>/<tab>?k=v&…       one of its tabs, with its parameters
 *   #/new                      a new campaign
 *   #/d?tags=…&q=…             the target directory, filtered
 *   #/d/<target id>            one target
 */

export const CAMPAIGN_TABS = [
  'overview',
  'draft',
  'letter',
  'controls',
  'approval',
  'signon',
] as const;
export type CampaignTab = (typeof CAMPAIGN_TABS)[number];

export type Route =
  | { page: 'list' }
  | { page: 'new' }
  | { page: 'directory'; params: Record<string, string> }
  | { page: 'target'; id: string }
  | { page: 'campaign'; id: string; tab: CampaignTab; params: Record<string, string> };

const ID = /^[A-Za-z0-9_-]{1,80}$/;

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [path = '', search = ''] = raw.split('?', 2);
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'c' && parts[1] && ID.test(parts[1])) {
    const tab = (CAMPAIGN_TABS as readonly string[]).includes(parts[2] ?? '')
      ? (parts[2] as CampaignTab)
      : 'overview';
    const params: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(search)) if (v) params[k] = v;
    return { page: 'campaign', id: parts[1], tab, params };
  }
  if (parts[0] === 'new') return { page: 'new' };
  if (parts[0] === 'd') {
    if (parts[1] && ID.test(parts[1])) return { page: 'target', id: parts[1] };
    const params: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(search)) if (v) params[k] = v;
    return { page: 'directory', params };
  }
  return { page: 'list' };
}

export function formatRoute(route: Route): string {
  if (route.page === 'list') return '#/';
  if (route.page === 'new') return '#/new';
  if (route.page === 'target') return `#/d/${encodeURIComponent(route.id)}`;
  if (route.page === 'directory') {
    const dq = new URLSearchParams(route.params).toString();
    return `#/d${dq ? `?${dq}` : ''}`;
  }
  const q = new URLSearchParams(
    Object.entries(route.params).filter(([, v]) => v !== undefined && v !== ''),
  ).toString();
  const tab = route.tab === 'overview' ? '' : `/${route.tab}`;
  return `#/c/${encodeURIComponent(route.id)}${tab}${q ? `?${q}` : ''}`;
}

/** The address of a campaign's tab. */
export const campaignHref = (
  id: string,
  tab: CampaignTab = 'overview',
  params: Record<string, string> = {},
) => formatRoute({ page: 'campaign', id, tab, params });
