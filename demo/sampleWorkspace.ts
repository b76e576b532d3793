// The Hex workspace `hexmeta demo` serves: the analytics team of a fictional coffee roaster, written by hand so
// the dashboards, owners and tags it produces read like a real workspace's.
import { makeProject, type HexProject } from '../servers/hexServer';

export const DEMO_WORKSPACE_SLUG = 'lumen-roastery';
export const DEMO_SERVICE_NAME = 'hex_demo';
/** Titles the demo's workflow file filters out (dashboardFilterPattern.excludes), as a team would its scratch work. */
export const DEMO_EXCLUDE_PATTERN = '(?i)^scratch';

const DOMAIN = 'lumen-roastery.example';
const email = (local: string) => `${local}@${DOMAIN}`;

/** OpenMetadata accounts of the workspace's people; owners resolve to these (the finance team as a team). */
export const DEMO_USERS = [
  { name: 'priya.raman', email: email('priya.raman'), displayName: 'Priya Raman' },
  { name: 'tomas.berg', email: email('tomas.berg'), displayName: 'Tomas Berg' },
  { name: 'aisha.okonkwo', email: email('aisha.okonkwo'), displayName: 'Aisha Okonkwo' },
  { name: 'lucas.moreau', email: email('lucas.moreau'), displayName: 'Lucas Moreau' },
  { name: 'mei.tanaka', email: email('mei.tanaka'), displayName: 'Mei Tanaka' },
  { name: 'daniel.kowalski', email: email('daniel.kowalski'), displayName: 'Daniel Kowalski' },
  { name: 'sofia.alvarez', email: email('sofia.alvarez'), displayName: 'Sofia Alvarez' },
];
export const DEMO_TEAMS = [{ name: 'finance-analytics', email: email('finance-analytics'), displayName: 'Finance Analytics' }];

const CATEGORY_DESCRIPTIONS: Record<string, string | null> = {
  Finance: 'Revenue, margins and the monthly close',
  Sales: 'Wholesale and cafe partner accounts',
  Marketing: null,
  Operations: 'Roasting, fulfilment and shipping',
  'Supply chain': 'Green coffee sourcing and inventory',
  Product: 'Subscriptions and the online shop',
  'Customer success': 'Support and customer feedback',
  Exec: 'Board-level reporting',
};

interface Sketch {
  id: string;
  title: string;
  description: string | null;
  categories: string[];
  status: string | null;
  owner: string;
  creator?: string;
  createdAt: string;
  lastEditedAt: string;
  /** Null for projects never published as an app. */
  lastPublishedAt: string | null;
  views?: number;
  type?: 'PROJECT' | 'COMPONENT';
  archivedAt?: string;
  trashedAt?: string;
}

