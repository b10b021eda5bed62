import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, configSchema, loadConfig, parseConfigText } from './index.js';

const FILE = '/etc/mcns/mcns.toml';

function errorOf(text: string): string {
  try {
    parseConfigText(text, FILE);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    assert.equal(err.code, 'CONFIG');
    assert.ok(!err.message.includes('\n'), 'one line');
    return err.message;
  }
  assert.fail('expected a ConfigError');
}

test('the embedded default listens on 5300 on loopback, v4 and v6, with the database under ./data', () => {
  const config = loadConfig({ cwd: '/var/lib/somewhere' });
  assert.equal(config.source, null);
  assert.deepEqual(config.dns.listen, [{ host: '127.0.0.1', port: 5300 }, { host: '::1', port: 5300 }]);
  assert.equal(config.dns.tcpIdleTimeoutMs, 10_000);
  assert.equal(config.dns.tcpMaxConnections, 1000);
  assert.equal(config.dns.tcpMaxQueriesPerConnection, 0);
  assert.equal(config.dns.udpMaxPayload, 1232);
  assert.equal(config.database.path, '/var/lib/somewhere/data/mcns.db');
  assert.equal(config.log.level, 'info');
});

test('an empty file gives the defaults, with paths relative to the file', () => {
  const config = parseConfigText('', FILE);
  assert.equal(config.source, FILE);
  assert.equal(config.database.path, '/etc/mcns/data/mcns.db');
});

test('reads every key', () => {
  const config = parseConfigText(`
[dns]
listen_addr = ["0.0.0.0:53", "[::]:53", "192.0.2.1:5353"]
tcp_idle_timeout = "500ms"
tcp_max_connections = 10
tcp_max_queries_per_connection = 5
udp_max_payload = 4096
udp_io = "dgram"
[database]
path = "/srv/mcns/mcns.db"
[log]
level = "debug"
`, FILE);
  assert.deepEqual(config.dns, {
    listen: [{ host: '0.0.0.0', port: 53 }, { host: '::', port: 53 }, { host: '192.0.2.1', port: 5353 }],
    tcpIdleTimeoutMs: 500, tcpMaxConnections: 10, tcpMaxQueriesPerConnection: 5, udpMaxPayload: 4096, udpIo: 'dgram',
  });
  assert.throws(() => parseConfigText('[dns]\nudp_io = "fast"', FILE), /udp_io.*"fast".*must be one of auto, batched, dgram/);
  assert.equal(config.database.path, '/srv/mcns/mcns.db');
  assert.equal(config.log.level, 'debug');
});

test('a single listen address may be a plain string', () => {
  assert.deepEqual(parseConfigText('[dns]\nlisten_addr = "[::1]:53"', FILE).dns.listen, [{ host: '::1', port: 53 }]);
});

test('durations are seconds or strings with a unit', () => {
  const ms = (v: string) => parseConfigText(`[dns]\ntcp_idle_timeout = ${v}`, FILE).dns.tcpIdleTimeoutMs;
  assert.equal(ms('30'), 30_000);
  assert.equal(ms('2.5'), 2500);
  assert.equal(ms('"2m"'), 120_000);
  assert.equal(ms('"250ms"'), 250);
});

test('relative paths resolve against the config file directory', () => {
  assert.equal(parseConfigText('[database]\npath = "db/x.db"', FILE).database.path, '/etc/mcns/db/x.db');
  const dir = mkdtempSync(join(tmpdir(), 'mcns-config-'));
  mkdirSync(join(dir, 'conf'));
  writeFileSync(join(dir, 'conf', 'mcns.toml'), '[database]\npath = "../state/mcns.db"\n');
  const config = loadConfig({ path: 'conf/mcns.toml', cwd: dir });
  assert.equal(config.source, join(dir, 'conf', 'mcns.toml'));
  assert.equal(config.database.path, join(dir, 'state', 'mcns.db'));
});

test('an unknown key names the key, the value and the closest known key', () => {
  assert.equal(errorOf('[dns]\nlisten_adr = "127.0.0.1:53"'),
    '[dns] listen_adr = "127.0.0.1:53": unknown key; did you mean "listen_addr"?');
  assert.equal(errorOf('[log]\nlevle = "info"'), '[log] levle = "info": unknown key; did you mean "level"?');
});

test('a key in the wrong table says where it belongs', () => {
  assert.equal(errorOf('[dns]\npath = "x.db"'), '[dns] path = "x.db": unknown key; it belongs in [database]');
  assert.equal(errorOf('level = "info"'), 'level = "info": key outside any table; move it under [log]');
});

