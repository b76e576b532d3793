#!/usr/bin/env node
// Runs the TypeScript sources directly: no build step between `npm ci` and `npx hexmeta`.
require('tsx/cjs');
require('../client/cli.ts')
  .main(process.argv)
  .then(() => process.exit(process.exitCode ?? 0));
