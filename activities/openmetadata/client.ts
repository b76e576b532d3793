import { JsonHttp } from '../common/http';
import { ServiceError } from '../common/httpErrors';
import type { Log } from '../common/log';
import { fqnPath } from './fqn';
import { gated, gateFor, type JsonRequester, type RequestGate } from './gate';
import type { EntityLineage } from './lineage';
import type { BulkOperationResult, CreateChart, CreateDashboard, DashboardEntity, EntityReference, UsageRequest, WriteOutcome } from './types';

export interface OpenMetadataClientOptions {
  /** Server hostPort including `/api`, e.g. http://localhost:8585/api */
  hostPort: string;
  jwtToken: string;
  extraHeaders?: Record<string, string>;
  timeoutMs?: number;
  /** Bounds and backs off the requests in flight (default: this process's gate for `hostPort`). */
  gate?: RequestGate;
  /** Receives one DEBUG line per API call (default: the process logger). */
  log?: Log;
}

function outcomeOf(status: number, headers: Record<string, unknown>): WriteOutcome {
  if (status === 201) return 'created';
  return headers['x-openmetadata-change'] === 'entityNoChange' ? 'unchanged' : 'updated';
}

/** The OpenMetadata REST calls a dashboard connector makes. */
export class OpenMetadataClient {
  private readonly http: JsonRequester;

  constructor(options: OpenMetadataClientOptions) {
    this.http = gated(new JsonHttp('OpenMetadata', `${options.hostPort.replace(/\/+$/, '')}/v1`, {
      ...(options.extraHeaders ?? {}),
      Authorization: `Bearer ${options.jwtToken}`,
      'Content-Type': 'application/json',
    }, options.timeoutMs, options.log), options.gate ?? gateFor(options.hostPort));
  }

  async version(): Promise<string> {
    const { data } = await this.http.request<{ version?: string }>({ method: 'GET', url: '/system/version' });
    if (!data || typeof data.version !== 'string') {
      throw new ServiceError('OpenMetadata', 200, 'OpenMetadata answered /system/version without a version');
    }
    return data.version;
  }

  /** Null when absent (404). */
  private async getOrNull<T>(url: string, params?: Record<string, unknown>): Promise<T | null> {
    try {
      return (await this.http.request<T>({ method: 'GET', url, params })).data;
    } catch (error) {
      if (error instanceof ServiceError && error.status === 404) return null;
      throw error;
    }
  }

  private async put<T>(url: string, body: unknown): Promise<{ entity: T; outcome: WriteOutcome }> {
    const response = await this.http.request<T>({ method: 'PUT', url, data: body });
    return { entity: response.data, outcome: outcomeOf(response.status, response.headers) };
  }

  /** Any authenticated read: proves the JWT is accepted. */
  async checkAuth(serviceName: string): Promise<void> {
    await this.getOrNull(`/services/dashboardServices/name/${fqnPath(serviceName)}`);
  }

  putDashboardService(body: Record<string, unknown>) {
    return this.put<EntityReference>('/services/dashboardServices', body);
  }

  putClassification(body: Record<string, unknown>) {
    return this.put<EntityReference>('/classifications', body);
  }

  putTag(body: Record<string, unknown>) {
    return this.put<EntityReference>('/tags', body);
  }

  putDashboard(body: CreateDashboard) {
    return this.put<DashboardEntity>('/dashboards', body);
  }

  /**
   * Creates or updates many dashboards in one request (PUT /dashboards/bulk?async=false); each request succeeds
   * or fails on its own, as the answer's `successRequest` and `failedRequest` say.
   */
  async putDashboardsBulk(requests: CreateDashboard[], overrideMetadata?: boolean): Promise<BulkOperationResult> {
    // `overrideMetadata` is 2.0's: whether the writes may overwrite user-curated description, displayName and owners.
    const params = overrideMetadata === undefined ? { async: false } : { async: false, overrideMetadata };
    const { data } = await this.http.request<BulkOperationResult>({ method: 'PUT', url: '/dashboards/bulk', params, data: requests });
    if (!data || typeof data !== 'object') throw new ServiceError('OpenMetadata', 200, 'OpenMetadata answered a bulk write without a result');
    return data;
  }

