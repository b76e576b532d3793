// Realistic Hex workspace content for tests: single projects with sensible defaults and a seeded generator.
import { randomUUID } from 'node:crypto';
import type { HexCell, HexProject, HexSharing } from './hexTypes';
import { seededRandom } from './random';

const DEFAULT_EMAIL = 'maria.lopez@acme.example';

function defaultSharing(ownerEmail: string): HexSharing {
  return {
    users: [{ user: { email: ownerEmail }, access: 'FULL_ACCESS' }],
    collections: [],
    groups: [],
    workspace: { access: 'APP_ONLY' },
    publicWeb: { access: 'NONE' },
    support: { access: 'NONE' },
  };
}

export function makeProject(overrides: Partial<HexProject> & { id?: string } = {}): HexProject {
  const owner = overrides.owner ?? { email: DEFAULT_EMAIL };
  const base: HexProject = {
    id: randomUUID(),
    title: 'Weekly Revenue Review',
    description: 'Revenue by region and plan, refreshed every Monday.\n\n',
    type: 'PROJECT',
    creator: { email: DEFAULT_EMAIL },
    owner,
    status: { name: 'Approved' },
    categories: [{ name: 'Finance', description: 'Owned by the finance analytics team' }],
    reviews: { required: false },
    analytics: {
      appViews: { allTime: 412, lastSevenDays: 19, lastFourteenDays: 33, lastThirtyDays: 71 },
      lastViewedAt: '2025-02-10T08:02:44.301Z',
      publishedResultsUpdatedAt: '2025-02-10T06:00:12.870Z',
    },
    lastEditedAt: '2025-02-11T09:14:03.512Z',
    lastPublishedAt: '2025-02-07T15:21:40.005Z',
    createdAt: '2024-06-03T12:45:10.224Z',
    archivedAt: null,
    trashedAt: null,
    schedules: [],
    sharing: defaultSharing(owner.email),
  };
  return { ...base, ...overrides };
}


function seededUuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const FIRST_NAMES = ['maria', 'dev', 'sam', 'li', 'ana', 'jonas', 'fatima', 'omar', 'yuki', 'chen'];
const LAST_NAMES = ['lopez', 'patel', 'okafor', 'wei', 'muller'];
export const WORKSPACE_USERS: string[] = Array.from(
  { length: 20 },
  (_, i) => `${FIRST_NAMES[i % FIRST_NAMES.length]}.${LAST_NAMES[Math.floor(i / 4) % LAST_NAMES.length]}${i >= 10 ? i : ''}@acme.example`,
);

const TITLE_STEMS = [
  'Weekly Revenue Review',
  'Churned Accounts',
  'Campaign "Spring" ROI',
  'Q3.2024 Forecast v1.2',
  'Métricas de retención',
  '売上ダッシュボード',
  '🚀 Launch tracker',
  "Ops team's scratchpad",
  'Funnel: signup → paid',
  'A/B test results (final)',
  'Inventory {by warehouse}',
  'Data quality – nightly',
];
const CATEGORIES = [
  { name: 'Finance', description: 'Owned by the finance analytics team' },
  { name: 'Marketing', description: null },
  { name: 'Exec', description: 'Board-level reporting' },
  { name: 'Scratchpad', description: null },
  { name: 'Fin.Ops', description: 'Name with a dot' },
];
const STATUSES = ['Approved', 'In development', 'Needs review', 'Deprecated'];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

function timestamp(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Deterministic workspace of `n` items: varied titles, categories, statuses, owners among 20 users,
 * some null descriptions, archived, trashed and COMPONENT items. Some share a createdAt so paging must
 * break ties on id.
 */
export function makeWorkspace(n: number, seed = 42): HexProject[] {
  const random = seededRandom(seed);
  const start = Date.UTC(2023, 0, 2, 9, 0, 0, 0);
  let created = start;
  const projects: HexProject[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 7 !== 3) created += 1 + Math.floor(random() * 36 * 3600 * 1000); // every 7th shares the previous createdAt
    const edited = created + Math.floor(random() * 90 * 24 * 3600 * 1000);
    const published = random() < 0.6 ? edited - Math.floor(random() * 3600 * 1000) : null;
    const owner = pick(random, WORKSPACE_USERS);
    const creator = random() < 0.7 ? owner : pick(random, WORKSPACE_USERS);
    const categoryCount = Math.floor(random() * 3);
    const categories = Array.from(new Set(Array.from({ length: categoryCount }, () => pick(random, CATEGORIES))));
    const roll = random();
    projects.push(
      makeProject({
        id: seededUuid(random),
        title: `${pick(random, TITLE_STEMS)} #${i + 1}`,
        description: random() < 0.25 ? null : `Project number ${i + 1}.\n\n`,
        type: random() < 0.12 ? 'COMPONENT' : 'PROJECT',
        creator: { email: creator },
        owner: { email: owner },
        status: random() < 0.2 ? null : { name: pick(random, STATUSES) },
        categories,
        reviews: { required: random() < 0.3 },
        analytics: {
          appViews: published ? { allTime: 50 + i, lastSevenDays: i % 9, lastFourteenDays: i % 17, lastThirtyDays: i % 31 } : { allTime: 0, lastSevenDays: 0, lastFourteenDays: 0, lastThirtyDays: 0 },
          lastViewedAt: published ? timestamp(edited + 3600 * 1000) : null,
          publishedResultsUpdatedAt: published ? timestamp(published) : null,
        },
        createdAt: timestamp(created),
        lastEditedAt: timestamp(edited),
        lastPublishedAt: published ? timestamp(published) : null,
        archivedAt: roll < 0.08 ? timestamp(edited + 1000) : null,
        trashedAt: roll > 0.95 ? timestamp(edited + 2000) : null,
        schedules:
          random() < 0.2
            ? [{ cadence: 'DAILY', enabled: true, hourly: null, daily: { hour: 6, minute: 0, timezone: '+00:00' }, weekly: null, monthly: null, custom: null }]
            : [],
        sharing: defaultSharing(owner),
      }),
    );
  }
  return projects;
}

/** A SQL cell with the shape of ListCells. */
export function makeSqlCell(projectId: string, source: string, overrides: Partial<HexCell> = {}): HexCell {
  return {
    id: randomUUID(),
    staticId: randomUUID(),
    cellType: 'SQL',
    label: null,
    dataConnectionId: randomUUID(),
    contents: { codeCell: null, sqlCell: { source, outputDataframe: 'dataframe_1' }, markdownCell: null },
    projectId,
    ...overrides,
  };
}
