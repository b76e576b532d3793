import { JsonHttp } from '../common/http';
import { ServiceError } from '../common/httpErrors';
import type { SlidingWindowLimiter } from './rateLimiter';
import type { HexPage, HexProject } from './types';

export const HEX_PAGE_SIZE = 100;

export interface HexClientOptions {
  hostPort: string;
  token: string;
  limiter: SlidingWindowLimiter;
  timeoutMs?: number;
}

/** Hex public API v1 (`<hostPort>/api/v1`), rate limited on the client side. */
export class HexClient {
  private readonly http: JsonHttp;

  constructor(private readonly options: HexClientOptions) {
    this.http = new JsonHttp('Hex', `${options.hostPort.replace(/\/+$/, '')}/api/v1`, {
      Authorization: `Bearer ${options.token}`,
    }, options.timeoutMs);
  }

  private async get<T>(url: string, params?: Record<string, unknown>): Promise<T> {
    await this.options.limiter.acquire();
    const response = await this.http.request<T>({ method: 'GET', url, params });
    return response.data;
  }

  /** One page of projects, newest created first; `after` is Hex's opaque cursor. */
  async listProjects(after: string | null, limit = HEX_PAGE_SIZE): Promise<HexPage<HexProject>> {
    const params: Record<string, unknown> = { limit };
    if (after) params.after = after;
    const page = await this.get<HexPage<HexProject>>('/projects', params);
    if (!page || !Array.isArray(page.values) || !page.pagination || typeof page.pagination !== 'object') {
      throw new ServiceError('Hex', 200, 'Hex answered GET /projects with a body that is not a project page');
    }
    return page;
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