const SKETCHES: Sketch[] = [
  { id: 'ab82c9b4-04e9-4252-a2b9-bcdd36556e6c', title: 'Weekly Revenue Review', description: 'Revenue by channel and week, shared every Monday with the leadership team.', categories: ['Finance', 'Exec'], status: 'Production', owner: 'finance-analytics', creator: 'priya.raman', createdAt: '2023-09-04T09:12:00.000Z', lastEditedAt: '2025-01-27T16:40:11.000Z', lastPublishedAt: '2025-01-27T16:45:02.000Z', views: 1840 },
  { id: 'ad26990f-2edb-48cc-989d-4b3384abf2a9', title: 'Monthly Close Dashboard', description: 'Gross margin by product category for the month-end close.', categories: ['Finance'], status: 'Production', owner: 'finance-analytics', creator: 'daniel.kowalski', createdAt: '2023-11-20T14:02:00.000Z', lastEditedAt: '2025-02-03T10:15:40.000Z', lastPublishedAt: '2025-02-03T10:20:00.000Z', views: 612 },
  { id: '64d6ef15-450d-4558-a6eb-2f3291dfed6a', title: 'Cash Flow Forecast', description: 'Thirteen-week cash forecast; assumptions are in the first cells.', categories: ['Finance'], status: 'In review', owner: 'daniel.kowalski', createdAt: '2024-10-01T08:30:00.000Z', lastEditedAt: '2025-02-06T17:02:12.000Z', lastPublishedAt: null },
  { id: '4acfa594-838f-4f92-a26e-6b7f44334cf4', title: 'Wholesale Accounts Pipeline', description: 'Open wholesale accounts by region and stage.', categories: ['Sales'], status: 'Production', owner: 'lucas.moreau', createdAt: '2024-02-12T11:00:00.000Z', lastEditedAt: '2025-01-30T09:41:00.000Z', lastPublishedAt: '2025-01-30T09:45:30.000Z', views: 402 },
  { id: '94c59940-b396-4303-994b-a26c0aee9144', title: 'Cafe Partner Scorecards', description: 'One page per cafe partner: volume, order cadence and payment terms.', categories: ['Sales'], status: 'Production', owner: 'lucas.moreau', createdAt: '2024-03-05T13:20:00.000Z', lastEditedAt: '2025-02-04T15:10:00.000Z', lastPublishedAt: '2025-02-04T15:12:44.000Z', views: 951 },
  { id: '4ff5584c-7af1-437e-a146-4df33e3acc19', title: 'Subscription Churn Explorer', description: 'Why subscribers cancel, by plan and tenure.', categories: ['Product', 'Customer success'], status: 'Production', owner: 'aisha.okonkwo', createdAt: '2024-01-18T10:05:00.000Z', lastEditedAt: '2025-02-07T11:22:09.000Z', lastPublishedAt: '2025-02-07T11:30:00.000Z', views: 733 },
  { id: 'e897d1f8-8b65-4099-9877-38be1bb537c4', title: 'Subscription Cohort Retention', description: 'Monthly cohorts of new subscribers and how many are still active.', categories: ['Product'], status: 'Production', owner: 'aisha.okonkwo', createdAt: '2024-01-22T16:45:00.000Z', lastEditedAt: '2025-01-15T08:55:00.000Z', lastPublishedAt: '2025-01-15T09:00:00.000Z', views: 288 },
  { id: 'cb2b3b7a-72ca-47bb-8513-4489d0ebd332', title: 'Roast Schedule Planner', description: 'Which lots to roast this week, from open orders and green coffee on hand.', categories: ['Operations', 'Supply chain'], status: 'Production', owner: 'mei.tanaka', createdAt: '2024-04-09T07:15:00.000Z', lastEditedAt: '2025-02-10T06:30:00.000Z', lastPublishedAt: '2025-02-10T06:32:10.000Z', views: 1207 },
  { id: 'd4717337-509e-45b6-8e65-53a9442d54ec', title: 'Green Coffee Inventory', description: 'Kilograms on hand by origin and arrival date.', categories: ['Supply chain'], status: 'Production', owner: 'mei.tanaka', createdAt: '2024-04-10T09:00:00.000Z', lastEditedAt: '2025-02-05T14:00:00.000Z', lastPublishedAt: '2025-02-05T14:01:00.000Z', views: 540 },
  { id: '622b07fb-daa8-4ca8-8c84-d66f6ac56a22', title: 'Supplier Lead Times', description: 'Days from contract to arrival, per importer.', categories: ['Supply chain'], status: 'In review', owner: 'mei.tanaka', createdAt: '2024-12-02T10:40:00.000Z', lastEditedAt: '2025-02-08T12:12:00.000Z', lastPublishedAt: null },
  { id: '280ceee7-7679-4d0e-bafe-99fc8e357e3d', title: 'Shipping Carrier Performance', description: 'Transit times and late deliveries by carrier.', categories: ['Operations'], status: 'Production', owner: 'tomas.berg', createdAt: '2024-05-14T12:00:00.000Z', lastEditedAt: '2025-01-29T10:10:00.000Z', lastPublishedAt: '2025-01-29T10:11:00.000Z', views: 318 },
  { id: '80c1efbe-2795-4864-99cc-8f4f236ffef9', title: 'Web Funnel: Visit to First Order', description: 'Sessions, sign-ups and first orders by traffic source.', categories: ['Marketing', 'Product'], status: 'Production', owner: 'sofia.alvarez', createdAt: '2024-02-28T15:30:00.000Z', lastEditedAt: '2025-02-06T09:05:00.000Z', lastPublishedAt: '2025-02-06T09:06:00.000Z', views: 824 },
  { id: 'c111a4a8-a86d-4210-896c-6554588d5795', title: 'Email Campaign Attribution', description: 'Orders within seven days of each newsletter.', categories: ['Marketing'], status: 'In review', owner: 'sofia.alvarez', createdAt: '2024-11-11T11:11:00.000Z', lastEditedAt: '2025-02-09T18:20:00.000Z', lastPublishedAt: null },
  { id: '298d8782-00b1-43cc-a4f3-3401ae6b8df1', title: 'Paid Social ROAS', description: null, categories: ['Marketing'], status: 'Exploratory', owner: 'sofia.alvarez', createdAt: '2025-01-06T13:00:00.000Z', lastEditedAt: '2025-02-01T13:45:00.000Z', lastPublishedAt: null },
  { id: 'a251dfe5-67e7-4a91-a62a-7f3904beeb41', title: 'Customer Support Ticket Trends', description: 'Tickets by topic and week, with first-response times.', categories: ['Customer success'], status: 'Production', owner: 'tomas.berg', createdAt: '2024-06-03T08:00:00.000Z', lastEditedAt: '2025-02-03T07:50:00.000Z', lastPublishedAt: '2025-02-03T07:55:00.000Z', views: 266 },
  { id: 'f4f33a79-1be3-44da-a617-558cf54365af', title: 'NPS Verbatims', description: 'Free-text answers of the quarterly survey, grouped by theme.', categories: ['Customer success'], status: 'Exploratory', owner: 'aisha.okonkwo', createdAt: '2024-12-16T10:00:00.000Z', lastEditedAt: '2025-01-20T16:00:00.000Z', lastPublishedAt: null },
  { id: '6d79df47-86c5-44dc-9b3d-c003df739065', title: 'Board Pack KPIs', description: 'The numbers in the quarterly board pack, each linked to its definition.', categories: ['Exec', 'Finance'], status: 'Production', owner: 'priya.raman', createdAt: '2023-08-21T09:00:00.000Z', lastEditedAt: '2025-01-31T19:30:00.000Z', lastPublishedAt: '2025-01-31T19:35:00.000Z', views: 97 },
  { id: '498358e3-eae0-46a3-8e1c-29156c84f8a4', title: 'Product Mix by Region', description: 'Units sold per product and customer region.', categories: ['Sales', 'Product'], status: 'Production', owner: 'lucas.moreau', createdAt: '2024-07-08T14:20:00.000Z', lastEditedAt: '2025-02-02T11:00:00.000Z', lastPublishedAt: '2025-02-02T11:02:00.000Z', views: 455 },
  { id: 'a50eab6f-d3f0-4236-8099-19eedd80520b', title: 'Gift Card Liability', description: 'Outstanding gift card balances for the balance sheet.', categories: ['Finance'], status: 'Production', owner: 'finance-analytics', creator: 'daniel.kowalski', createdAt: '2024-01-02T10:00:00.000Z', lastEditedAt: '2025-01-02T10:30:00.000Z', lastPublishedAt: '2025-01-02T10:31:00.000Z', views: 41 },
  { id: 'fbaa47b4-cbb5-41b0-9bbf-87c3d0f6d257', title: 'Loyalty Program Uplift', description: 'Spend of members against look-alike non-members.', categories: ['Marketing'], status: 'Exploratory', owner: 'sofia.alvarez', createdAt: '2025-01-13T09:30:00.000Z', lastEditedAt: '2025-02-07T15:15:00.000Z', lastPublishedAt: null },
  { id: '2e19cb23-60bf-4466-904d-d92af16d58a3', title: 'Returns & Refunds Audit', description: 'Orders refunded above their total, for the quarterly audit.', categories: ['Finance', 'Operations'], status: 'In review', owner: 'daniel.kowalski', createdAt: '2024-09-23T12:00:00.000Z', lastEditedAt: '2025-02-04T13:00:00.000Z', lastPublishedAt: null },
  { id: '5590af1f-93f3-4916-b1b7-36339179d5f7', title: 'Cafe Staffing vs Footfall', description: 'Hourly footfall at the two flagship cafes against rostered staff.', categories: ['Operations'], status: 'Exploratory', owner: 'tomas.berg', createdAt: '2024-11-25T08:45:00.000Z', lastEditedAt: '2025-01-10T09:00:00.000Z', lastPublishedAt: null },
  { id: 'e0a86cf1-77e8-4449-8cf1-a552bc884679', title: 'Price Elasticity Study', description: 'What the 2024 price change did to volume, per product.', categories: ['Product'], status: 'Exploratory', owner: 'aisha.okonkwo', createdAt: '2024-10-14T10:10:00.000Z', lastEditedAt: '2024-12-19T17:00:00.000Z', lastPublishedAt: '2024-12-19T17:05:00.000Z', views: 63 },
  { id: '8878d357-50bc-4e10-a2bd-b261a3dd9b6c', title: 'Data Freshness Monitor', description: 'When each warehouse table last received rows; pinned in #data-alerts.', categories: [], status: 'Production', owner: 'priya.raman', createdAt: '2023-10-02T07:00:00.000Z', lastEditedAt: '2025-02-10T05:00:00.000Z', lastPublishedAt: '2025-02-10T05:01:00.000Z', views: 2210 },
  { id: 'ad1eef61-1a6a-47dc-861f-27f26203c22f', title: 'Onboarding: SQL Basics', description: 'Exercises for new analysts against the sample tables.', categories: [], status: null, owner: 'priya.raman', createdAt: '2024-03-18T09:00:00.000Z', lastEditedAt: '2024-09-02T09:00:00.000Z', lastPublishedAt: null },
  { id: '7af6dcca-a836-48af-ae99-4818245d4708', title: 'Holiday Season Readiness 2024', description: 'Roasting capacity and carrier cut-off dates for November and December.', categories: ['Operations'], status: 'Deprecated', owner: 'mei.tanaka', createdAt: '2024-09-30T10:00:00.000Z', lastEditedAt: '2024-12-27T10:00:00.000Z', lastPublishedAt: '2024-11-04T08:00:00.000Z', views: 388 },
  // Left out by the demo's filter pattern.
  { id: '6c4a055e-6fce-4334-9211-04d98840b216', title: 'Scratch: revenue spot checks', description: null, categories: [], status: null, owner: 'daniel.kowalski', createdAt: '2025-02-06T16:00:00.000Z', lastEditedAt: '2025-02-06T16:30:00.000Z', lastPublishedAt: null },
  { id: '123c634d-7d7e-4fe5-8378-4c6354e1e7d8', title: "Scratch: Tomas's sandbox", description: null, categories: [], status: null, owner: 'tomas.berg', createdAt: '2024-08-01T12:00:00.000Z', lastEditedAt: '2025-01-28T12:00:00.000Z', lastPublishedAt: null },
  // Not listed by Hex's project listing as the connector reads it.
  { id: '5fe7d82c-ea6b-4f03-9a39-5e0a78ce24de', title: 'Legacy Sales Dashboard (2022)', description: 'Replaced by Wholesale Accounts Pipeline.', categories: ['Sales'], status: 'Deprecated', owner: 'lucas.moreau', createdAt: '2022-03-01T09:00:00.000Z', lastEditedAt: '2023-06-30T09:00:00.000Z', lastPublishedAt: '2023-06-30T09:05:00.000Z', archivedAt: '2024-02-12T11:30:00.000Z' },
  { id: 'd1dd7901-cdf1-4a24-9e9a-d7b01a46f5d4', title: 'Marketing Mix Model v1', description: null, categories: ['Marketing'], status: 'Deprecated', owner: 'sofia.alvarez', createdAt: '2023-02-14T09:00:00.000Z', lastEditedAt: '2023-12-01T09:00:00.000Z', lastPublishedAt: null, archivedAt: '2024-06-01T08:00:00.000Z' },
  { id: 'c5d451aa-2f0d-49a3-b1aa-db24aafe26b8', title: 'Revenue KPI cards', description: 'Reusable KPI cells: revenue, orders, average order value.', categories: ['Finance'], status: 'Production', owner: 'priya.raman', createdAt: '2024-05-06T09:00:00.000Z', lastEditedAt: '2025-01-08T09:00:00.000Z', lastPublishedAt: '2025-01-08T09:02:00.000Z', type: 'COMPONENT' },
  { id: '37b1d463-fdec-449d-8385-13d2da1744ea', title: 'Fiscal calendar', description: 'Fiscal weeks and periods as a reusable SQL cell.', categories: [], status: null, owner: 'daniel.kowalski', createdAt: '2024-01-09T09:00:00.000Z', lastEditedAt: '2024-04-01T09:00:00.000Z', lastPublishedAt: '2024-04-01T09:01:00.000Z', type: 'COMPONENT' },
  { id: '6b8f375f-1794-4d42-bc7f-6ebe4b094682', title: 'Untitled project', description: null, categories: [], status: null, owner: 'sofia.alvarez', createdAt: '2025-01-21T10:00:00.000Z', lastEditedAt: '2025-01-21T10:01:00.000Z', lastPublishedAt: null, trashedAt: '2025-01-22T08:00:00.000Z' },
];

