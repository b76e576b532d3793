#!/usr/bin/env node
// Runs the compiled package in dist/ (`npm run build`, which `npm ci` and `npm install` run as `prepare`).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const dist = join(__dirname, '..', 'dist');
if (!existsSync(join(dist, 'client', 'cli.js'))) {
  console.error(`hexmeta is not built (no ${dist}): run \`npm run build\` in ${join(__dirname, '..')}`);
  process.exit(2);
}
const { keepsSourceMaps } = require('../dist/worker/nodeFlags.js');
// Decided before the other modules load: Node keeps the map of every module loaded while maps are on.
process.setSourceMapsEnabled(keepsSourceMaps(process.argv[2], process.execArgv, process.env.NODE_OPTIONS));
require('../dist/client/cli.js')
  .main(process.argv)
  .then(() => process.exit(process.exitCode ?? 0));
