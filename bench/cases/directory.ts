/**
 * directory: the staff API's directory routes (through the local HTTP layer,
 * token checked) on a directory of 1,000 targets and then of 20,000.
 * Listing and filtering must not grow with the directory, as the stats
 * route must not grow with a campaign (bench/cases/stats.ts): the API keeps
 * the directory in memory under its revision and reads one small item per
 * request while nothing changed. Goals: median list and filter latency at
 * 20,000 ≤ 1.5 × at 1,000 (the stats goal), and comparing a 20,000-row file
 * with the 20,000 targets (POST /api/targets/import: parse, match, diff)
 * within 2,000 ms median. Also reported: the first list after a write (the
 * whole directory read again) and the seeding rate of the import's write path.
 */
import { ENV } from '../../functions/adapters/config.js';
import { issueLocalToken } from '../../functions/adapters/staff-auth.js';
import type { TargetFields } from '../../functions/core/directory/model.js';
import { startLocalRuntime } from '../../functions/local/runtime.js';
import type { BenchResult } from '../types.js';

const COUNTRIES = [
  'AT',
  'BE',
  'BG',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'HR',
  'HU',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
];
const TYPES = [
  'ministry',
  'permanent-representation',
  'commission',
  'council',
  'parliament',
  'ngo',
] as const;
const GROUPS = [
  'minister',
  'eu-institution',
  'eu-institution',
  'eu-institution',
  'eu-institution',
  'ngo',
] as const;
const TAGS = ['FAC', 'GAC', 'EaP focal points', 'COREPER II', 'human rights', 'members', 'press'];

function target(i: number): TargetFields {
  const t = i % TYPES.length;
  return {
    kind: i % 5 === 0 ? 'office' : 'person',
    externalId: `X-${i}`,
    name: `Person ${i} Nowak-Lefèvre`,
    title: t === 0 ? 'Minister for Foreign Affairs' : 'Counsellor',
    organisation: `Organisation ${i % 400}`,
    institutionType: TYPES[t]!,
    country: COUNTRIES[i % COUNTRIES.length]!,
    language: 'en',
    group: GROUPS[t]!,
    email: `person${i}@org${i % 400}.example.org`,
    tags: [TAGS[i % TAGS.length]!, ...(i % 3 === 0 ? [TAGS[(i + 3) % TAGS.length]!] : [])],
    source: 'bench',
    lastVerified: i % 4 === 0 ? '2025-01-10' : '2026-11-10',
  };
}

/** The directory as a CSV, with 1 % of the rows changed, 0.5 % new and 0.5 % left out. */
function csvOf(n: number): string {
  const rows = [
    'externalId,kind,name,title,organisation,institutionType,country,language,group,email,tags,source,lastVerified',
  ];
  for (let i = 0; i < n; i++) {
    if (i % 200 === 7) continue; // missing
    const t = target(i);
    const title = i % 100 === 3 ? 'Deputy Minister' : t.title;
    rows.push(
      [
        t.externalId,
        t.kind,
        t.name,
        title,
        t.organisation,
        t.institutionType,
        t.country,
        t.language,
        t.group,
        t.email,
        `"${t.tags.join('; ')}"`,
        t.source,
        t.lastVerified,
      ].join(','),
    );
  }
  for (let i = n; i < n + n / 200; i++) {
    const t = target(i);
    rows.push(
      [
        t.externalId,
        t.kind,
        t.name,
        t.title,
        t.organisation,
        t.institutionType,
        t.country,
        t.language,
        t.group,
        t.email,
        t.tags.join('; '),
        t.source,
        t.lastVerified,
      ].join(','),
    );
  }
  return rows.join('\n') + '\n';
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;
const round = (x: number) => Math.round(x * 100) / 100;

export async function run(): Promise<BenchResult> {
  const runtime = await startLocalRuntime({});
  try {
    const d = runtime.deps();
    const token = await issueLocalToken(process.env[ENV.authKeyFile]!, {
      sub: 'bench',
      groups: ['campaigner'],
    });
    const call = async (method: string, path: string, body?: unknown) => {
      const t = performance.now();
      const res = await fetch(`${runtime.httpUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const json = (await res.json()) as Record<string, unknown>;
      if (!res.ok)
        throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(json).slice(0, 200)}`);
      return { ms: performance.now() - t, json };
    };
    const seed = async (from: number, to: number) => {
      const at = new Date().toISOString();
      for (let i = from; i < to; i += 2000) {
        const writes = [];
        for (let j = i; j < Math.min(to, i + 2000); j++)
          writes.push({ fields: target(j), reason: 'bench' });
        await d.directory.create(writes, { sub: 'bench' }, at);
      }
    };
    const LIST = '/api/targets?limit=50';
    const FILTER =
      '/api/targets?tags=FAC,GAC&countries=FR,DE,PL&institutionTypes=ministry&q=nowak&limit=50';
    const measure = async (path: string, n = 100) => {
      for (let i = 0; i < 10; i++) await call('GET', path);
      const times: number[] = [];
      for (let i = 0; i < n; i++) times.push((await call('GET', path)).ms);
      return times;
    };

    const seedStart = performance.now();
    await seed(0, 1000);
    const small = { list: await measure(LIST), filter: await measure(FILTER) };
    await seed(1000, 20_000);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const cold = (await call('GET', LIST)).ms; // the first read after the writes: the whole directory
    const big = { list: await measure(LIST), filter: await measure(FILTER) };
    const total = (await call('GET', LIST)).json.total;
    if (total !== 20_000) throw new Error(`the directory lists ${String(total)} targets`);

    const csv = csvOf(20_000);
    const diffs: number[] = [];
    let summary = '';
    for (let i = 0; i < 5; i++) {
      const r = await call('POST', '/api/targets/import', { csv, file: 'bench.csv' });
      diffs.push(r.ms);
      summary = String(r.json.summary);
    }
    if (!summary.startsWith('100 new, 200 changed, 19700 unchanged, 100 missing'))
      throw new Error(`unexpected comparison: ${summary}`);

    const listRatio = median(big.list) / median(small.list);
    const filterRatio = median(big.filter) / median(small.filter);
    const diffMs = median(diffs);
    return {
      name: 'directory',
      figures: {
        listMedianMs1k: round(median(small.list)),
        listMedianMs20k: round(median(big.list)),
        listP95Ms20k: round(p95(big.list)),
        filterMedianMs1k: round(median(small.filter)),
        filterMedianMs20k: round(median(big.filter)),
        filterP95Ms20k: round(p95(big.filter)),
        listRatio: round(listRatio),
        filterRatio: round(filterRatio),
        firstListAfterWriteMs20k: round(cold),
        diffMedianMs20k: round(diffMs),
        diffCsvBytes: Buffer.byteLength(csv),
        seedTargetsPerSecond: Math.round(20_000 / seedSeconds),
      },
      goal: 'median list and filter latency at 20,000 targets ≤ 1.5 × at 1,000; a 20,000-row import compared within 2,000 ms (median)',
      pass: listRatio <= 1.5 && filterRatio <= 1.5 && diffMs <= 2000,
    };
  } finally {
    await runtime.stop();
  }
}
