import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse, stringify } from 'yaml';
import { ConfigError } from '../../activities/config/errors';
import { resolveConfig } from '../../activities/config/load';
import { MAX_CONFIG_BYTES } from '../../activities/config/size';

const fixture = join(__dirname, '..', 'fixtures', 'hex.yaml');
const env = { HEX_HOST: 'https://app.hex.tech', HEX_TOKEN: 'hxtw_secret_value', OM_HOST: 'http://localhost:8585/api', OM_JWT: 'jwt.secret.value' };

function writeConfig(mutate: (doc: any) => void): string {
  const doc = parse(readFileSync(fixture, 'utf8'));
  mutate(doc);
  const path = join(mkdtempSync(join(tmpdir(), 'hexmeta-config-')), 'hex.yaml');
  writeFileSync(path, stringify(doc));
  return path;
}

function problemsOf(mutate: (doc: any) => void, environment: NodeJS.ProcessEnv = env): string[] {
  try {
    resolveConfig({ configPath: writeConfig(mutate) }, environment);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
  return [];
}

test('a secret shorter than 8 characters is refused, naming its field and never its value', () => {
  const problems = problemsOf((doc) => {
    doc.warehouses = { pg: { type: 'Postgres', hostPort: 'h:5432', username: 'u', authType: { password: 'demo' } } };
  }, { ...env, HEX_TOKEN: 'hx_1234' });
  assert.deepEqual(problems.map((p) => p.split(':')[0]), ['source.serviceConnection.config.token', 'warehouses.pg.authType.password']);
  assert.match(problems[0], /at least 8 characters long \(this one has 7\)/);
  assert.ok(!problems.join('\n').includes('hx_1234') && !problems.join('\n').includes('demo'), problems.join('\n'));
});

test('secrets of 8 characters or more pass, and an empty password is no secret to mask', () => {
  assert.deepEqual(problemsOf((doc) => {
    doc.warehouses = {
      pg: { type: 'Postgres', hostPort: 'h:5432', username: 'u', authType: { password: 'eight888' } },
      trusting: { type: 'Postgres', hostPort: 'h:5432', username: 'u', authType: { password: '' } },
    };
  }), []);
});

test('credentials in the Hex or OpenMetadata hostPort are refused (they would be sent as Basic instead of the token)', () => {
  const problems = problemsOf(() => undefined, {
    ...env, HEX_HOST: 'https://me:hunter2-pass@app.hex.tech', OM_HOST: 'http://admin@localhost:8585/api',
  });
  assert.equal(problems.length, 2, problems.join('\n'));
  assert.match(problems[0], /^source\.serviceConnection\.config\.hostPort: must not contain credentials .*source\.serviceConnection\.config\.token/);
  assert.match(problems[1], /^workflowConfig\.openMetadataServerConfig\.hostPort: must not contain credentials .*securityConfig\.jwtToken/);
  assert.ok(!problems.join('\n').includes('hunter2-pass'));
});

test('a configuration too large for Temporal payloads is refused before anything else, naming where its bulk is', () => {
  const started = Date.now();
  const problems = problemsOf((doc) => {
    doc.source.sourceConfig.config.dashboardFilterPattern = { excludes: Array.from({ length: 12_000 }, (_, i) => `^scratch number ${i} of many$`) };
    doc.source.serviceConnection.config.tokenType = 'team'; // not reported: the size is the one problem
  });
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0], /^source\.sourceConfig\.config\.dashboardFilterPattern\.excludes: the configuration is \d{3} KB as JSON, most of it here; at most 256 KB is accepted/);
  assert.ok(Date.now() - started < 10_000);
});

test('a file of 33 MB is refused unparsed', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'hexmeta-config-')), 'hex.yaml');
  writeFileSync(path, `${readFileSync(fixture, 'utf8')}\n# ${'x'.repeat(33_000_000)}\n`);
  const started = Date.now();
  assert.throws(() => resolveConfig({ configPath: path }, env), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.problems[0], /the file has 33,\d{3},\d{3} characters; at most 1,048,576 are read/);
    return true;
  });
  assert.ok(Date.now() - started < 5_000, 'refused before the YAML parse');
  assert.ok(MAX_CONFIG_BYTES < 2 * 1024 * 1024);
});

test('a configuration just under the limit passes', () => {
  assert.deepEqual(problemsOf((doc) => {
    doc.source.sourceConfig.config.dashboardFilterPattern = { excludes: Array.from({ length: 6_000 }, (_, i) => `^scratch number ${i} of many$`) };
  }), []);
});
