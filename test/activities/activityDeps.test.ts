import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { processLog } from '../../activities/common/log';
import { resolveConfig } from '../../activities/config/load';
import { defaultActivityDeps, type ActivityDeps, type HistorySourceFactory } from '../../activities/runtime/deps';
import { nameDigest } from '../../activities/mapping/seen';
import type { CreateDashboard } from '../../activities/openmetadata/types';
import type { LineageResult } from '../../activities/types';
import { authenticationError, readError, WarehouseError } from '../../activities/warehouses/errors';
import type { QueryHistorySource } from '../../activities/warehouses/types';
import { startOpenMetadataServer, type OpenMetadataServer } from '../../servers/openMetadataServer';
import { baseWorkflowFile } from '../support/world';

// Activities built from deps given from outside: real clients against the local OpenMetadata server, the
// warehouse readers made by hand, each activity run in the SDK's mock activity environment.

const JWT = 'eyJhbGciOiJSUzI1NiJ9.deps-test.signature';
const SERVICE = 'hex_deps';
const WINDOW = { start: '2024-01-01T00:00:00.000Z', end: '2024-01-02T00:00:00.000Z' };

let server: OpenMetadataServer;
let env: NodeJS.ProcessEnv;
const source = () => ({ config: baseWorkflowFile(SERVICE) });
const plan = () => resolveConfig(source(), env).plan;

/** The worker's deps, with the number of client sets built and the history reader replaced. */
function depsWith(historySources: HistorySourceFactory): ActivityDeps & { built: number } {
  const worker = defaultActivityDeps(env);
  const deps = {
    ...worker,
    built: 0,
    historySources,
    clients: (...args: Parameters<ActivityDeps['clients']>) => {
      deps.built++;
      return worker.clients(...args);
    },
  };
  return deps;
}

/** A reader whose first page fails with `error`. */
const failingReader = (error: Error): HistorySourceFactory => () => ({
  dialect: 'postgres',
  readPage: async () => { throw error; },
  close: async () => undefined,
}) satisfies QueryHistorySource;

before(async () => {
  server = await startOpenMetadataServer({ jwt: JWT });
  // HEX_HOST is never called by these activities: nothing listens there.
  env = { HEX_HOST: 'http://127.0.0.1:9', HEX_TOKEN: 'hxtw_deps_token', OM_HOST: server.url, OM_JWT: JWT };
  server.addDatabaseService('wh', 'Postgres', { type: 'Postgres', hostPort: 'db.internal:5432', username: 'reader', authType: { password: 'pw' }, database: 'shop' });
});

after(() => server?.close());

describe('activities with deps from outside', () => {
  it('markDeletedDashboards soft-deletes the dashboards the listing did not keep, with clients built once per source', async () => {
    const deps = depsWith(failingReader(new Error('not read')));
    const activities = createActivities(deps);
    const { openMetadata } = deps.clients(resolveConfig(source(), env), processLog());
    deps.built = 0;
    await openMetadata.putDashboardService({ name: SERVICE, serviceType: 'Hex', connection: { config: { type: 'Hex', hostPort: 'https://app.hex.tech', tokenType: 'workspace', token: 'x' } } });
    await openMetadata.putDashboardsBulk(['kept', 'gone'].map((name) => ({ name, service: SERVICE, displayName: name } as CreateDashboard)));

    const mock = new MockActivityEnvironment();
    const input = { source: source(), plan: plan(), seenDigests: nameDigest('kept') };
    const result = await mock.run(activities.markDeletedDashboards, input);
    assert.deepEqual(result, { deleted: 1, failures: [] });
    assert.deepEqual(server.dashboards().filter((d: any) => !d.deleted).map((d: any) => d.name), ['kept']);

    // Run again: nothing left to delete, and the clients of this source are not built again.
    assert.deepEqual(await mock.run(activities.markDeletedDashboards, input), { deleted: 0, failures: [] });
    assert.equal(deps.built, 1);
  });

  it('lineageForPrefix turns a refused warehouse credential into a warning naming the warehouse, not a failed run', async () => {
    const activities = createActivities(depsWith(failingReader(authenticationError('Postgres rejected the credentials: password authentication failed'))));
    const result: LineageResult = await new MockActivityEnvironment().run(activities.lineageForPrefix, {
      source: source(), plan: plan(), runKey: 'run-auth', prefix: 'wh', window: WINDOW,
    });
    assert.deepEqual(result.warnings, [{ item: 'wh', reason: 'no lineage from this warehouse: Postgres rejected the credentials: password authentication failed' }]);
    assert.equal(result.incomplete, undefined);
  });

  it('lineageForPrefix fails retryably, as a WarehouseReadError naming the warehouse, when a read fails', async () => {
    const failure = readError('Postgres query history read failed: connection reset');
    failure.warehouse = 'Postgres';
    const activities = createActivities(depsWith(failingReader(failure)));
    await assert.rejects(
      new MockActivityEnvironment().run(activities.lineageForPrefix, { source: source(), plan: plan(), runKey: 'run-read', prefix: 'wh', window: WINDOW }),
      (error: unknown) => {
        assert.ok(error instanceof ApplicationFailure);
        assert.equal(error.type, 'WarehouseReadError');
        assert.equal(error.nonRetryable, false);
        assert.equal(error.message, 'Postgres query history read failed: connection reset');
        assert.deepEqual(error.details, [{ warehouse: 'Postgres', setting: null }]);
        return true;
      },
    );
  });

  it('the worker\'s own warehouse factory names the warehouse and the setting of a configuration error', () => {
    const { historySources } = defaultActivityDeps(env);
    assert.throws(() => historySources({ type: 'Postgres', username: 'reader', authType: { password: 'pw' }, database: 'shop' }), (error: unknown) => {
      assert.ok(error instanceof WarehouseError);
      assert.deepEqual([error.type, error.nonRetryable, error.warehouse, error.setting], ['WarehouseConfigurationError', true, 'Postgres', 'hostPort']);
      assert.match(error.message, /missing required key "hostPort"/);
      return true;
    });
  });
});

describe('warehouse errors', () => {
  it('carry the failure type and retry rule the activity reports', () => {
    const refused = authenticationError('Trino rejected the credentials (HTTP 401)');
    assert.ok(refused instanceof WarehouseError);
    assert.deepEqual([refused.type, refused.nonRetryable], ['WarehouseAuthenticationError', true]);
    const failed = readError('Trino query history request failed: HTTP 502');
    assert.deepEqual([failed.type, failed.nonRetryable], ['WarehouseReadError', false]);
  });
});
