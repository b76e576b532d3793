import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { maskSecrets, SecretScrubber } from '../../activities/common/scrubber';
import { toActivityFailure } from '../../activities/failures';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJpbmdlc3Rpb24tYm90In0.c2lnbmF0dXJlLW5vdC1yZWFs';

test('a secret is masked only as a whole token, never inside a longer word or number', () => {
  const secrets = ['demo', 'hunter22', '1.12'];
  assert.equal(maskSecrets('service hex_demo and demo_x', secrets), 'service hex_demo and demo_x');
  assert.equal(maskSecrets('openMetadataVersion=1.12.6', secrets), 'openMetadataVersion=1.12.6');
  assert.equal(maskSecrets('password hunter22, then hunter223 and xhunter22', secrets), 'password ***, then hunter223 and xhunter22');
  assert.equal(maskSecrets('says "demo" twice: demo.', secrets), 'says "***" twice: ***.');
});

test('a secret is masked as written, JSON-escaped and URL-encoded, also right after an escape', () => {
  const secret = 'p@ss "word"/42';
  const text = `raw ${secret} json ${JSON.stringify({ v: secret })} url ?x=${encodeURIComponent(secret)}`;
  const out = maskSecrets(text, [secret]);
  assert.ok(!out.includes('ss "word') && !out.includes('ss \\"word') && !out.includes('p%40ss'), out);
  assert.equal(maskSecrets('token%3Dhxtw_0123456789 and\\nhxtw_0123456789', ['hxtw_0123456789']), 'token%3D*** and\\n***');
});

test('Bearer and Basic credentials and JWTs are masked whoever they belong to; prose about them is not', () => {
  const out = maskSecrets(`Authorization: Bearer hxtw_unknown_0123 | authorization: basic dXNlcjpwYXNzd29yZA== | ${JWT}`, []);
  assert.equal(out, 'Authorization: Bearer *** | authorization: basic *** | ***');
  const prose = 'Basic authentication is disabled; send a Bearer token. WWW-Authenticate: Bearer realm="api"';
  assert.equal(maskSecrets(prose, []), prose);
});

test('values, errors (message, stack, details, cause) and failures are scrubbed in depth, their class and retry kept', () => {
  const scrubber = new SecretScrubber();
  scrubber.add(['hxtw_secret_token_1']);
  const value = scrubber.scrubValue({ failures: [{ item: 'p1', reason: 'echo: hxtw_secret_token_1' }], count: 3, next: null });
  assert.deepEqual(value, { failures: [{ item: 'p1', reason: 'echo: ***' }], count: 3, next: null });

  const cause = new Error(`inner Bearer ${JWT}`);
  const failure = ApplicationFailure.create({
    type: 'ServiceError', message: 'OpenMetadata answered 400: hxtw_secret_token_1', nonRetryable: true, details: [{ body: 'hxtw_secret_token_1' }], cause,
  });
  const same = scrubber.scrubError(failure);
  assert.equal(same, failure);
  assert.equal(failure.message, 'OpenMetadata answered 400: ***');
  assert.ok(!failure.stack?.includes('hxtw_secret_token_1'));
  assert.deepEqual(failure.details, [{ body: '***' }]);
  assert.equal(failure.nonRetryable, true);
  assert.equal((failure.cause as Error).message, 'inner Bearer ***');
});

test('the failure of an activity names no secret, even one only shaped like a credential', () => {
  const failure = toActivityFailure(new Error(`Hex answered 400: {"headers":{"authorization":"Bearer ${JWT}"}} with pw0rd-secret`), ['pw0rd-secret']);
  assert.ok(!failure.message.includes(JWT.slice(0, 20)) && !failure.message.includes('pw0rd-secret'), failure.message);
});
