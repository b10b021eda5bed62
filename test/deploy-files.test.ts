// The deployment files agree with each other and with mcns: Docker cannot build
// here, so the Dockerfile, .dockerignore and compose file are checked statically;
// the systemd unit goes through `systemd-analyze verify` and its offline security
// score when systemd-analyze exists; the configs load with mcns's own loader, and
// the container config also serves (moved to loopback and a temporary directory).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { loadConfig, type Config } from '../src/config/index.js';
import { REPO_ROOT } from './helpers/start-mcns.js';
import { createLiveInstance } from './runbook/live-instance.js';
import {
  commandWords, dockerIgnored, durationMs, parseDockerfile, parseUnitFile, type DockerStage,
} from './runbook/parse-deploy-files.js';
import { parseYamlSubset, type YamlValue } from './runbook/parse-yaml-subset.js';

const DOCKERFILE = join(REPO_ROOT, 'Dockerfile');
const COMPOSE = join(REPO_ROOT, 'deploy', 'docker', 'docker-compose.yml');
const DOCKER_CONFIG = join(REPO_ROOT, 'deploy', 'docker', 'mcns.toml');
const PRODUCTION_CONFIG = join(REPO_ROOT, 'deploy', 'mcns.production.toml');
const UNIT = join(REPO_ROOT, 'deploy', 'systemd', 'mcns.service');
const SYSUSERS = join(REPO_ROOT, 'deploy', 'systemd', 'mcns.sysusers.conf');
/** Where the image and the unit read the config. */
const CONFIG_IN_PLACE = '/etc/mcns/mcns.toml';

const stages = parseDockerfile(readFileSync(DOCKERFILE, 'utf8'));
const dockerConfig = loadConfig({ path: DOCKER_CONFIG, cwd: REPO_ROOT });
const productionConfig = loadConfig({ path: PRODUCTION_CONFIG, cwd: REPO_ROOT });
const unit = parseUnitFile(readFileSync(UNIT, 'utf8'));

/** The one value of an instruction keyword in a stage (the last one wins, as in Docker). */
function last(stage: DockerStage, keyword: string): string | undefined {
  return stage.instructions.filter((i) => i.keyword === keyword).at(-1)?.args;
}

/** Every listener of a config as [port, protocols]: DNS on udp and tcp, the APIs (and metrics) on tcp. */
function listeners(config: Config): { port: number; proto: 'udp' | 'tcp'; host: string; what: string }[] {
  const out: { port: number; proto: 'udp' | 'tcp'; host: string; what: string }[] = [];
  for (const a of config.dns.listen) {
    out.push({ port: a.port, proto: 'udp', host: a.host, what: 'dns' }, { port: a.port, proto: 'tcp', host: a.host, what: 'dns' });
  }
  out.push({ port: config.api.restAddr.port, proto: 'tcp', host: config.api.restAddr.host, what: 'rest' });
  out.push({ port: config.api.grpcAddr.port, proto: 'tcp', host: config.api.grpcAddr.host, what: 'grpc' });
  const m = config.metrics.listen;
  if (m !== null) out.push({ port: m.port, proto: 'tcp', host: m.host, what: 'metrics' });
  return out;
}

