import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import { logApiCall } from './apiCallLog';
import { ServiceError, parseRetryAfter, reasonFromBody } from './httpErrors';
import { processLog, type Log } from './log';

export interface JsonResponse<T> {
  status: number;
  data: T;
  headers: Record<string, unknown>;
}

/**
 * An HTTP client that never throws axios errors (which carry request headers, i.e. credentials): every
 * failure becomes a ServiceError naming the service, method and path. At DEBUG each call is one log line
 * (never its headers).
 */
export class JsonHttp {
  private readonly http: AxiosInstance;

  constructor(
    readonly service: string,
    baseURL: string,
    headers: Record<string, string>,
    timeoutMs = 30_000,
    private readonly log: Log = processLog(),
  ) {
    this.http = axios.create({
      baseURL,
      headers: { Accept: 'application/json', ...headers },
      timeout: timeoutMs,
      validateStatus: () => true,
      maxRedirects: 3,
    });
  }

  async request<T>(config: AxiosRequestConfig, okStatuses: number[] = [200, 201]): Promise<JsonResponse<T>> {
    const what = `${(config.method ?? 'GET').toUpperCase()} ${config.url}`;
    const call = { service: this.service, method: config.method ?? 'GET', path: this.pathOf(config), startedAt: Date.now() };
    let response;
    try {
      response = await this.http.request(config);
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'network error';
      logApiCall(this.log, { ...call, status: null, errorCode: code });
      throw new ServiceError(this.service, null, `${this.service} unreachable at ${what}: ${code}`);
    }
    const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
    logApiCall(this.log, { ...call, status: response.status, retryAfterMs });
    if (okStatuses.includes(response.status)) {
      return { status: response.status, data: response.data as T, headers: response.headers as Record<string, unknown> };
    }
    const reason = reasonFromBody(response.data);
    throw new ServiceError(
      this.service,
      response.status,
      `${this.service} answered ${response.status} to ${what}${reason ? `: ${reason}` : ''}`,
      response.status === 429 || response.status === 503 ? retryAfterMs : null,
    );
  }

  /** Path and query string as sent (base path included), for the log. */
  private pathOf(config: AxiosRequestConfig): string {
    if (!this.log.enabled('DEBUG')) return '';
    try {
      const url = new URL(this.http.getUri(config));
      return `${url.pathname}${url.search}`;
    } catch {
      return String(config.url ?? '');
    }
  }
}
