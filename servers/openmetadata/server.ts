// Starts the OpenMetadata double: wires the store and routes to an HTTP server and exposes test hooks.
import { startJsonServer, type IncomingCall, type Reply } from '../http';
import { configuredOpenMetadataSpec } from '../openMetadataSpec';
import { ApiError } from './apiError';
import { EntityStore } from './entityStore';
import { quoteName } from './fqn';
import type { RouteContext } from './routes/context';
import { pipelineRuns } from './routes/pipelineStatus';
import { route } from './routes/router';
import { RequestValidator } from './rules/requestValidator';
import { seedDatabaseService, seedPeople, seedTable } from './seed';
import type { OpenMetadataServer, OpenMetadataServerOptions } from './types';

const WRITE_METHODS = new Set(['PUT', 'PATCH', 'DELETE', 'POST']);

export async function startOpenMetadataServer(options: OpenMetadataServerOptions): Promise<OpenMetadataServer> {
  const store = new EntityStore();
  const validator = new RequestValidator({
    spec: configuredOpenMetadataSpec(options.specDir),
    keepBodies: options.keepValidatedBodies,
    bodyLogFile: process.env.HEXMETA_OM_BODY_LOG || undefined,
  });
  const ctx: RouteContext = { store, validator };
  const settings = { jwt: options.jwt, version: options.version ?? '1.12.6' };
  let writes = 0;

  function handle(call: IncomingCall): Reply {
    let answer: Reply;
    try {
      answer = route(ctx, settings, call);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      answer = { status: error.status, body: { code: error.status, message: error.message } };
    }
    if (WRITE_METHODS.has(call.method) && answer.status >= 200 && answer.status < 300) writes += 1;
    return answer;
  }

  const server = await startJsonServer(handle, { latencyMs: options.latencyMs });
  store.apiUrl = `${server.url}/api`;
  seedPeople(store, 'user', options.users);
  seedPeople(store, 'team', options.teams);

  const copiesOf = (type: string) => store.ofType(type).map((e) => structuredClone(e));
  return {
    url: store.apiUrl,
    requests: server.requests,
    injectFault: (fault) => server.faults.add(fault),
    omitFromBulkAnswers: (count) => { ctx.bulkAnswersOmitting = (ctx.bulkAnswersOmitting ?? 0) + count; },
    addDatabaseService: (name, serviceType, connectionConfig) => seedDatabaseService(store, validator, name, serviceType, connectionConfig),
    addTable: (fqn, opts) => seedTable(store, validator, fqn, opts),
    dashboards: () => copiesOf('dashboard'),
    dashboardService: (name) => {
      const entity = store.byFqn('dashboardService', quoteName(name), 'all');
      return entity ? structuredClone(entity) : undefined;
    },
    classifications: () => copiesOf('classification'),
    tags: () => copiesOf('tag'),
    lineageEdges: () => [...store.edges.values()].map((e) => structuredClone(e)),
    ingestionPipeline: (fqn) => {
      const entity = store.byFqn('ingestionPipeline', fqn, 'all');
      return entity ? structuredClone(entity) : undefined;
    },
    pipelineStatusWrites: () => pipelineRuns(ctx).writes.map((w) => structuredClone(w)),
    writeCount: () => writes,
    validatedBodies: () => validator.accepted.map((entry) => structuredClone(entry)),
    close: server.close,
  };
}
