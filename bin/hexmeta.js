#!/usr/bin/env node
// Runs the TypeScript sources directly: no build step between `npm ci` and `npx hexmeta`.
require('tsx/cjs');
const { keepsSourceMaps } = require('../worker/nodeFlags.ts');
// Decided before the other modules load: Node keeps the map of every module loaded while maps are on.
if (!keepsSourceMaps(process.argv[2], process.execArgv, process.env.NODE_OPTIONS)) process.setSourceMapsEnabled(false);
require('../client/cli.ts')
  .main(process.argv)
  .then(() => process.exit(process.exitCode ?? 0));
