import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig, parseConfigText } from './index.js';

const FILE = '/etc/mcns/mcns.toml';

test('[metrics] listens on 127.0.0.1:9153 by default', () => {
  assert.deepEqual(loadConfig({ cwd: '/tmp' }).metrics, { listen: { host: '127.0.0.1', port: 9153 } });
  assert.deepEqual(parseConfigText('[metrics]\n', FILE).metrics, { listen: { host: '127.0.0.1', port: 9153 } });
});

test('[metrics] listen_addr takes one address, IPv6 in brackets, port 0 included', () => {
  assert.deepEqual(parseConfigText('[metrics]\nlisten_addr = "0.0.0.0:9100"', FILE).metrics.listen, { host: '0.0.0.0', port: 9100 });
  assert.deepEqual(parseConfigText('[metrics]\nlisten_addr = "[::1]:0"', FILE).metrics.listen, { host: '::1', port: 0 });
});

test('[metrics] listen_addr "" or "off" turns the listener off', () => {
  assert.equal(parseConfigText('[metrics]\nlisten_addr = ""', FILE).metrics.listen, null);
  assert.equal(parseConfigText('[metrics]\nlisten_addr = "off"', FILE).metrics.listen, null);
});

test('[metrics] listen_addr refuses a list, a host name and a missing port in one line naming the key', () => {
  const errorOf = (text: string): string => {
    try {
      parseConfigText(text, FILE);
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      return err.message;
    }
    return assert.fail('expected a ConfigError');
  };
  assert.equal(errorOf('[metrics]\nlisten_addr = ["127.0.0.1:9153"]'),
    '[metrics] listen_addr = ["127.0.0.1:9153"]: must be one "addr:port" string, e.g. "127.0.0.1:9153", or "off"');
  assert.match(errorOf('[metrics]\nlisten_addr = "localhost:9153"'), /^\[metrics\] listen_addr = "localhost:9153": "localhost" is not an IP address/);
  assert.match(errorOf('[metrics]\nlisten_addr = "127.0.0.1"'), /has no port/);
  assert.equal(errorOf('[metrics]\nlisten = "127.0.0.1:9153"'), '[metrics] listen = "127.0.0.1:9153": unknown key; known keys are listen_addr');
});
