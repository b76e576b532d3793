import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import { ServiceError, parseRetryAfter, reasonFromBody } from './httpErrors';

export interface JsonResponse<T> {
  status: number;
  data: T;
  headers: Record<string, unknown>;
}

/**
 * An HTTP client that never throws axios errors (which carry request headers, i.e. credentials): every
 * failure becomes a ServiceError naming the service, method and path.
 */
export class JsonHttp {
  private readonly http: AxiosInstance;

  constructor(readonly service: string, baseURL: string, headers: Record<string, string>, timeoutMs = 30_000) {
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
    let response;
    try {
      response = await this.http.request(config);
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'network error';
      throw new ServiceError(this.service, null, `${this.service} unreachable at ${what}: ${code}`);
    }
    if (okStatuses.includes(response.status)) {
      return { status: response.status, data: response.data as T, headers: response.headers as Record<string, unknown> };
    }
    const reason = reasonFromBody(response.data);
    throw new ServiceError(
      this.service,
      response.status,
      `${this.service} answered ${response.status} to ${what}${reason ? `: ${reason}` : ''}`,
      response.status === 429 || response.status === 503 ? parseRetryAfter(response.headers['retry-after']) : null,
    );
  }
}
