// The demo's warehouse: a few tables of the coffee roaster and the SQL its Hex projects run against them.
import { randomUUID } from 'node:crypto';
import { DEMO_WORKSPACE_SLUG, demoProjectByTitle } from './sampleWorkspace';

export interface DemoTable {
  name: string;
  columns: { name: string; type: string }[];
}

const col = (spec: string) => spec.split(',').map((pair) => {
  const [name, type] = pair.trim().split(/\s+/);
  return { name, type };
});

export const DEMO_TABLES: DemoTable[] = [
  { name: 'customers', columns: col('id int, name text, region text, signed_up_at timestamptz') },
  { name: 'orders', columns: col('id int, customer_id int, session_id int, ordered_at timestamptz, total numeric, refunded_total numeric') },
  { name: 'order_items', columns: col('order_id int, product_id int, quantity int, unit_price numeric') },
  { name: 'products', columns: col('id int, name text, category text, lot_id int') },
  { name: 'subscriptions', columns: col('id int, customer_id int, plan text, started_at timestamptz, cancelled_at timestamptz') },
  { name: 'wholesale_accounts', columns: col('id int, customer_id int, name text, region text, stage text') },
  { name: 'green_coffee_lots', columns: col('id int, origin text, kilograms numeric, arrived_at date') },
  { name: 'shipments', columns: col('id int, order_id int, carrier text, shipped_at timestamptz, delivered_at timestamptz') },
  { name: 'web_sessions', columns: col('id int, visitor_id text, source text, started_at timestamptz') },
  { name: 'support_tickets', columns: col('id int, customer_id int, topic text, opened_at timestamptz') },
];

/**
 * One SQL cell run of a Hex project. `reads` lists the tables the statement reads, written down by hand: the
 * demo test compares the lineage the connector finds with it. `{s}` stands for the demo's schema.
 * No literals and no two statements alike: pg_stat_statements would fold them into one entry.
 */
export interface DemoQuery {
  project: string;
  sql: string;
  reads: string[];
}

