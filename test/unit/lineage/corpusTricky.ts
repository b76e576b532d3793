import { casesFor } from './corpusHelpers';

/** Constructs that trip simple scanners: scoping, odd joins, statements that read nothing. */
export const trickyCases = [
  ...casesFor('snowflake', { defaultDatabase: 'DB', defaultSchema: 'S' }, [
    ['later cte is not visible in an earlier one', 'with b as (select * from a), a as (select * from real_a) select * from b join a using (id)', ['DB.S.A', 'DB.S.REAL_A']],
    ['cte used from a nested subquery', 'with x as (select * from t1) select * from t2 where id in (select id from x)', ['DB.S.T1', 'DB.S.T2']],
    ['double dot means PUBLIC', 'select * from other_db..events', ['OTHER_DB.PUBLIC.EVENTS']],
    ['result_scan table function', 'select * from table(result_scan(last_query_id()))', []],
    ['set from a subquery', 'set max_day = (select max(day) from mart.daily)', ['DB.MART.DAILY']],
    ['statements that read nothing', 'alter session set timezone = \'UTC\'; show tables; describe table mart.daily; drop table if exists tmp.x', []],
    ['parenthesised join inside join', 'select * from a join (b join c on b.id = c.id) on a.id = b.id', ['DB.S.A', 'DB.S.B', 'DB.S.C']],
    ['subquery alias then comma', 'select * from (select * from t1) x, t2 where x.id = t2.id', ['DB.S.T1', 'DB.S.T2']],
    ['filter and within group', 'select listagg(a, \',\') within group (order by a), count(*) from s2.t', ['DB.S2.T']],
    ['natural and full outer', 'select * from t1 natural full outer join t2 cross join t3', ['DB.S.T1', 'DB.S.T2', 'DB.S.T3']],
    ['any subquery and having subquery', 'select k from t1 where v = any (select v from t2) group by k having count(*) > (select count(*) from t3)', ['DB.S.T1', 'DB.S.T2', 'DB.S.T3']],
    ['quoted name with a dot', 'select * from "my.schema"."Tab"', ['DB.my.schema.Tab']],
    ['unicode identifiers', 'select * from ventes.clients_é', ['DB.VENTES.CLIENTS_É']],
    ['explain', 'explain select * from mart.daily', ['DB.MART.DAILY']],
    ['clone reads its source', 'create table mart.backup clone mart.daily', ['DB.MART.DAILY']],
    ['nested with shadows outer cte', 'with a as (select 1 x), b as (with a as (select * from inner_t) select * from a) select * from a, b', ['DB.S.INNER_T']],
    ['lateral join subquery', 'select * from t1 left join lateral (select * from t2 where t2.id = t1.id) x on true', ['DB.S.T1', 'DB.S.T2']],
    ['insert overwrite into', 'insert overwrite into mart.t select * from raw.s', ['DB.RAW.S']],
    ['column named like keywords', 'select from_date, join_key, t.table_name from meta.tables t', ['DB.META.TABLES']],
  ]),
  ...casesFor('postgres', { defaultDatabase: 'db', defaultSchema: 'public' }, [
    ['count filter', 'select count(*) filter (where x > 1) from t', ['db.public.t']],
    ['on with parentheses', 'select * from t1 join t2 on (t1.a = t2.a) join t3 on (t3.b = t2.b)', ['db.public.t1', 'db.public.t2', 'db.public.t3']],
    ['cast and json operators', "select (j->>'from')::text, x::date from events where j ? 'join'", ['db.public.events']],
    ['string with semicolon', "select 'a;b' from t1; select 2 from t2", ['db.public.t1', 'db.public.t2']],
    ['with before insert', 'with x as (select * from src) insert into dst select * from x', ['db.public.src']],
    ['create view with column list', 'create view v (a, b) as select a, b from base', ['db.public.base']],
    ['substring from for', 'select substring(name from 1 for 3), overlay(a placing b from 2) from people', ['db.public.people']],
    ['recursive values cte', 'with recursive r(n) as (values (1) union all select n + 1 from r where n < 5) select * from r', []],
    ['update set subquery', 'update t1 set a = (select max(a) from t2)', ['db.public.t2']],
    ['union with parentheses', '(select id from a) union all (select id from b) order by 1', ['db.public.a', 'db.public.b']],
  ]),
  ...casesFor('mysql', { defaultDatabase: 'app', defaultSchema: null }, [
    ['straight join', 'select * from t1 straight_join t2 on t1.id = t2.id', ['app.t1', 'app.t2']],
    ['index hints', 'select * from orders use index (idx_created) join users force index (primary) on users.id = orders.uid', ['app.orders', 'app.users']],
    ['select into variable', 'select count(*) into @n from orders', ['app.orders']],
    ['comma join', 'select * from a, b, c where a.id = b.id', ['app.a', 'app.b', 'app.c']],
  ]),
  ...casesFor('databricks', { defaultDatabase: 'main', defaultSchema: 'default' }, [
    ['path based read is not a table', 'select * from delta.`/mnt/lake/events` e join dims d on d.id = e.id', ['main.default.dims']],
    ['file read is not a table', 'select * from json.`s3://bucket/path` j join facts f on true', ['main.default.facts']],
    ['semi and anti joins', 'select * from t1 anti join t2 on t1.id = t2.id left semi join t3 on true', ['main.default.t1', 'main.default.t2', 'main.default.t3']],
    ['nested comments', '/* outer /* inner */ from hidden */ select * from visible', ['main.default.visible']],
  ]),
  ...casesFor('bigquery', { defaultDatabase: 'proj', defaultSchema: 'ds' }, [
    ['default dataset', 'select * from t', ['proj.ds.t']],
    ['time travel', 'select * from ds.t for system_time as of timestamp_sub(current_timestamp(), interval 1 hour)', ['proj.ds.t']],
    ['dashed project with digits', 'select * from proj-123.ds.tab', ['proj-123.ds.tab']],
    ['array path of a cte', 'with a as (select * from ds.x) select * from a, a.arr', ['proj.ds.x']],
    ['minus is not a dash in expressions', 'select x-1, y - 2 from ds.t where t.a-1 > 0', ['proj.ds.t']],
    ['array subquery', 'select array(select as struct * from ds.items where items.oid = o.id) from ds.orders o', ['proj.ds.items', 'proj.ds.orders']],
  ]),
];

export const trickyClickHouseTrino = [
  ...casesFor('clickhouse', { defaultDatabase: 'default', defaultSchema: null }, [
    ['cluster table function', "select * from cluster('c', db.t)", []],
    ['global in', 'select * from t1 where a global in (select a from t2)', ['default.t1', 'default.t2']],
    ['any inner join and sample', 'select * from t1 sample 0.1 any inner join t2 on t1.a = t2.a', ['default.t1', 'default.t2']],
    ['table starting with a digit', 'select * from db.1st_table', ['db.1st_table']],
  ]),
  ...casesFor('trino', { defaultDatabase: 'hive', defaultSchema: 'web' }, [
    ['unnest with ordinality', 'select * from unnest(array[1, 2]) with ordinality as t(x, i)', []],
    ['lateral subquery', 'select * from t1 cross join lateral (select * from t2 where t2.k = t1.k)', ['hive.web.t1', 'hive.web.t2']],
    ['time travel', 'select * from ice.db.t for version as of 3', ['ice.db.t']],
  ]),
];
