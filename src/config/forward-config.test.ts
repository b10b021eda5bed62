// [forward]: defaults, and one line naming the key, the value and the fix for each mistake.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, parseConfigText } from './index.js';

function errorOf(text: string): string {
  try {
    parseConfigText(text, '/etc/mcns/mcns.toml');
  } catch (err) {
    if (err instanceof ConfigError) return err.message.replace(/^config error: /, '').replace(/^\/etc\/mcns\/mcns\.toml: /, '');
    throw err;
  }
  return 'no error';
}

test('forwarding is off by default and admits only loopback', () => {
  const config = parseConfigText('', '/etc/mcns/mcns.toml');
  assert.deepEqual(config.forward.upstreams, []);
  assert.deepEqual(config.forward.allowRecursion, ['127.0.0.0/8', '::1/128']);
  assert.equal(config.forward.timeoutMs, 1500);
  assert.equal(config.forward.serveStale, false);
});

test('upstreams and CIDRs are read and normalised', () => {
  const config = parseConfigText('[forward]\nupstreams = ["192.0.2.53:53", "[2001:db8::53]:5353"]\nallow_recursion = ["10.0.0.0/8", "192.0.2.7", "::1"]\n', '/x.toml');
  assert.deepEqual(config.forward.upstreams, ['192.0.2.53:53', '[2001:db8::53]:5353']);
  assert.deepEqual(config.forward.allowRecursion, ['10.0.0.0/8', '192.0.2.7/32', '::1/128']);
});

test('each mistake names the key, the value and the fix', () => {
  assert.match(errorOf('[forward]\nupstreams = ["192.0.2.53"]'), /\[forward\] upstreams = .*"192\.0\.2\.53" has no port; write "192\.0\.2\.53:53"/);
  assert.match(errorOf('[forward]\nupstreams = "192.0.2.53:53"'), /\[forward\] upstreams = "192\.0\.2\.53:53": must be a list/);
  assert.match(errorOf('[forward]\nupstreams = ["192.0.2.53:0"]'), /needs a real port/);
  assert.match(errorOf('[forward]\nallow_recursion = ["10.0.0.0/33"]'), /\[forward\] allow_recursion = .*prefix length outside 0-32/);
  assert.match(errorOf('[forward]\nallow_recursion = ["lan"]'), /"lan" is not an IP address or CIDR prefix/);
  assert.match(errorOf('[forward]\nserve_stale = "yes"'), /\[forward\] serve_stale = "yes": must be true or false/);
  assert.match(errorOf('[forward]\nupstream = []'), /\[forward\] upstream = \[\]: unknown key; did you mean "upstreams"\?/);
});