/** The longest drain a config allows on SIGTERM: any shutdown, drain or grace setting in ms, else 30 s. */
function shutdownMs(config: Config): number {
  let found = 0;
  const walk = (v: unknown, key: string): void => {
    if (typeof v === 'number' && /(shutdown|drain|grace).*ms$/i.test(key)) found = Math.max(found, v);
    else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(config, '');
  return found > 0 ? found : 30_000;
}

/** Every directory mcns writes: the database's, the snapshots' and the change log's. */
function writtenPaths(config: Config): [string, string][] {
  return [
    ['database directory', dirname(config.database.path)],
    ['[backup] dir', config.backup.dir],
    ['[backup] journal_dir', config.backup.journalDir],
  ];
}

function map(v: YamlValue | undefined): { readonly [key: string]: YamlValue } {
  assert.ok(typeof v === 'object' && v !== null && !Array.isArray(v), `expected a mapping, got ${JSON.stringify(v)}`);
  return v as { readonly [key: string]: YamlValue };
}

function list(v: YamlValue | undefined): readonly YamlValue[] {
  assert.ok(Array.isArray(v), `expected a list, got ${JSON.stringify(v)}`);
  return v;
}

function unitValues(section: string, key: string): readonly string[] {
  return unit.get(section)?.get(key) ?? [];
}

test('Dockerfile: a build stage with the toolchain for better-sqlite3, a runtime stage without it', () => {
  assert.ok(stages.length >= 2, 'a multi-stage build');
  const build = stages.find((s) => s.name === 'build');
  const runtime = stages.at(-1);
  assert.ok(build !== undefined, 'a stage named build');
  assert.ok(runtime !== undefined && runtime !== build);
  for (const s of [build, runtime]) assert.match(s.image, /^node:20-bookworm-slim$/, `stage ${s.name ?? '?'} starts from node:20-bookworm-slim`);
  const buildRuns = build.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args).join('\n');
  for (const pkg of ['python3', 'make', 'g++']) assert.match(buildRuns, new RegExp(`apt-get install[^\\n]*\\s${pkg.replace('+', '\\+')}(\\s|$)`), `build installs ${pkg}`);
  assert.match(buildRuns, /npm (ci|install)\b/, 'build installs the locked dependencies');
  for (const step of ['npm run build', 'npm prune --omit=dev']) assert.ok(buildRuns.includes(step), `build runs ${step}`);
  // The batched UDP module (docs/adr/0004-batched-udp.md) is built, or the image is not, and the runtime carries it.
  assert.match(buildRuns, /MCNS_REQUIRE_NATIVE=1 npm run build/, 'a missing batched UDP module fails the image build');
  const copied = runtime.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
  assert.ok(copied.some((a) => /--from=build \/src\/native\/build \.\/native\/build$/.test(a)), 'the runtime stage copies native/build');
  const runtimeRuns = runtime.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args).join('\n');
  assert.doesNotMatch(runtimeRuns, /install[^\n]*\s(g\+\+|make|python3)\s/, 'no compiler in the runtime image');
  assert.match(runtimeRuns, /setcap cap_net_bind_service=\+ep \/usr\/local\/bin\/node/, 'node may bind port 53 as a non-root user');
  assert.match(runtimeRuns, /useradd[^\n]*\smcns(\s|$)/, 'the runtime stage makes user mcns');
});

