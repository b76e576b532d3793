// Two state folders mean two embedded Temporal servers, which cannot see each other's workflows. A claim
// on the machine, keyed by OpenMetadata server and service, stops a second folder from ingesting the same
// service at the same time.
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandLineOf, ProcessRegistry, withLockFile } from './processFiles';

export class ServiceBusyError extends Error {}

export interface ServiceClaim {
  release(): void;
}

function claimsDir(root: string, openMetadata: string, serviceName: string): string {
  const key = createHash('sha256').update(`${openMetadata.toLowerCase()}\n${serviceName}`).digest('hex').slice(0, 24);
  return join(root, `hexmeta-ingest-${key}`);
}

/** A live pid is not enough: the pid of a process that died may be reused by another program. */
function isHexmeta(pid: number): boolean {
  const commandLine = commandLineOf(pid);
  return commandLine === null || commandLine.includes('hexmeta');
}

/**
 * Claims the ingestion of `serviceName` on `openMetadata` for this state folder. Processes of the same folder
 * share the claim (they share one server and attach to one workflow); a live process of another folder
 * holding it is a ServiceBusyError. Each process's entry goes when it leaves or dies.
 */
export async function claimService(
  options: { openMetadata: string; serviceName: string; stateDir: string; root?: string },
): Promise<ServiceClaim> {
  const dir = claimsDir(options.root ?? tmpdir(), options.openMetadata, options.serviceName);
  const registry = new ProcessRegistry(dir);
  await withLockFile(`${dir}.lock`, async () => {
    const other = registry.live().find((entry) => entry.pid !== process.pid && entry.content !== options.stateDir && isHexmeta(entry.pid));
    if (other) {
      throw new ServiceBusyError(
        `Service ${options.serviceName} on ${options.openMetadata} is being ingested by hexmeta process ${other.pid} with the state folder ${other.content}. `
          + 'Runs from different state folders use different embedded Temporal servers and are not coordinated: '
          + `wait for it to end, or run this command from that folder (or with HEXMETA_STATE_DIR=${other.content}) to attach to its run.`,
      );
    }
    registry.add(process.pid, options.stateDir);
  }, 10_000);
  const release = () => registry.remove();
  process.once('exit', release);
  return {
    release() {
      process.off('exit', release);
      release();
    },
  };
}
