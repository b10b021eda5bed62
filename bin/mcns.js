#!/usr/bin/env node
// Thin launcher: the CLI lives in src/cli and is compiled to dist/ by `npm run build`.
let cli;
try {
  cli = await import('../dist/src/cli/main.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/src/cli/main.js')) throw err;
  process.stderr.write(`error: dist/src/cli/main.js is missing; run "npm run build" first\n`);
  process.exit(5);
}
process.exitCode = await cli.main(process.argv.slice(2));
