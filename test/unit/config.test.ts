import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse, stringify } from 'yaml';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../activities/config/errors';
import { resolveConfig } from '../../activities/config/load';

const fixture = join(__dirname, '..', 'fixtures', 'hex.yaml');
const env = { HEX_HOST: 'https://app.hex.tech', HEX_TOKEN: 'hxtw_secret_value', OM_HOST: 'http://localhost:8585/api', OM_JWT: 'jwt.secret.value' };

function problemsOf(mutate: (doc: any) => void, environment: NodeJS.ProcessEnv = env): string[] {
  const doc = parse(readFileSync(fixture, 'utf8'));
  mutate(doc);
  const path = join(mkdtempSync(join(tmpdir(), 'hexmeta-config-')), 'hex.yaml');
  writeFileSync(path, stringify(doc));
  try {
    resolveConfig({ configPath: path }, environment);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
  return [];
}

test('the documented Hex workflow file resolves into a plan with its secrets kept apart', () => {
  const config = resolveConfig({ configPath: fixture }, env);
  assert.equal(config.plan.serviceName, 'hex_test');
  assert.equal(config.plan.hexHostPort, 'https://app.hex.tech');
  assert.equal(config.plan.tokenType, 'workspace');
  assert.deepEqual(config.plan.dashboardFilterPattern, { includes: [], excludes: ['^scratch'] });
  assert.equal(config.plan.markDeletedDashboards, true);
  assert.equal(config.hexToken, 'hxtw_secret_value');
  assert.equal(config.jwtToken, 'jwt.secret.value');
  assert.ok(!JSON.stringify(config.plan).includes('secret'), 'the plan carries no secret');
});

test('a wrong token type is named by its path', () => {
  assert.deepEqual(problemsOf((d) => { d.source.serviceConnection.config.tokenType = 'team'; }),
    ['source.serviceConnection.config.tokenType: must be personal or workspace']);
});

test('every problem is listed, not only the first', () => {
  const problems = problemsOf((d) => {
    d.source.serviceConnection.config.includeTags = 'yes';
    d.source.sourceConfig.config.markDeleted = true;
    delete d.workflowConfig.openMetadataServerConfig.hostPort;
    d.workflowConfig.loggerLevel = 'LOUD';
  });
  assert.deepEqual(problems.sort(), [
    'source.serviceConnection.config.includeTags: must be boolean',
    'source.sourceConfig.config.markDeleted: unknown key',
    'workflowConfig.loggerLevel: must be DEBUG or INFO or WARN or ERROR',
    'workflowConfig.openMetadataServerConfig.hostPort: is required',
  ]);
});

test('an invalid regular expression in a filter pattern is a configuration error', () => {
  const problems = problemsOf((d) => { d.source.sourceConfig.config.dashboardFilterPattern.includes = ['(unclosed']; });
  assert.equal(problems.length, 1);
  assert.match(problems[0], /^source\.sourceConfig\.config\.dashboardFilterPattern\.includes\[0\]: invalid regular expression/);
});

test('lookaround with nested quantifiers is refused as a configuration error', () => {
  const problems = problemsOf((d) => { d.source.sourceConfig.config.dashboardFilterPattern.includes = ['(?=x)(a+)+$', '(a+)+$']; });
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0], /^source\.sourceConfig\.config\.dashboardFilterPattern\.includes\[0\]: invalid regular expression .*backtrack/);
});

test('a missing environment variable is named with the path that uses it', () => {
  const { HEX_TOKEN: _unused, ...partial } = env;
  assert.deepEqual(problemsOf(() => undefined, partial), ['source.serviceConnection.config.token: environment variable HEX_TOKEN is not set']);
});

test('wrong source type, missing sink and a bad URL are reported', () => {
  const problems = problemsOf((d) => {
    d.source.type = 'tableau';
    delete d.sink;
    d.source.serviceConnection.config.hostPort = 'not a url';
  });
  assert.ok(problems.includes('source.type: must be hex or Hex'), problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('sink: is required')), problems.join('\n'));
  assert.ok(problems.includes('source.serviceConnection.config.hostPort: must be a valid URL'), problems.join('\n'));
});

test('an inline configuration must not carry literal secrets (they would enter workflow history)', () => {
  const doc = parse(readFileSync(fixture, 'utf8'));
  doc.source.serviceConnection.config.token = 'hxtw_literal';
  assert.throws(() => resolveConfig({ config: doc }, env), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.problems[0], /^source\.serviceConnection\.config\.token: write the secret as a \$\{ENV\} reference/);
    assert.ok(!error.message.includes('hxtw_literal'));
    return true;
  });
});

test('error messages never contain secret values', () => {
  const problems = problemsOf((d) => { d.source.serviceConnection.config.token = 12345; });
  assert.deepEqual(problems, ['source.serviceConnection.config.token: must be string']);
});