export const DEMO_QUERIES: DemoQuery[] = [
  { project: 'Weekly Revenue Review', reads: ['orders', 'order_items'], sql: 'SELECT o.ordered_at::date AS day, sum(i.quantity * i.unit_price) AS revenue FROM {s}.orders o JOIN {s}.order_items i ON i.order_id = o.id GROUP BY o.ordered_at::date' },
  { project: 'Weekly Revenue Review', reads: ['orders'], sql: 'SELECT count(*) AS orders, sum(o.total) AS revenue, avg(o.total) AS average_order FROM {s}.orders o' },
  { project: 'Monthly Close Dashboard', reads: ['order_items', 'products'], sql: 'SELECT p.category, sum(i.quantity * i.unit_price) AS sales FROM {s}.order_items i JOIN {s}.products p ON p.id = i.product_id GROUP BY p.category' },
  { project: 'Wholesale Accounts Pipeline', reads: ['wholesale_accounts'], sql: 'SELECT a.region, a.stage, count(*) AS accounts FROM {s}.wholesale_accounts a GROUP BY a.region, a.stage' },
  { project: 'Cafe Partner Scorecards', reads: ['wholesale_accounts', 'orders'], sql: 'SELECT a.name, count(o.id) AS orders, sum(o.total) AS volume FROM {s}.wholesale_accounts a JOIN {s}.orders o ON o.customer_id = a.customer_id GROUP BY a.name' },
  { project: 'Subscription Churn Explorer', reads: ['subscriptions', 'customers'], sql: 'SELECT s.plan, c.region, count(s.cancelled_at) AS cancelled, count(*) AS subscribers FROM {s}.subscriptions s JOIN {s}.customers c ON c.id = s.customer_id GROUP BY s.plan, c.region' },
  { project: 'Subscription Cohort Retention', reads: ['subscriptions'], sql: 'WITH cohorts AS (SELECT customer_id, min(started_at)::date AS first_day FROM {s}.subscriptions GROUP BY customer_id) SELECT cohorts.first_day, count(*) AS subscribers FROM cohorts GROUP BY cohorts.first_day' },
  { project: 'Roast Schedule Planner', reads: ['products', 'green_coffee_lots'], sql: 'SELECT p.name, l.origin, l.kilograms FROM {s}.products p JOIN {s}.green_coffee_lots l ON l.id = p.lot_id' },
  { project: 'Green Coffee Inventory', reads: ['green_coffee_lots'], sql: 'SELECT l.origin, sum(l.kilograms) AS kilograms, max(l.arrived_at) AS last_arrival FROM {s}.green_coffee_lots l GROUP BY l.origin' },
  { project: 'Shipping Carrier Performance', reads: ['shipments'], sql: 'SELECT sh.carrier, avg(sh.delivered_at - sh.shipped_at) AS transit FROM {s}.shipments sh GROUP BY sh.carrier' },
  { project: 'Web Funnel: Visit to First Order', reads: ['web_sessions', 'orders'], sql: 'SELECT w.source, count(DISTINCT w.visitor_id) AS visitors, count(DISTINCT o.id) AS orders FROM {s}.web_sessions w LEFT JOIN {s}.orders o ON o.session_id = w.id GROUP BY w.source' },
  { project: 'Customer Support Ticket Trends', reads: ['support_tickets'], sql: 'SELECT t.topic, count(*) AS tickets, min(t.opened_at) AS first_opened FROM {s}.support_tickets t GROUP BY t.topic' },
  { project: 'Board Pack KPIs', reads: ['orders', 'customers', 'subscriptions'], sql: 'SELECT (SELECT sum(total) FROM {s}.orders) AS revenue, (SELECT count(*) FROM {s}.customers) AS customers, (SELECT count(*) FROM {s}.subscriptions) AS subscribers' },
  { project: 'Product Mix by Region', reads: ['order_items', 'products', 'orders', 'customers'], sql: 'SELECT c.region, p.name, sum(i.quantity) AS units FROM {s}.order_items i JOIN {s}.products p ON p.id = i.product_id JOIN {s}.orders o ON o.id = i.order_id JOIN {s}.customers c ON c.id = o.customer_id GROUP BY c.region, p.name' },
  { project: 'Returns & Refunds Audit', reads: ['orders'], sql: 'SELECT o.id, o.total, o.refunded_total FROM {s}.orders o WHERE o.refunded_total > o.total' },
  { project: 'Data Freshness Monitor', reads: ['orders', 'web_sessions', 'support_tickets'], sql: 'SELECT (SELECT max(ordered_at) FROM {s}.orders) AS orders_loaded, (SELECT max(started_at) FROM {s}.web_sessions) AS sessions_loaded, (SELECT max(opened_at) FROM {s}.support_tickets) AS tickets_loaded' },
  // An archived project's old query: Hex ran it, but there is no dashboard to draw an edge to.
  { project: 'Legacy Sales Dashboard (2022)', reads: ['orders', 'customers'], sql: 'SELECT c.name, sum(o.total) AS total FROM {s}.orders o JOIN {s}.customers c ON c.id = o.customer_id GROUP BY c.name' },
];

/** The comment Hex appends to the SQL it runs: one line, keys in alphabetical order, Python's JSON spacing. */
export function hexQueryComment(projectTitle: string): string {
  const project = demoProjectByTitle(projectTitle);
  const metadata: Record<string, unknown> = {
    categories: project.categories.map((c) => c.name),
    cell_type: 'SQL',
    connection: 'Lumen warehouse',
    context: 'SCHEDULED_RUN',
    project_id: project.id,
    project_name: project.title,
    project_url: `https://app.hex.tech/${DEMO_WORKSPACE_SLUG}/hex/${project.id}/draft/logic`,
    trace_id: randomUUID().replace(/-/g, ''),
    user_email: project.owner.email,
  };
  const value = (item: unknown) => (Array.isArray(item) ? `[${item.map((v) => JSON.stringify(v)).join(', ')}]` : JSON.stringify(item));
  return `-- Hex query metadata: {${Object.entries(metadata).map(([k, v]) => `${JSON.stringify(k)}: ${value(v)}`).join(', ')}}`;
}

/** The statement as Hex sends it: the cell's SQL for this schema, then the metadata comment on its last line. */
export function hexStatement(query: DemoQuery, schema: string): string {
  return `${query.sql.split('{s}').join(schema)}\n${hexQueryComment(query.project)}`;
}

export function createTableStatements(schema: string): string[] {
  return [
    `CREATE SCHEMA ${schema}`,
    ...DEMO_TABLES.map((t) => `CREATE TABLE ${schema}.${t.name} (${t.columns.map((c) => `${c.name} ${c.type}`).join(', ')})`),
  ];
}