test('an unknown key with nothing close lists the known keys', () => {
  assert.equal(errorOf('[log]\nformat = "json"'), '[log] format = "json": unknown key; known keys are level, query_log, query_log_sample');
});

test('an unknown table is rejected, with a suggestion when one is close', () => {
  assert.equal(errorOf('[dsn]\nlisten_addr = "127.0.0.1:53"'), '[dsn]: unknown table; did you mean [dns]?');
  assert.equal(errorOf('[tracing]\nlisten_addr = "127.0.0.1:4317"'),
    `[tracing]: unknown table; known tables are ${Object.keys(configSchema).map((t) => `[${t}]`).join(', ')}`);
  assert.equal(errorOf('dns = 5'), 'dns = 5: must be a table; write it as [dns]');
});

test('a value outside a choice lists the choices', () => {
  assert.equal(errorOf('[log]\nlevel = "verbose"'), '[log] level = "verbose": must be one of debug, info, warn, error');
  assert.equal(errorOf('[log]\nlevel = 3'), '[log] level = 3: must be one of debug, info, warn, error');
});

test('integers out of range or of the wrong type name the range', () => {
  assert.equal(errorOf('[dns]\nudp_max_payload = 100'), '[dns] udp_max_payload = 100: must be an integer from 512 to 4096');
  assert.equal(errorOf('[dns]\ntcp_max_connections = "many"'),
    '[dns] tcp_max_connections = "many": must be an integer from 1 to 1000000');
  assert.equal(errorOf('[dns]\ntcp_max_queries_per_connection = 1.5'),
    '[dns] tcp_max_queries_per_connection = 1.5: must be an integer from 0 to 1000000');
});

test('a bad duration shows the accepted forms', () => {
  assert.equal(errorOf('[dns]\ntcp_idle_timeout = "10 sec"'),
    '[dns] tcp_idle_timeout = "10 sec": must be a duration from 100ms to 600s, as seconds (10) or with a unit ("10s", "500ms", "2m")');
  assert.match(errorOf('[dns]\ntcp_idle_timeout = 0'), /^\[dns\] tcp_idle_timeout = 0: must be a duration/);
});

test('listen addresses: brackets for IPv6, a port, an IP literal, no duplicates', () => {
  assert.equal(errorOf('[dns]\nlisten_addr = "::1:53"'), '[dns] listen_addr = "::1:53": IPv6 addresses need brackets: "[::1]:53"');
  assert.equal(errorOf('[dns]\nlisten_addr = "127.0.0.1"'), '[dns] listen_addr = "127.0.0.1": "127.0.0.1" has no port; write "127.0.0.1:53"');
  assert.equal(errorOf('[dns]\nlisten_addr = "localhost:53"'),
    '[dns] listen_addr = "localhost:53": "localhost" is not an IP address; use one such as 127.0.0.1, 0.0.0.0 or [::]');
  assert.equal(errorOf('[dns]\nlisten_addr = "127.0.0.1:99999"'),
    '[dns] listen_addr = "127.0.0.1:99999": port "99999" must be an integer from 0 to 65535');
  assert.equal(errorOf('[dns]\nlisten_addr = "[::1]53"'), '[dns] listen_addr = "[::1]53": "[::1]53" must be "[IPv6]:port", e.g. "[::1]:53"');
  assert.equal(errorOf('[dns]\nlisten_addr = ["127.0.0.1:53", "127.0.0.1:53"]'),
    '[dns] listen_addr = ["127.0.0.1:53", "127.0.0.1:53"]: lists 127.0.0.1:53 twice; remove one');
  assert.equal(errorOf('[dns]\nlisten_addr = []'), '[dns] listen_addr = []: must name at least one address, e.g. "127.0.0.1:53"');
  assert.equal(errorOf('[dns]\nlisten_addr = 53'),
    '[dns] listen_addr = 53: must be "addr:port" or a list of them, e.g. ["127.0.0.1:53", "[::1]:53"]');
});

test('an empty database path is rejected', () => {
  assert.equal(errorOf('[database]\npath = ""'), '[database] path = "": must be a non-empty path string');
});

test('TOML syntax errors carry file:line:column', () => {
  assert.match(errorOf('[dns]\nlisten_addr = ["127.0.0.1:53"'), /^\/etc\/mcns\/mcns\.toml:2:\d+: invalid TOML: /);
});

test('a missing config file is one clear line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-config-'));
  assert.throws(() => loadConfig({ path: 'nope.toml', cwd: dir }), (err: unknown) =>
    err instanceof ConfigError && err.message === `cannot read config file "${join(dir, 'nope.toml')}": no such file`);
});