function toProject(s: Sketch): HexProject {
  const owner = { email: email(s.owner) };
  const views = s.views ?? 0;
  return makeProject({
    id: s.id,
    title: s.title,
    description: s.description,
    type: s.type ?? 'PROJECT',
    creator: { email: email(s.creator ?? s.owner) },
    owner,
    status: s.status ? { name: s.status } : null,
    categories: s.categories.map((name) => ({ name, description: CATEGORY_DESCRIPTIONS[name] ?? null })),
    analytics: {
      appViews: { allTime: views, lastSevenDays: Math.round(views / 40), lastFourteenDays: Math.round(views / 20), lastThirtyDays: Math.round(views / 9) },
      lastViewedAt: s.lastPublishedAt ? s.lastEditedAt : null,
      publishedResultsUpdatedAt: s.lastPublishedAt,
    },
    createdAt: s.createdAt,
    lastEditedAt: s.lastEditedAt,
    lastPublishedAt: s.lastPublishedAt,
    archivedAt: s.archivedAt ?? null,
    trashedAt: s.trashedAt ?? null,
  });
}

/** Every item of the workspace, archived, trashed and components included (Hex serves them all). */
export function demoProjects(): HexProject[] {
  return SKETCHES.map(toProject);
}

/** A project of the workspace by title; throws on a title it does not have, so a typo cannot pass silently. */
export function demoProjectByTitle(title: string): HexProject {
  const sketch = SKETCHES.find((s) => s.title === title);
  if (!sketch) throw new Error(`no demo project titled ${title}`);
  return toProject(sketch);
}
