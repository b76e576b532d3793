// Starts the OpenMetadata double: wires the store and routes to an HTTP server and exposes test hooks.
import { startJsonServer, type IncomingCall, type Reply } from '../http';
import { configuredOpenMetadataSpec } from '../openMetadataSpec';
import { ApiError } from './apiError';
import { EntityStore } from './entityStore';
import { quoteName } from './fqn';
import type { RouteContext } from './routes/context';
import { pipelineRuns } from './routes/pipelineStatus';
import { progressUpdates } from './routes/progress';
import { withRelease20Fields } from './routes/responses20';
import { fullVersion, releaseOf } from './release';
import { curate } from './resources/curation';
import { route } from './routes/router';
import { RequestValidator } from './rules/requestValidator';
import { seedDatabaseService, seedPeople, seedTable } from './seed';
import type { OpenMetadataServer, OpenMetadataServerOptions } from './types';

const WRITE_METHODS = new Set(['PUT', 'PATCH', 'DELETE', 'POST']);

export async function startOpenMetadataServer(options: OpenMetadataServerOptions): Promise<OpenMetadataServer> {
  const store = new EntityStore();
  const version = fullVersion(options.version ?? '1.12.6');
  const release = releaseOf(version);
  const validator = new RequestValidator({
    release,
    spec: configuredOpenMetadataSpec(options.specDir),
    keepBodies: options.keepValidatedBodies,
    bodyLogFile: process.env.HEXMETA_OM_BODY_LOG || undefined,
  });
  const ctx: RouteContext = { store, validator, release };
  const settings = { jwt: options.jwt, version };
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
    return release === '2.0' ? withRelease20Fields(call.path.replace(/^\/api\/v1\//, ''), answer) : answer;
  }

  const server = await startJsonServer(handle, { latencyMs: options.latencyMs });
  store.apiUrl = `${server.url}/api`;
  seedPeople(store, 'user', options.users);
  seedPeople(store, 'team', options.teams);

  const copiesOf = (type: string) => store.ofType(type).map((e) => structuredClone(e));
  return {
    url: store.apiUrl,
    version,
    release,
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
    progressUpdates: () => progressUpdates(ctx).map((u) => structuredClone(u)),
    curate: (type, fqn, fields) => curate(ctx, type, fqn, fields),
    pipelineStatusWrites: () => pipelineRuns(ctx).writes.map((w) => structuredClone(w)),
    writeCount: () => writes,
    validatedBodies: () => validator.accepted.map((entry) => structuredClone(entry)),
    close: server.close,
  };
}
