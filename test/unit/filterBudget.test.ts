import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FilterUndecided, isFilteredOut } from '../../activities/mapping/filter';
import { compileFilterPattern, MATCH_BUDGET_MS, MatchTimeout } from '../../activities/mapping/pythonRegex';
import { validateWorkflowFile } from '../../activities/config/validate';
import { baseWorkflowFile } from '../support/world';

const HOSTILE_TITLE = `${'a'.repeat(60)}!`;

function timed<T>(work: () => T): { value: T | Error; ms: number } {
  const started = performance.now();
  try {
    return { value: work(), ms: performance.now() - started };
  } catch (error) {
    return { value: error as Error, ms: performance.now() - started };
  }
}

test('catastrophic patterns RE2 can run finish at once on a hostile title, with the right answer', () => {
  const cases: [string, boolean][] = [['(a+)+$', false], ['(a|aa)+$', false], ['(.*a){20}', true], ['^(([a-z])+.)+[A-Z]([a-z])+$', false]];
  for (const [pattern, matches] of cases) {
    for (const title of [HOSTILE_TITLE, `${'a'.repeat(30_000)}!`]) {
      const { value, ms } = timed(() => isFilteredOut(title, { includes: [], excludes: [pattern] }));
      assert.equal(value, matches, pattern);
      assert.ok(ms < 2_000, `${pattern}: ${ms} ms`);
    }
  }
});

test('a lookahead pattern that backtracks is interrupted within its budget; the item is undecided, never kept or filtered', () => {
  // Not the string the next test compiles: a pattern that ran out stays disabled in this process.
  const pattern = '(?=a)(a|a)*$(?:)';
  const filter = { includes: [], excludes: [pattern] };
  const first = timed(() => isFilteredOut(HOSTILE_TITLE, filter));
  assert.ok(first.value instanceof FilterUndecided, String(first.value));
  assert.match(first.value.message, /filter pattern "\(\?=a\)\(a\|a\)\*\$\(\?:\)" could not decide for this title \(it was stopped after 50 ms/);
  assert.ok(first.ms < 2_000, `${first.ms} ms`);
  // Disabled from then on: 10,000 further titles cost no more matching, and each is undecided.
  const rest = timed(() => {
    let undecided = 0;
    for (let i = 0; i < 10_000; i++) {
      try {
        isFilteredOut(`${HOSTILE_TITLE}${i}`, filter);
      } catch (error) {
        if (error instanceof FilterUndecided) undecided++;
      }
    }
    return undecided;
  });
  assert.equal(rest.value, 10_000);
  assert.ok(rest.ms < 2_000, `${rest.ms} ms`);
  // An exclude that matches still wins; an include that matches cannot rescue an undecided exclude.
  assert.equal(isFilteredOut('tmp a', { includes: [], excludes: [pattern, '^tmp'] }), true);
  assert.throws(() => isFilteredOut('orders', { includes: ['^ord'], excludes: [pattern] }), FilterUndecided);
  // As an include, another include that matches decides.
  assert.equal(isFilteredOut('orders', { includes: [pattern, '^ord'], excludes: [] }), false);
});

test('the time-limited matcher itself throws MatchTimeout after its budget, and answers normally otherwise', () => {
  const matcher = compileFilterPattern('(?=a)(a|a)*$', MATCH_BUDGET_MS);
  assert.equal(matcher('aaa'), true);
  assert.equal(matcher('b'), false);
  const { value, ms } = timed(() => matcher(HOSTILE_TITLE));
  assert.ok(value instanceof MatchTimeout, String(value));
  assert.ok(ms < 2_000, `${ms} ms`);
});

test('backreference and lookaround patterns with nested quantifiers are refused at validation, naming the path and why', () => {
  const doc = baseWorkflowFile('svc');
  doc.source.serviceConnection.config.hostPort = 'https://app.hex.tech';
  doc.source.serviceConnection.config.token = 'hxtw_0123456789';
  doc.workflowConfig.openMetadataServerConfig.hostPort = 'http://localhost:8585/api';
  doc.workflowConfig.openMetadataServerConfig.securityConfig.jwtToken = 'eyJ.eyJ.sig-long-enough';
  doc.source.sourceConfig.config.dashboardFilterPattern = { includes: [], excludes: ['(a*)*\\1', '(?=a)(a+)+$', '(?=a)(a|a)*$'] };
  const { value, ms } = timed(() => validateWorkflowFile(doc));
  assert.ok(ms < 2_000);
  assert.deepEqual((value as string[]).map((p) => p.split(': ')[0]), [
    'source.sourceConfig.config.dashboardFilterPattern.excludes[0]',
    'source.sourceConfig.config.dashboardFilterPattern.excludes[1]',
  ]);
  for (const problem of value as string[]) assert.match(problem, /invalid regular expression .*nested quantifiers, which can backtrack/);
});

test('a lookahead pattern that behaves still filters, with Python re.match semantics', () => {
  assert.equal(isFilteredOut('tmp_orders', { includes: ['^(?!tmp)'], excludes: [] }), true);
  assert.equal(isFilteredOut('Orders', { includes: ['(?=o)ord'], excludes: [] }), false);
});
