import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fqnMatchesLocation, parsePrefix, tableLocation, withinPrefix } from '../../activities/openmetadata/tables';

test('a table FQN matches a name when every level the name gives agrees, without case', () => {
  const full = tableLocation('ANALYTICS.FINANCE.INVOICES', 'snowflake');
  assert.ok(fqnMatchesLocation('snow.analytics.finance.invoices', 'snow', full));
  assert.ok(!fqnMatchesLocation('snow.analytics.sales.invoices', 'snow', full));
  assert.ok(!fqnMatchesLocation('other.analytics.finance.invoices', 'snow', full));
  const bare = tableLocation('invoices', 'postgres');
  assert.ok(fqnMatchesLocation('pg.sales.public.INVOICES', 'pg', bare));
  assert.ok(!fqnMatchesLocation('pg.sales.public.invoices_old', 'pg', bare));
  // MySQL-family names sit under database `default`.
  const maria = tableLocation('shop.orders', 'mysql');
  assert.ok(fqnMatchesLocation('maria.default.shop.orders', 'maria', maria));
  assert.ok(!fqnMatchesLocation('maria.other.shop.orders', 'maria', maria));
  assert.ok(fqnMatchesLocation('"my.svc".db."dotted.schema".t', 'my.svc', tableLocation('db."dotted.schema".t', 'postgres')));
  assert.ok(!fqnMatchesLocation('pg.db.t', 'pg', bare), 'not a table FQN');
});

test('prefixes keep tables of their service, database and schema', () => {
  assert.ok(withinPrefix('pg.sales.public.orders', parsePrefix('pg')));
  assert.ok(withinPrefix('PG.Sales.public.orders', parsePrefix('pg.sales')));
  assert.ok(!withinPrefix('pg.sales.other.orders', parsePrefix('pg.sales.public')));
});
