import { ConfigError } from '../../activities/config/errors';
import { testConnections, type Check } from '../../activities/preflight/testConnections';
import { EXIT_OK, EXIT_SETUP_FAILED } from '../summary';

export type { Check };

export async function testConnectionCommand(options: { config: string; json?: boolean }): Promise<number> {
  let checks: Check[];
  try {
    checks = await testConnections(options.config);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return EXIT_SETUP_FAILED;
    }
    throw error;
  }
  if (options.json) console.log(JSON.stringify(checks, null, 2));
  else for (const c of checks) console.log(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.detail}`);
  return checks.every((c) => c.ok) ? EXIT_OK : EXIT_SETUP_FAILED;
}
