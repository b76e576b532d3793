import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logApiCall } from '../../activities/common/apiCallLog';
import { Log, LogSink, moreVerbose, parseFormat, parseLevel } from '../../activities/common/log';
import { redactQuery, scrubSecrets } from '../../activities/common/logRedaction';
import { telemetrySettings, TelemetryOptionError } from '../../worker/telemetry';

function capture(format: 'text' | 'json' = 'text', level: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' = 'DEBUG') {
  const lines: string[] = [];
  const log = new Log(new LogSink(format, (line) => lines.push(line)), level);
  return { log, lines };
}

test('levels parse in any case, WARNING as WARN; anything else is refused', () => {
  assert.equal(parseLevel('debug'), 'DEBUG');
  assert.equal(parseLevel(' Info '), 'INFO');
  assert.equal(parseLevel('WARNING'), 'WARN');
  assert.equal(parseLevel('error'), 'ERROR');
  assert.equal(parseLevel('LOUD'), null);
  assert.equal(parseLevel(3), null);
  assert.equal(parseFormat('JSON'), 'json');
  assert.equal(parseFormat('xml'), null);
  assert.equal(moreVerbose('INFO', 'DEBUG'), 'DEBUG');
  assert.equal(moreVerbose('WARN', 'INFO'), 'INFO');
});

test('a logger writes its level and above only', () => {
  const { log, lines } = capture('text', 'WARN');
  log.debug('d');
  log.info('i');
  log.warn('w');
  log.error('e');
  assert.deepEqual(lines.map((l) => l.split(' ').slice(1).filter(Boolean).join(' ')), ['WARN w', 'ERROR e']);
  assert.equal(log.atLevel('DEBUG').enabled('DEBUG'), true);
});

test('JSON lines carry ts, level, msg and the fields; fields cannot replace ts, level or msg', () => {
  const { log, lines } = capture('json');
  log.with({ ingestion: 'hex_prod' }).info('page ingested', { projectsSeen: 100, level: 'forged', error: new Error('boom'), big: 12n });
  const line = JSON.parse(lines[0]);
  assert.equal(line.level, 'INFO');
  assert.equal(line.msg, 'page ingested');
  assert.ok(!Number.isNaN(Date.parse(line.ts)));
  assert.equal(line.ingestion, 'hex_prod');
  assert.equal(line.projectsSeen, 100);
  assert.equal(line.error, 'Error: boom');
  assert.equal(line.big, '12');
});

test('text lines quote values with spaces and keep plain ones bare', () => {
  const { log, lines } = capture('text');
  log.info('api call', { service: 'Hex', path: '/api/v1/projects?limit=100', reason: 'two words' });
  assert.match(lines[0], /^\S+Z INFO  api call service=Hex path=\/api\/v1\/projects\?limit=100 reason="two words"$/);
});

test('secret-looking query parameters are masked, the rest kept', () => {
  assert.equal(redactQuery('/api/v1/projects?limit=100&after=abc'), '/api/v1/projects?limit=100&after=abc');
  assert.equal(
    redactQuery('/x?access_token=t0k&api_key=k3y&password=pw&client_secret=s&X-Amz-Signature=sig&q=ok'),
    '/x?access_token=***&api_key=***&password=***&client_secret=***&X-Amz-Signature=***&q=ok',
  );
  assert.equal(redactQuery('/no/query'), '/no/query');
});

test('the scrubber removes known secrets as written and JSON-escaped, bearer tokens and JWTs', () => {
  const secret = 'pa"ss\\word-123';
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib3QifQ.c2lnbmF0dXJl';
  const line = `${secret} ${JSON.stringify(secret)} Authorization: Bearer hxtw_abcdefgh12345 ${jwt} abc`;
  const out = scrubSecrets(line, new Set([secret, 'abc', '']));
  assert.ok(!out.includes('pa"ss'), out);
  assert.ok(!out.includes('pa\\"ss'), out);
  assert.ok(!out.includes('hxtw_abcdefgh12345'), out);
  assert.ok(!out.includes('eyJhbGciOiJIUzI1NiJ9'), out);
  assert.match(out, /Bearer \*\*\*/);
  assert.match(out, / abc$/, 'values shorter than 4 characters are not treated as secrets');
});

test('every line of a sink passes through the scrubber, SDK metadata and errors included', () => {
  const lines: string[] = [];
  const sink = new LogSink('json', (line) => lines.push(line));
  sink.addSecrets(['hunter2-password']);
  new Log(sink, 'INFO').warn('Activity failed', { error: new Error('login as bob with hunter2-password refused') });
  assert.ok(!lines[0].includes('hunter2-password'));
  assert.match(JSON.parse(lines[0]).error, /login as bob with \*\*\* refused/);
});

test('an API call is one DEBUG line with service, method, masked path, status, ms and rate-limit facts', () => {
  const { log, lines } = capture('json');
  logApiCall(log, { service: 'Hex', method: 'get', path: '/api/v1/projects?limit=100&token=abcd', status: 429, startedAt: Date.now() - 5, retryAfterMs: 2000 });
  const line = JSON.parse(lines[0]);
  assert.deepEqual(
    { level: line.level, service: line.service, method: line.method, path: line.path, status: line.status, rateLimited: line.rateLimited, retryAfterMs: line.retryAfterMs },
    { level: 'DEBUG', service: 'Hex', method: 'GET', path: '/api/v1/projects?limit=100&token=***', status: 429, rateLimited: true, retryAfterMs: 2000 },
  );
  assert.ok(line.ms >= 0);
  const quiet = capture('json', 'INFO');
  logApiCall(quiet.log, { service: 'Hex', method: 'GET', path: '/x', status: 200, startedAt: Date.now() });
  assert.equal(quiet.lines.length, 0);
});

test('flags win over HEXMETA_* variables; the fallback level applies when neither is given', () => {
  const env = { HEXMETA_LOG_LEVEL: 'warn', HEXMETA_LOG_FORMAT: 'json', HEXMETA_METRICS_ADDRESS: '127.0.0.1:9464' };
  assert.deepEqual(telemetrySettings({}, env), { level: 'WARN', format: 'json', metricsAddress: '127.0.0.1:9464' });
  assert.deepEqual(telemetrySettings({ logLevel: 'debug', logFormat: 'text', metricsAddress: '0.0.0.0:1' }, env), { level: 'DEBUG', format: 'text', metricsAddress: '0.0.0.0:1' });
  assert.deepEqual(telemetrySettings({}, {}, 'ERROR'), { level: 'ERROR', format: 'text', metricsAddress: null });
  assert.throws(() => telemetrySettings({ logLevel: 'LOUD' }, {}), TelemetryOptionError);
  assert.throws(() => telemetrySettings({ logFormat: 'xml' }, {}), TelemetryOptionError);
  assert.throws(() => telemetrySettings({ metricsAddress: '9464' }, {}), TelemetryOptionError);
});
