// Measurements taken around a run: worker memory, Temporal history of the whole chain, phase timings.
import { readFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';

/** Peak resident set (VmHWM) of a process in bytes, or null when /proc does not show it. */
export function peakRssBytes(pid: number, readStatus: (path: string) => string = (p) => readFileSync(p, 'utf8')): number | null {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readStatus(`/proc/${pid}/status`));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Current resident set (VmRSS) of a process in bytes, or null when /proc does not show it. */
export function rssBytes(pid: number, readStatus: (path: string) => string = (p) => readFileSync(p, 'utf8')): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readStatus(`/proc/${pid}/status`));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Samples VmHWM while the process lives: the kernel keeps the peak, the last readable value wins. */
export function watchPeakRss(pid: number, everyMs = 500, onMinute?: (line: string) => void): { stop(): number | null } {
  let peak = peakRssBytes(pid);
  const started = Date.now();
  let minutes = 0;
  const timer = setInterval(() => {
    const now = peakRssBytes(pid);
    if (now !== null && (peak === null || now > peak)) peak = now;
    // A line a minute shows when the peak was reached (progress on stderr, not part of the table).
    if (onMinute && Date.now() - started >= (minutes + 1) * 60_000) {
      minutes++;
      onMinute(`worker peak RSS after ${minutes} min: ${peak === null ? '-' : (peak / 2 ** 20).toFixed(0)} MiB\n`);
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const last = peakRssBytes(pid);
      if (last !== null && (peak === null || last > peak)) peak = last;
      return peak;
    },
  };
}

export interface ChainHistory {
  runs: number;
  events: number;
  /** From the first lineage activity scheduled to the last one closed; null when there was none. */
  lineageMs: number | null;
  /** Lineage activities scheduled per prefix over the chain (a retried attempt is not scheduled again). */
  lineageReads: Record<string, number>;
  /** When the last listing activity closed (epoch ms); null when there was none. */
  listingEndMs: number | null;
}

/** Activity types that list Hex's projects (one page, or a batch of pages). */
const LISTING_ACTIVITIES = new Set(['ingestProjectPages', 'ingestProjectPage']);

type HistoryEvent = NonNullable<Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>['events']>[number];

function eventMs(event: HistoryEvent): number {
  const time = event.eventTime;
  return Number(time?.seconds ?? 0) * 1000 + Math.floor((time?.nanos ?? 0) / 1e6);
}

/** Span of the activities of one type in one run's events, in milliseconds. */
export function activitySpanMs(events: HistoryEvent[], activityType: string): number | null {
  const scheduled = new Set<string>();
  let first: number | null = null;
  let last: number | null = null;
  for (const event of events) {
    const attributes = event.activityTaskScheduledEventAttributes;
    if (attributes?.activityType?.name === activityType) {
      scheduled.add(String(event.eventId));
      if (first === null) first = eventMs(event);
      continue;
    }
    const closed = event.activityTaskCompletedEventAttributes ?? event.activityTaskFailedEventAttributes
      ?? event.activityTaskTimedOutEventAttributes;
    if (closed && scheduled.has(String(closed.scheduledEventId))) last = eventMs(event);
  }
  return first !== null && last !== null ? last - first : null;
}

/** Per activity type: when its first task was scheduled and its last closed, in seconds from the run's start. */
export function activityTimeline(events: HistoryEvent[]): string {
  const start = events.length ? eventMs(events[0]) : 0;
  const typeOf = new Map<string, string>();
  const spans = new Map<string, { first: number; last: number; tasks: number }>();
  for (const event of events) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name) {
      const type = scheduled.activityType.name;
      typeOf.set(String(event.eventId), type);
      const span = spans.get(type) ?? { first: eventMs(event) - start, last: 0, tasks: 0 };
      span.tasks++;
      spans.set(type, span);
      continue;
    }
    const closed = event.activityTaskCompletedEventAttributes ?? event.activityTaskFailedEventAttributes ?? event.activityTaskTimedOutEventAttributes;
    const type = closed ? typeOf.get(String(closed.scheduledEventId)) : undefined;
    if (type) spans.get(type)!.last = eventMs(event) - start;
  }
  const end = events.length ? eventMs(events[events.length - 1]) - start : 0;
  return [...spans].map(([type, s]) => `  ${type.padEnd(24)} x${String(s.tasks).padEnd(4)} ${(s.first / 1000).toFixed(2)} s → ${(s.last / 1000).toFixed(2)} s\n`).join('')
    + `  ${'workflow'.padEnd(24)}       0.00 s → ${(end / 1000).toFixed(2)} s\n`;
}

/** The `prefix` of a lineage activity's input (JSON payload); null when it cannot be read. */
function prefixOf(event: HistoryEvent): string | null {
  const data = event.activityTaskScheduledEventAttributes?.input?.payloads?.[0]?.data;
  if (!data) return null;
  try {
    const prefix = JSON.parse(Buffer.from(data).toString('utf8'))?.prefix;
    return typeof prefix === 'string' ? prefix : null;
  } catch {
    return null;
  }
}

/** Per prefix, how many lineage activities were scheduled; and when the last listing activity closed. */
export function lineageAndListing(events: HistoryEvent[]): { lineageReads: Record<string, number>; listingEndMs: number | null } {
  const lineageReads: Record<string, number> = {};
  const listing = new Set<string>();
  let listingEndMs: number | null = null;
  for (const event of events) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    const type = scheduled?.activityType?.name;
    if (type === 'lineageForPrefix') {
      const prefix = prefixOf(event) ?? '?';
      lineageReads[prefix] = (lineageReads[prefix] ?? 0) + 1;
    } else if (type && LISTING_ACTIVITIES.has(type)) listing.add(String(event.eventId));
    const closed = event.activityTaskCompletedEventAttributes ?? event.activityTaskFailedEventAttributes
      ?? event.activityTaskTimedOutEventAttributes;
    if (closed && listing.has(String(closed.scheduledEventId))) listingEndMs = Math.max(listingEndMs ?? 0, eventMs(event));
  }
  return { lineageReads, listingEndMs };
}

/**
 * History events of every run of the latest continue-as-new chain of `workflowId`, walking back from the
 * newest run through each first event's `continuedExecutionRunId`.
 */
export async function chainHistory(client: Client, workflowId: string): Promise<ChainHistory> {
  let runId: string | undefined;
  let runs = 0;
  let events = 0;
  let lineageMs: number | null = null;
  const lineageReads: Record<string, number> = {};
  let listingEndMs: number | null = null;
  for (;;) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const all = history.events ?? [];
    runs++;
    events += all.length;
    lineageMs ??= activitySpanMs(all, 'lineageForPrefix');
    const seen = lineageAndListing(all);
    for (const [prefix, n] of Object.entries(seen.lineageReads)) lineageReads[prefix] = (lineageReads[prefix] ?? 0) + n;
    if (seen.listingEndMs !== null) listingEndMs = Math.max(listingEndMs ?? 0, seen.listingEndMs);
    if (process.env.HEXMETA_BENCH_DETAILS) process.stderr.write(activityTimeline(all));
    const previous = all[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    if (!previous) return { runs, events, lineageMs, lineageReads, listingEndMs };
    runId = previous;
  }
}