test('Dockerfile: runs as mcns, keeps data in a volume, exposes every listener, checks health with mcns status', () => {
  const runtime = stages.at(-1) as DockerStage;
  const users = runtime.instructions.filter((i) => i.keyword === 'USER');
  assert.equal(users.at(-1)?.args, 'mcns', 'the last USER is mcns');
  const cmdIndex = runtime.instructions.findIndex((i) => i.keyword === 'CMD');
  assert.ok(runtime.instructions.findIndex((i) => i.keyword === 'USER') < cmdIndex, 'USER comes before CMD');
  assert.deepEqual(commandWords(last(runtime, 'CMD') ?? ''), ['mcns', 'serve', '--config', CONFIG_IN_PLACE]);
  assert.equal(last(runtime, 'STOPSIGNAL'), 'SIGTERM');

  const copies = runtime.instructions.filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from'));
  const configCopy = copies.find((i) => i.args.trim().endsWith(` ${CONFIG_IN_PLACE}`));
  assert.ok(configCopy !== undefined, `the image carries a config at ${CONFIG_IN_PLACE}`);
  assert.equal(resolve(REPO_ROOT, configCopy.args.trim().split(/\s+/)[0] ?? ''), DOCKER_CONFIG);

  const volumes = commandWords(last(runtime, 'VOLUME') ?? '');
  assert.ok(volumes.includes(dirname(dockerConfig.database.path)), `VOLUME holds the database directory ${dirname(dockerConfig.database.path)}`);

  const exposed = new Set(runtime.instructions.filter((i) => i.keyword === 'EXPOSE').flatMap((i) => i.args.split(/\s+/)).map((p) => (p.includes('/') ? p : `${p}/tcp`)));
  for (const l of listeners(dockerConfig)) assert.ok(exposed.has(`${l.port}/${l.proto}`), `EXPOSE ${l.port}/${l.proto} (${l.what})`);
  for (const p of ['53/udp', '53/tcp', '8443/tcp', '9443/tcp']) assert.ok(exposed.has(p), `EXPOSE ${p}`);

  const health = last(runtime, 'HEALTHCHECK') ?? '';
  const healthCmd = /CMD\s+(.*)$/.exec(health)?.[1] ?? '';
  assert.deepEqual(commandWords(healthCmd).slice(0, 2), ['mcns', 'status'], 'HEALTHCHECK runs mcns status');
  // mcns status asks https://127.0.0.1:8443 unless told otherwise, trusting MCNS_CA_CERT.
  assert.equal(dockerConfig.api.restAddr.port, 8443);
  assert.ok(['0.0.0.0', '127.0.0.1', '::'].includes(dockerConfig.api.restAddr.host));
  const env = runtime.instructions.filter((i) => i.keyword === 'ENV').map((i) => i.args).join(' ');
  if (dockerConfig.api.tlsCert === null) {
    assert.ok(env.includes(`MCNS_CA_CERT=${join(dirname(dockerConfig.database.path), 'tls', 'ca.pem')}`), 'MCNS_CA_CERT points at the self-signed CA');
  }
});