  putChart(body: CreateChart) {
    return this.put<EntityReference>('/charts', body);
  }

  /** A day's usage of a dashboard (PUT /usage/dashboard/{id}); a repeated day replaces its count. */
  async putDashboardUsage(dashboardId: string, usage: UsageRequest): Promise<void> {
    await this.http.request({ method: 'PUT', url: `/usage/dashboard/${encodeURIComponent(dashboardId)}`, data: usage }, [200, 201]);
  }

  /** A day's usage of a dashboard by its FQN (PUT /usage/dashboard/name/{fqn}): no id needed. */
  async putDashboardUsageByName(fqn: string, usage: UsageRequest): Promise<void> {
    await this.http.request({ method: 'PUT', url: `/usage/dashboard/name/${fqnPath(fqn)}`, data: usage }, [200, 201]);
  }

  /**
   * Live entities of a search index whose `field` is one of `values`, in one request, with the source fields
   * asked for. (FQN keywords are lower-case normalised, so an FQN matches without case; e-mails match exactly.)
   */
  async searchByTerms(index: string, field: string, values: string[], sourceFields: string[]): Promise<Record<string, unknown>[]> {
    const queryFilter = { query: { bool: { filter: [{ terms: { [field]: values } }, { term: { deleted: false } }] } } };
    const { data } = await this.http.request<{ hits?: { hits?: { _source?: Record<string, unknown> }[] } }>({
      method: 'GET',
      url: '/search/query',
      params: {
        q: '*', index, from: 0, size: Math.min(10_000, values.length * 4), query_filter: JSON.stringify(queryFilter),
        include_source_fields: sourceFields, fetch_source: true, include_aggregations: false,
      },
      paramsSerializer: { indexes: null },
    });
    return (data?.hits?.hits ?? []).flatMap((hit) => (hit._source && typeof hit._source.id === 'string' ? [hit._source] : []));
  }

  /**
   * The lineage graph around an entity (null when it is absent or soft-deleted: the server reads only live
   * entities here, while neighbours are listed even when soft-deleted).
   */
  getLineageByName(entityType: string, fqn: string, upstreamDepth: number, downstreamDepth: number) {
    return this.getOrNull<EntityLineage>(`/lineage/${entityType}/name/${fqnPath(fqn)}`, { upstreamDepth, downstreamDepth });
  }

  getDashboard(fqn: string, fields = 'sourceHash') {
    return this.getOrNull<DashboardEntity>(`/dashboards/name/${fqnPath(fqn)}`, { fields, include: 'all' });
  }

  /** One page of a service's dashboards. */
  async listDashboards(service: string, after: string | null, limit = 100, include = 'non-deleted', fields = 'sourceHash') {
    const params: Record<string, unknown> = { service, limit, include };
    if (fields) params.fields = fields;
    if (after) params.after = after;
    const { data } = await this.http.request<{ data: DashboardEntity[]; paging?: { after?: string } }>({
      method: 'GET', url: '/dashboards', params,
    });
    return { dashboards: data.data ?? [], after: data.paging?.after ?? null };
  }

  /** One page of a service's charts with their fingerprints. */
  async listCharts(service: string, after: string | null, limit = 1000, include = 'all') {
    const params: Record<string, unknown> = { service, limit, include, fields: 'sourceHash' };
    if (after) params.after = after;
    const { data } = await this.http.request<{ data: { id: string; name?: string; sourceHash?: string; deleted?: boolean }[]; paging?: { after?: string } }>({
      method: 'GET', url: '/charts', params,
    });
    return { charts: data.data ?? [], after: data.paging?.after ?? null };
  }

  getTable(fqn: string) {
    return this.getOrNull<EntityReference & { fullyQualifiedName: string }>(`/tables/name/${fqnPath(fqn)}`);
  }

  /** Table FQNs matching a wildcard FQN pattern (case-insensitive on the server's side). */
  async searchTableFqns(pattern: string): Promise<string[]> {
    const { data } = await this.http.request<{ hits?: { hits?: { _source?: { fullyQualifiedName?: string } }[] } }>({
      method: 'GET',
      url: '/search/fieldQuery',
      params: { fieldName: 'fullyQualifiedName', fieldValue: pattern, from: 0, size: 10, index: 'table_search_index', deleted: false },
    });
    return (data?.hits?.hits ?? []).map((h) => h._source?.fullyQualifiedName).filter((f): f is string => Boolean(f));
  }

