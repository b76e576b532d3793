import { casesFor } from './corpusHelpers';

export const snowflakeCases = casesFor('snowflake', { defaultDatabase: 'ANALYTICS', defaultSchema: 'PUBLIC' }, [
  ['fully qualified', 'select region, sum(amount) as revenue from analytics.finance.fct_invoices group by 1', ['ANALYTICS.FINANCE.FCT_INVOICES']],
  ['quoted keeps case', 'SELECT o.order_id, c.segment\nFROM "SALES"."PUBLIC"."ORDERS" o JOIN "Sales"."Public"."Customers" c ON c.id = o.customer_id\nLIMIT 100',
    ['SALES.PUBLIC.ORDERS', 'Sales.Public.Customers']],
  ['unqualified uses defaults', 'select * from orders where status = \'open\'', ['ANALYTICS.PUBLIC.ORDERS']],
  ['schema qualified', 'select count(*) from crm.accounts a left join crm.contacts c on a.id = c.account_id', ['ANALYTICS.CRM.ACCOUNTS', 'ANALYTICS.CRM.CONTACTS']],
  ['cte not a table', `with recent as (
  select * from raw.events where ts > dateadd(day, -7, current_timestamp())
), agg as (select user_id, count(*) n from recent group by 1)
select * from agg join dim.users u on u.id = agg.user_id`, ['ANALYTICS.DIM.USERS', 'ANALYTICS.RAW.EVENTS']],
  ['cte shadows table inside own body', 'with orders as (select * from orders where amount > 0) select * from orders', ['ANALYTICS.PUBLIC.ORDERS']],
  ['recursive cte', `with recursive tree (id, parent_id, depth) as (
  select id, parent_id, 0 from org.nodes where parent_id is null
  union all
  select n.id, n.parent_id, t.depth + 1 from org.nodes n join tree t on n.parent_id = t.id
) select * from tree`, ['ANALYTICS.ORG.NODES']],
  ['lateral flatten', 'select e.id, f.value:name::string from raw.events e, lateral flatten(input => e.payload:items) f', ['ANALYTICS.RAW.EVENTS']],
  ['table flatten', 'select f.value from raw.events e, table(flatten(e.tags)) f', ['ANALYTICS.RAW.EVENTS']],
  ['generator', 'select seq4() from table(generator(rowcount => 10))', []],
  ['insert select reads only', 'insert into mart.daily_revenue select day, sum(amount) from finance.payments group by 1', ['ANALYTICS.FINANCE.PAYMENTS']],
  ['ctas', 'create or replace transient table mart.tmp_users as select * from raw.users where active', ['ANALYTICS.RAW.USERS']],
  ['merge', `merge into mart.customers t using (select * from staging.customers_delta) s on t.id = s.id
when matched then update set t.name = s.name when not matched then insert (id, name) values (s.id, s.name)`, ['ANALYTICS.STAGING.CUSTOMERS_DELTA']],
  ['merge using table', 'merge into mart.customers t using staging.customers s on t.id = s.id when matched then delete', ['ANALYTICS.STAGING.CUSTOMERS']],
  ['update from', 'update mart.orders o set status = s.status from staging.order_status s where o.id = s.id', ['ANALYTICS.STAGING.ORDER_STATUS']],
  ['use database then schema', 'use database SALES;\nuse schema CORE;\nselect * from deals', ['SALES.CORE.DEALS']],
  ['use qualified schema', 'use schema finance.reporting;\nselect * from kpis k join ledger.entries e on true', ['FINANCE.LEDGER.ENTRIES', 'FINANCE.REPORTING.KPIS']],
  ['strings and comments', `select 'from fake_table' as s, $$ join other_fake $$ as t -- from commented_table
/* join block_comment_table */ // from slash_comment
from real.events`, ['ANALYTICS.REAL.EVENTS']],
  ['jinja parameters', "select * from sales.orders where region = {{ region }} and created_at >= '{{ start_date }}'\n{% if limit %} limit 10 {% endif %}", ['ANALYTICS.SALES.ORDERS']],
  ['subquery in where', 'select * from sales.orders where customer_id in (select id from sales.vip_customers) and exists (select 1 from sales.flags f where f.id = orders.id)',
    ['ANALYTICS.SALES.FLAGS', 'ANALYTICS.SALES.ORDERS', 'ANALYTICS.SALES.VIP_CUSTOMERS']],
  ['union', 'select id from a.t1 union all select id from a.t2 minus select id from a.t3', ['ANALYTICS.A.T1', 'ANALYTICS.A.T2', 'ANALYTICS.A.T3']],
  ['extract from is not a table', "select extract(year from created_at) y, trim(both ' ' from name) from crm.people", ['ANALYTICS.CRM.PEOPLE']],
  ['stage is not a table', "copy into raw.landing from @my_stage/path file_format = (type = 'csv')", []],
  ['time travel', 'select * from sales.orders at(offset => -60*5) where id is distinct from 3', ['ANALYTICS.SALES.ORDERS']],
  ['qualify and window', 'select *, row_number() over (partition by user_id order by ts desc) rn from raw.sessions qualify rn = 1', ['ANALYTICS.RAW.SESSIONS']],
  ['pivot', "select * from finance.monthly pivot(sum(amount) for month in ('JAN', 'FEB')) as p", ['ANALYTICS.FINANCE.MONTHLY']],
  ['no defaults schema.table', 'select * from crm.accounts', ['CRM.ACCOUNTS'], { defaultDatabase: null, defaultSchema: null }],
]);