test('Dockerfile: every COPY from the context exists and is not excluded by .dockerignore', () => {
  const ignore = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n');
  for (const stage of stages) {
    for (const ins of stage.instructions.filter((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && !i.args.includes('--from'))) {
      const words = ins.args.trim().split(/\s+/).filter((w) => !w.startsWith('--'));
      for (const src of words.slice(0, -1)) {
        const path = src.replace(/^\.\//, '').replace(/\/$/, '');
        assert.ok(existsSync(join(REPO_ROOT, path)), `Dockerfile:${ins.line}: COPY ${src}: no such file in the repository`);
        assert.ok(!dockerIgnored(ignore, path), `Dockerfile:${ins.line}: COPY ${src}: excluded by .dockerignore`);
      }
    }
  }
  for (const heavy of ['node_modules', 'dist', '.git', 'data/mcns.db']) assert.ok(dockerIgnored(ignore, heavy), `.dockerignore excludes ${heavy}`);
});

test('compose: builds this Dockerfile, publishes what the container config listens on, keeps the data on a volume', () => {
  const doc = map(parseYamlSubset(readFileSync(COMPOSE, 'utf8')));
  const service = map(map(doc['services'])['mcns']);
  const build = map(service['build']);
  assert.equal(resolve(dirname(COMPOSE), String(build['context']), String(build['dockerfile'] ?? 'Dockerfile')), DOCKERFILE);
  assert.equal(service['restart'], 'unless-stopped');

  // Ports: "HOST:CONTAINER/proto" or "IP:HOST:CONTAINER/proto".
  const published = list(service['ports']).map((p) => {
    const m = /^(?:([\d.]+|\[[\da-f:]+\]):)?(\d+):(\d+)(?:\/(udp|tcp))?$/.exec(String(p));
    assert.ok(m !== null, `port "${String(p)}" is HOST:CONTAINER[/proto]`);
    return { ip: m[1] ?? '', host: Number(m[2]), container: Number(m[3]), proto: m[4] ?? 'tcp' };
  });
  const want = listeners(dockerConfig);
  for (const l of want) {
    const p = published.find((x) => x.container === l.port && x.proto === l.proto);
    assert.ok(p !== undefined, `compose publishes ${l.what} ${l.port}/${l.proto}`);
    if (l.what === 'metrics') assert.equal(p.ip, '127.0.0.1', 'metrics are published on the host loopback only');
  }
  for (const p of published) {
    assert.ok(want.some((l) => l.port === p.container && l.proto === p.proto), `compose publishes ${p.container}/${p.proto}, which the config does not listen on`);
  }
  for (const l of want) assert.ok(['0.0.0.0', '::'].includes(l.host), `${l.what} listens on every interface inside the container, so the mapping reaches it`);

  // Volumes: a named volume on the database directory, the config file read-only where CMD reads it.
  const volumes = list(service['volumes']).map((v) => String(v).split(':'));
  const declared = Object.keys(map(doc['volumes']));
  const dataDir = dirname(dockerConfig.database.path);
  assert.ok(volumes.some(([src, dst]) => dst === dataDir && declared.includes(src ?? '')), `a named volume at ${dataDir}`);
  const mounted = volumes.filter(([src]) => declared.includes(src ?? '')).map(([, dst]) => dst ?? '');
  for (const [what, path] of writtenPaths(dockerConfig)) {
    assert.ok(mounted.some((m) => path === m || path.startsWith(`${m}/`)), `${what} ${path} is on a volume (the container's filesystem is read-only)`);
  }
  const configMount = volumes.find(([, dst]) => dst === CONFIG_IN_PLACE);
  assert.ok(configMount !== undefined, `the config is mounted at ${CONFIG_IN_PLACE}`);
  assert.equal(resolve(dirname(COMPOSE), configMount[0] ?? ''), DOCKER_CONFIG);
  assert.equal(configMount[2], 'ro');

  const health = map(service['healthcheck']);
  assert.deepEqual(list(health['test']).slice(0, 3), ['CMD', 'mcns', 'status']);
  assert.ok(durationMs(String(service['stop_grace_period'])) > shutdownMs(dockerConfig), 'stop_grace_period is longer than the drain on SIGTERM');
});

test('production config: mcns loads it; port 53 on every interface, data under /var/lib/mcns, APIs on 8443 and 9443', () => {
  const c = productionConfig;
  assert.equal(c.source, PRODUCTION_CONFIG);
  assert.deepEqual(c.dns.listen.map((a) => `${a.host}:${a.port}`).sort(), ['0.0.0.0:53', ':::53']);
  assert.ok(c.database.path.startsWith('/var/lib/mcns/'));
  assert.deepEqual([c.api.restAddr.port, c.api.grpcAddr.port], [8443, 9443]);
  for (const l of listeners(c)) if (l.what === 'metrics') assert.equal(l.host, '127.0.0.1', 'metrics on loopback only');
  // The container config differs only where the container needs it.
  assert.equal(dockerConfig.database.path, c.database.path);
});

test('systemd unit: hardened, port 53 by capability, reload by SIGHUP, longer stop timeout than the drain', () => {
  const svc = (key: string): string => unitValues('Service', key).at(-1) ?? '';
  const execStart = svc('ExecStart').split(/\s+/);
  assert.ok(execStart[0]?.startsWith('/') === true && execStart[0].endsWith('/mcns'), 'ExecStart runs mcns by absolute path');
  assert.deepEqual(execStart.slice(1), ['serve', '--config', CONFIG_IN_PLACE]);
  assert.match(svc('ExecReload'), /^\/(usr\/)?bin\/kill -HUP \$MAINPID$/);
  assert.equal(svc('Restart'), 'on-failure');
  assert.ok(svc('User') === 'mcns' || svc('DynamicUser') === 'yes', 'runs as user mcns');
  assert.equal(svc('StateDirectory'), 'mcns');
  // ProtectSystem=strict: the service writes only in its StateDirectory and ReadWritePaths.
  const writable = [`/var/lib/${svc('StateDirectory')}`, ...unitValues('Service', 'ReadWritePaths').flatMap((v) => v.split(/\s+/))];
  for (const [what, path] of writtenPaths(productionConfig)) {
    assert.ok(writable.some((w) => path === w || path.startsWith(`${w}/`)), `${what} ${path} is writable under ProtectSystem=strict (${writable.join(', ')})`);
  }
  const expected: Record<string, string> = {
    AmbientCapabilities: 'CAP_NET_BIND_SERVICE',
    CapabilityBoundingSet: 'CAP_NET_BIND_SERVICE',
    NoNewPrivileges: 'yes',
    ProtectSystem: 'strict',
    ProtectHome: 'yes',
    PrivateTmp: 'yes',
    PrivateDevices: 'yes',
    RestrictAddressFamilies: 'AF_INET AF_INET6 AF_UNIX',
    SystemCallFilter: '@system-service',
    SystemCallErrorNumber: 'EPERM',
  };
  for (const [k, v] of Object.entries(expected)) assert.equal(svc(k), v, `${k}=${v}`);
  assert.notEqual(svc('MemoryDenyWriteExecute'), 'yes', 'V8 needs writable executable memory');
  assert.ok(durationMs(svc('TimeoutStopSec')) > shutdownMs(productionConfig), 'TimeoutStopSec is longer than the drain on SIGTERM');
  assert.deepEqual(unitValues('Install', 'WantedBy'), ['multi-user.target']);
  const sysusers = readFileSync(SYSUSERS, 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
  assert.ok(sysusers.some((l) => /^u\s+mcns\s/.test(l) && l.includes(`/var/lib/${svc('StateDirectory')}`)), 'sysusers makes user mcns with its home in the state directory');
});

test('systemd unit: systemd-analyze verify is silent and the offline exposure score is OK', (t) => {
  if (spawnSync('systemd-analyze', ['--version']).status !== 0) {
    t.skip('systemd-analyze is not installed');
    return;
  }
  // verify insists that ExecStart's program exists: point it at one that does.
  const dir = mkdtempSync(join(tmpdir(), 'mcns-unit-'));
  try {
    const copy = join(dir, 'mcns.service');
    writeFileSync(copy, readFileSync(UNIT, 'utf8').replace(/^ExecStart=\S+/m, 'ExecStart=/bin/true'));
    const verify = spawnSync('systemd-analyze', ['verify', copy], { cwd: dir, encoding: 'utf8' });
    assert.equal(verify.status, 0, verify.stderr);
    assert.equal(verify.stderr.trim(), '', `systemd-analyze verify warns:\n${verify.stderr}`);
    const security = spawnSync('systemd-analyze', ['security', '--offline=yes', copy], { cwd: dir, encoding: 'utf8' });
    if (security.status !== 0 && /offline/.test(security.stderr)) {
      t.diagnostic('systemd-analyze security has no --offline here');
      return;
    }
    const score = /Overall exposure level for \S+: ([\d.]+)/.exec(security.stdout);
    assert.ok(score !== null, security.stdout + security.stderr);
    assert.ok(Number(score[1]) <= 2.0, `exposure ${score[1]} (at most 2.0, "OK"):\n${security.stdout}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the container config serves (moved to loopback and a temporary directory) and mcns status says ok', { timeout: 120_000 }, async () => {
  const live = await createLiveInstance({ productionConfig: DOCKER_CONFIG, zone: 'example.com.', zoneFile: join(REPO_ROOT, 'examples', 'example.com.zone') });
  try {
    await live.start();
    const v = live.variables();
    const out = execFileSync(join(live.binDir, 'mcns'), ['status'], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', MCNS_ADDR: v['MCNS_ADDR'] ?? '', MCNS_CA_CERT: v['MCNS_CA_CERT'] ?? '' },
    });
    assert.equal(out, 'ok\n');
  } finally {
    await live.close();
  }
});
