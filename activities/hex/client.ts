import { JsonHttp } from '../common/http';
import { ServiceError } from '../common/httpErrors';
import type { Log } from '../common/log';
import { retryTransient, type RetryBudget } from '../common/retry';
import type { SlidingWindowLimiter } from './rateLimiter';
import { noteHexWait } from './waitNotice';
import type { HexCell, HexDataConnection, HexPage, HexProject } from './types';

export const HEX_PAGE_SIZE = 100;
/** Default longest Retry-After a run waits for (hexmeta.hexMaxRetryAfterSeconds). */
export const DEFAULT_HEX_MAX_RETRY_AFTER_MS = 15 * 60_000;

/**
 * Each Hex request tries again in place on resets, timeouts, 5xx and 429 (Hex's window is a minute, so its
 * Retry-After is usually within one): up to a minute of waiting, then the activity's retries take over.
 */
export const HEX_RETRY_BUDGET: RetryBudget = { maxTries: 5, baseBackoffMs: 500, maxBackoffMs: 8_000, maxInPlaceWaitMs: 60_000 };

export interface HexClientOptions {
  hostPort: string;
  token: string;
  limiter: SlidingWindowLimiter;
  /** Hex's stricter group for cell reads (30 requests a minute), taken on top of `limiter`. */
  cellLimiter?: SlidingWindowLimiter;
  timeoutMs?: number;
  retryBudget?: RetryBudget;
  /** Longest Retry-After honoured; a longer one fails the request with the server's message. */
  maxRetryAfterMs?: number;
  /** Receives one DEBUG line per API call (default: the process logger). */
  log?: Log;
}

export interface ListProjectsOptions {
  limit?: number;
  /** COMPONENT items too (they become charts). */
  includeComponents?: boolean;
  /** Most recently edited first (default: newest created first). */
  latestEditsFirst?: boolean;
}

/** Hex public API v1 (`<hostPort>/api/v1`), rate limited on the client side. */
export class HexClient {
  private readonly http: JsonHttp;

  constructor(private readonly options: HexClientOptions) {
    this.http = new JsonHttp('Hex', `${options.hostPort.replace(/\/+$/, '')}/api/v1`, {
      Authorization: `Bearer ${options.token}`,
    }, options.timeoutMs, options.log);
  }

  private async get<T>(url: string, params?: Record<string, unknown>, group?: SlidingWindowLimiter): Promise<T> {
    const send = async () => {
      if (group) await group.acquire((ms) => noteHexWait(ms, 'rate limit'));
      await this.options.limiter.acquire((ms) => noteHexWait(ms, 'rate limit'));
      return (await this.http.request<T>({ method: 'GET', url, params })).data;
    };
    return retryTransient(send, {
      budget: this.options.retryBudget ?? HEX_RETRY_BUDGET,
      maxRetryAfterMs: this.options.maxRetryAfterMs ?? DEFAULT_HEX_MAX_RETRY_AFTER_MS,
      onRetryAfter: (ms) => noteHexWait(ms, 'Retry-After'),
    });
  }

  /** One page of projects, newest created first; `after` is Hex's opaque cursor. */
  async listProjects(after: string | null, options: ListProjectsOptions = {}): Promise<HexPage<HexProject>> {
    const params: Record<string, unknown> = { limit: options.limit ?? HEX_PAGE_SIZE };
    if (options.includeComponents) params.includeComponents = true;
    if (options.latestEditsFirst) Object.assign(params, { sortBy: 'LAST_EDITED_AT', sortDirection: 'DESC' });
    if (after) params.after = after;
    const page = await this.get<HexPage<HexProject>>('/projects', params);
    if (!page || !Array.isArray(page.values) || !page.pagination || typeof page.pagination !== 'object') {
      throw new ServiceError('Hex', 200, 'Hex answered GET /projects with a body that is not a project page');
    }
    return page;
  }

  /** One page of a project's draft cells, in notebook order. */
  async listCells(projectId: string, after: string | null): Promise<HexPage<HexCell>> {
    const params: Record<string, unknown> = { projectId, limit: HEX_PAGE_SIZE };
    if (after) params.after = after;
    const page = await this.get<HexPage<HexCell>>('/cells', params, this.options.cellLimiter);
    if (!page || !Array.isArray(page.values) || !page.pagination) {
      throw new ServiceError('Hex', 200, 'Hex answered GET /cells with a body that is not a cell page');
    }
    return page;
  }

  /** Every data connection the token can see (a workspace has few). */
  async listDataConnections(): Promise<HexDataConnection[]> {
    const all: HexDataConnection[] = [];
    let after: string | null = null;
    do {
      const params: Record<string, unknown> = { limit: HEX_PAGE_SIZE };
      if (after) params.after = after;
      const page: HexPage<HexDataConnection> = await this.get('/data-connections', params);
      all.push(...(page?.values ?? []));
      after = page?.pagination?.after ?? null;
    } while (after);
    return all;
  }

  /** The token's identity: a personal token's user (email) or, for a workspace token, only the org. */
  async me(): Promise<{ email?: string; org?: { id?: string } }> {
    return (await this.get<{ email?: string; org?: { id?: string } }>('/users/me')) ?? {};
  }

  /** The workspace (org) id, from /users/me; needs the Users read scope on workspace tokens. */
  async workspaceId(): Promise<string | null> {
    const me = await this.get<{ org?: { id?: string } }>('/users/me');
    return me?.org?.id ?? null;
  }
}
