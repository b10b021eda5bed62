#!/usr/bin/env node
// Builds native/mcns_udp.c (the batched UDP socket, docs/adr/0004-batched-udp.md)
// into native/build/mcns_udp.node with the system's C compiler and the headers
// that come with Node. No node-gyp: one C file, and N-API needs no linking.
// Without a compiler or the headers it says so and exits 0: mcns then runs on
// Node's dgram socket ([dns] udp_io = "auto"). MCNS_REQUIRE_NATIVE=1 (CI) makes
// that a failure instead.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'native', 'mcns_udp.c');
const output = join(root, 'native', 'build', 'mcns_udp.node');
const required = process.env.MCNS_REQUIRE_NATIVE === '1';

function skip(reason) {
  const line = `batched UDP module not built: ${reason}; mcns will use Node's dgram socket ([dns] udp_io = "auto")`;
  if (required) {
    console.error(`${line}\nMCNS_REQUIRE_NATIVE=1: failing the build`);
    process.exit(1);
  }
  console.error(line);
  process.exit(0);
}

if (process.platform !== 'linux') skip(`recvmmsg/sendmmsg are Linux only, and this is ${process.platform}`);
// Up to date: nothing to do (the source is older than the module).
if (existsSync(output) && statSync(output).mtimeMs >= statSync(source).mtimeMs && !process.argv.includes('--force')) process.exit(0);

// Node's headers: <prefix>/include/node next to bin/node, or npm's nodedir.
const candidates = [
  join(dirname(process.execPath), '..', 'include', 'node'),
  process.env.npm_config_nodedir ? join(process.env.npm_config_nodedir, 'include', 'node') : null,
].filter((d) => d !== null);
const headers = candidates.find((d) => existsSync(join(d, 'node_api.h')) && existsSync(join(d, 'uv.h')));
if (headers === undefined) skip(`Node's headers (node_api.h, uv.h) are not in ${candidates.join(' or ')}`);

const cc = process.env.CC || 'cc';
mkdirSync(dirname(output), { recursive: true });
const args = ['-O2', '-fPIC', '-shared', '-Wall', '-Wextra', '-Wno-unused-parameter', `-I${headers}`, '-o', output, source];
const run = spawnSync(cc, args, { stdio: ['ignore', 'inherit', 'inherit'] });
if (run.error) skip(`${cc} could not be run (${run.error.message}); install a C compiler (Debian: apt-get install gcc libc6-dev)`);
if (run.status !== 0) skip(`${cc} ${args.join(' ')} failed with exit code ${run.status}`);
console.error(`built ${output}`);
