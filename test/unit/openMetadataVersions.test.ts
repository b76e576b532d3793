import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse, stringify } from 'yaml';
import { ConfigError } from '../../activities/config/errors';
import { resolveConfig } from '../../activities/config/load';
import { behaviourFor, behaviourOf } from '../../activities/openmetadata/serverBehaviour';

const fixture = join(__dirname, '..', 'fixtures', 'hex.yaml');
const env = { HEX_HOST: 'https://app.hex.tech', HEX_TOKEN: 'hxtw_secret_value', OM_HOST: 'http://localhost:8585/api', OM_JWT: 'jwt.secret.value' };

function resolveWith(mutate: (doc: any) => void) {
  const doc = parse(readFileSync(fixture, 'utf8'));
  mutate(doc);
  const path = join(mkdtempSync(join(tmpdir(), 'hexmeta-om2-')), 'hex.yaml');
  writeFileSync(path, stringify(doc));
  return resolveConfig({ configPath: path }, env);
}

test('1.x servers get the 1.12 behaviour, 2.x the 2.0 behaviour, without a warning', () => {
  for (const version of ['1.12.6', '1.12.14', '1.11.3']) {
    const chosen = behaviourFor(version);
    assert.equal(chosen.behaviour.name, '1.12', version);
    assert.equal(chosen.warning, null);
    assert.equal(chosen.behaviour.deleteStale, false);
    assert.equal(chosen.behaviour.bulkOverrideMetadata, false);
    assert.equal(chosen.behaviour.pipelineStatusesList, false);
    assert.equal(chosen.behaviour.liveProgress, false);
  }
  for (const version of ['2.0.7', '2.0.0-SNAPSHOT', '2.3.1']) {
    const chosen = behaviourFor(version);
    assert.equal(chosen.behaviour.name, '2.0', version);
    assert.equal(chosen.warning, null);
    assert.equal(chosen.behaviour.deleteStale, true);
    assert.equal(chosen.behaviour.bulkOverrideMetadata, true);
    assert.equal(chosen.behaviour.pipelineStatusesList, true);
    assert.equal(chosen.behaviour.liveProgress, true);
    assert.equal(chosen.behaviour.serverVersion, version);
  }
});

test('a future major gets the 2.0 behaviour and one warning naming the version', () => {
  const chosen = behaviourFor('3.1.0');
  assert.equal(chosen.behaviour.name, '2.0');
  assert.match(chosen.warning ?? '', /3\.1\.0 is newer .* using the 2\.0 behaviour/);
});

test('a version that cannot be read gets the 1.12 behaviour and a warning', () => {
  const chosen = behaviourFor('nightly');
  assert.equal(chosen.behaviour.name, '1.12');
  assert.match(chosen.warning ?? '', /"nightly"/);
});

test('a plan without a behaviour (made before versions were told apart) means 1.12', () => {
  assert.equal(behaviourOf({}).name, '1.12');
});

test('a 2.0 workflow file is accepted: includeUsage, markDeletedCharts and the sink override_metadata are honoured', () => {
  const config = resolveWith((doc) => {
    doc.source.sourceConfig.config.includeUsage = false;
    doc.source.sourceConfig.config.markDeletedCharts = false;
    doc.sink.config = { override_metadata: true };
  });
  assert.equal(config.plan.usage, false);
  assert.equal(config.plan.markDeletedCharts, false);
  assert.equal(config.plan.overrideMetadata, true);
});

test('the 2.0 keys default as OpenMetadata 2.0 does, and hexmeta.usage stays an alias of includeUsage', () => {
  const plain = resolveWith(() => undefined);
  assert.equal(plain.plan.usage, true);
  assert.equal(plain.plan.markDeletedCharts, true);
  assert.equal(plain.plan.overrideMetadata, false);
  assert.equal(resolveWith((doc) => { doc.hexmeta = { ...(doc.hexmeta ?? {}), usage: false }; }).plan.usage, false);
  assert.equal(resolveWith((doc) => { doc.source.sourceConfig.config.overrideMetadata = true; }).plan.overrideMetadata, true);
});

test('wrong types of the 2.0 keys, and an alias saying the opposite, are named by their paths', () => {
  let problems: string[] = [];
  try {
    resolveWith((doc) => {
      doc.source.sourceConfig.config.includeUsage = 'yes';
      doc.source.sourceConfig.config.markDeletedCharts = 1;
      doc.sink.config = { override_metadata: 'true' };
    });
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    problems = error.problems;
  }
  assert.ok(problems.includes('source.sourceConfig.config.includeUsage: must be boolean'), problems.join('\n'));
  assert.ok(problems.includes('source.sourceConfig.config.markDeletedCharts: must be boolean'), problems.join('\n'));
  assert.ok(problems.includes('sink.config.override_metadata: must be boolean'), problems.join('\n'));
  assert.throws(
    () => resolveWith((doc) => { doc.source.sourceConfig.config.includeUsage = true; doc.hexmeta = { ...(doc.hexmeta ?? {}), usage: false }; }),
    (error: unknown) => error instanceof ConfigError && error.problems.some((p) => p.startsWith('hexmeta.usage: is an alias of source.sourceConfig.config.includeUsage')),
  );
});
