// Lineage for the demo when a PostgreSQL is at hand: tables and Hex queries in a schema of this run, and the
// same tables registered in the local OpenMetadata server. Without one, the demo goes on without lineage.
import { choosePostgres, demoSchemaName, describeTarget, dropDemoSchema, probePostgres, seedDemoSchema } from './postgres';
import { DEMO_TABLES } from './sampleWarehouse';
import { registerDemoWarehouse, type DemoServers } from './servers';
import type { DemoLineage } from './workflowFile';

export interface LineageSetup {
  lineage: (DemoLineage & { hexStatements: number; tables: number; server: string }) | null;
  note: string | null;
  /** Drops the demo's schema; a no-op without lineage. */
  cleanup(): Promise<void>;
}

const nothing = async () => undefined;

export async function setUpLineage(option: string | undefined, env: NodeJS.ProcessEnv, servers: DemoServers): Promise<LineageSetup> {
  const target = choosePostgres(option, env);
  const probe = await probePostgres(target);
  if (!probe.usable) return { lineage: null, note: probe.note, cleanup: nothing };
  const schema = demoSchemaName();
  const cleanup = () => dropDemoSchema(target, schema).catch(() => undefined);
  let hexStatements: number;
  try {
    hexStatements = await seedDemoSchema(target, schema);
  } catch (error) {
    await cleanup();
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    return { lineage: null, note: `could not create the demo tables in ${describeTarget(target)} (${reason}); lineage skipped`, cleanup: nothing };
  }
  const prefix = registerDemoWarehouse(servers, target, schema);
  return {
    lineage: { target, schema, prefix, hexStatements, tables: DEMO_TABLES.length, server: describeTarget(target) },
    note: `schema ${schema} in ${describeTarget(target)} holds the demo's tables; it is dropped when the demo stops`,
    cleanup,
  };
}