  getDatabaseService(name: string) {
    return this.getOrNull<{ name: string; serviceType?: string; connection?: { config?: Record<string, unknown> } }>(
      `/services/databaseServices/name/${fqnPath(name)}`,
    );
  }

  async putLineage(from: EntityReference, to: EntityReference, lineageDetails?: Record<string, unknown>): Promise<void> {
    const edge: Record<string, unknown> = { fromEntity: { id: from.id, type: from.type }, toEntity: { id: to.id, type: to.type } };
    if (lineageDetails) edge.lineageDetails = lineageDetails;
    await this.http.request({ method: 'PUT', url: '/lineage', data: { edge } }, [200, 201]);
  }

  /** The dashboard service by name; null when absent. */
  getDashboardService(name: string) {
    return this.getOrNull<EntityReference & { fullyQualifiedName: string }>(`/services/dashboardServices/name/${fqnPath(name)}`);
  }

  /** An ingestion pipeline by FQN (`<service>.<pipeline>`); null when absent. `pipelineStatuses` is 1.12's one object or 2.0's list. */
  getIngestionPipeline(fqn: string, fields?: string) {
    return this.getOrNull<{ id: string; fullyQualifiedName: string; pipelineStatuses?: unknown }>(
      `/services/ingestionPipelines/name/${fqnPath(fqn)}`, fields ? { fields } : undefined,
    );
  }

  putIngestionPipeline(body: Record<string, unknown>) {
    return this.put<{ id: string; fullyQualifiedName: string }>('/services/ingestionPipelines', body);
  }

  /** One run's status; a status with a runId already sent replaces that run's. */
  async putPipelineStatus(fqn: string, status: Record<string, unknown>): Promise<void> {
    await this.http.request({ method: 'PUT', url: `/services/ingestionPipelines/${fqnPath(fqn)}/pipelineStatus`, data: status }, [200, 201]);
  }

  /** 2.0: one live-progress update of a run (a ProgressUpdate). */
  async putPipelineProgress(fqn: string, runId: string, update: Record<string, unknown>): Promise<void> {
    await this.http.request({ method: 'PUT', url: `/services/ingestionPipelines/progress/${fqnPath(fqn)}/${encodeURIComponent(runId)}`, data: update }, [200, 201, 204]);
  }

  /** The pipeline's run statuses whose timestamp lies between the two epoch ms. */
  async listPipelineStatuses(fqn: string, startTs: number, endTs: number): Promise<Record<string, any>[]> {
    const { data } = await this.http.request<{ data?: Record<string, any>[] }>({
      method: 'GET', url: `/services/ingestionPipelines/${fqnPath(fqn)}/pipelineStatus`, params: { startTs, endTs },
    });
    return Array.isArray(data?.data) ? data.data : [];
  }

  async softDeleteDashboard(id: string): Promise<void> {
    await this.http.request({ method: 'DELETE', url: `/dashboards/${id}`, params: { recursive: true, hardDelete: false } });
  }

  async softDeleteChart(id: string): Promise<void> {
    await this.http.request({ method: 'DELETE', url: `/charts/${id}`, params: { recursive: true, hardDelete: false } });
  }

  /**
   * OpenMetadata 2.0's server-side "mark deleted what was not seen" (DELETE /{collection}/deleteStale) within a
   * service; a soft delete. Answers how many it deleted when the server says (`count`, else `entities`), else
   * null. A server without the endpoint answers 404 (the caller falls back to list-and-delete).
   */
  async deleteStale(collection: 'dashboards' | 'charts', service: string, seenFqns: string[]): Promise<number | null> {
    const { data } = await this.http.request<{ count?: unknown; entities?: unknown }>({
      method: 'DELETE',
      url: `/${collection}/deleteStale`,
      data: { scopeFqn: service, scopeEntityType: 'service', seenFqns, dryRun: false, hardDelete: false, recursive: true },
    });
    if (typeof data?.count === 'number') return data.count;
    return Array.isArray(data?.entities) ? data.entities.length : null;
  }
}
