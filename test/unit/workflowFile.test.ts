import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { substituteEnv } from '../../activities/config/env';
import { PIPELINE_KEYS_NEW_IN_2_0, workflowFileSchema } from '../../activities/config/schema';
import { validateWorkflowFile } from '../../activities/config/validate';
import { HEX_CONNECTION_PROPERTIES } from '../../servers/openmetadata/rules/requestRules';
import { configuredOpenMetadataSpec } from '../../servers/openMetadataSpec';

const env = { HEX_HOST: 'https://app.hex.tech', HEX_TOKEN: 'hxtw_0123456789', OM_HOST: 'http://localhost:8585/api', OM_JWT: 'eyJhbGciOi.test.signature' };

function readmeExample(): any {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const block = /## The workflow file\s+```yaml\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'README has the workflow file example');
  return parse(block[1]);
}

function withoutExtensions(doc: any): any {
  const { hexmeta: _h, warehouses: _w, queryHistory: _q, ...openMetadataPart } = doc;
  return openMetadataPart;
}

// OpenMetadata's own schemas where OPENMETADATA_SPEC_DIR names them (CI sets it); hexmeta's checks always.
const spec = configuredOpenMetadataSpec();

test('the files hexmeta documents and tests with are valid workflow files (OpenMetadata\'s too, with its schemas)', () => {
  const validate = spec && (spec as any).validator('metadataIngestion/workflow.json#/properties/openMetadataWorkflowConfig');
  for (const [name, doc] of [
    ['test/fixtures/hex.yaml', parse(readFileSync(join(__dirname, '..', 'fixtures', 'hex.yaml'), 'utf8'))],
    ['README example', readmeExample()],
  ] as const) {
    const resolved = substituteEnv(doc, { ...env, PG_PASSWORD: 'pg-password-1' }).value;
    assert.deepEqual(validateWorkflowFile(resolved), [], name);
    if (validate) assert.ok(validate(withoutExtensions(resolved)), `${name}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
  }
});

test('hexmeta accepts exactly the keys OpenMetadata defines for the Hex connection and dashboard pipeline (1.12, plus 2.0\'s pipeline additions)', () => {
  const ours = workflowFileSchema.properties.source.properties;
  assert.deepEqual(Object.keys(ours.serviceConnection.properties.config.properties).sort(), [...HEX_CONNECTION_PROPERTIES].sort());
  if (!spec) return;
  assert.deepEqual(
    Object.keys(ours.serviceConnection.properties.config.properties).sort(),
    spec.propertyNames('entity/services/connections/dashboard/hexConnection.json').sort(),
  );
  assert.deepEqual(
    Object.keys(ours.sourceConfig.properties.config.properties).sort(),
    // The schemas here are 1.12's; hexmeta also takes the keys 2.0 added to the pipeline.
    [...spec.propertyNames('metadataIngestion/dashboardServiceMetadataPipeline.json'), ...PIPELINE_KEYS_NEW_IN_2_0].sort(),
  );
  assert.deepEqual(
    Object.keys(workflowFileSchema.properties.workflowConfig.properties.openMetadataServerConfig.properties).sort(),
    spec.propertyNames('entity/services/connections/metadata/openMetadataConnection.json').sort(),
  );
});
