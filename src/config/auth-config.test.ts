// [auth]: defaults, introspection mode's required keys, the secret file, and URL rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseConfigText } from './index.js';

const FILE = '/etc/mcns/mcns.toml';

function errorOf(text: string, file = FILE): string {
  try {
    parseConfigText(text, file);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err.message;
  }
  assert.fail('expected a ConfigError');
}

const INTROSPECTION = [
  '[auth]',
  'mode = "introspection"',
  'introspection_url = "https://idp.example.net/oauth2/introspect"',
  'introspection_client_id = "mcns"',
].join('\n');

test('the default is built-in tokens only', () => {
  assert.deepEqual(parseConfigText('', FILE).auth, { mode: 'tokens', introspection: null });
});

test('tokens mode ignores the introspection keys', () => {
  const config = parseConfigText('[auth]\nintrospection_url = "https://idp.example.net/x"\nintrospection_client_id = "a"', FILE);
  assert.deepEqual(config.auth, { mode: 'tokens', introspection: null });
});

test('introspection mode with every key, defaults for timeout, cache and claims', () => {
  const config = parseConfigText(`${INTROSPECTION}\nintrospection_client_secret = "s3cret"`, FILE);
  assert.deepEqual(config.auth, {
    mode: 'introspection',
    introspection: {
      url: 'https://idp.example.net/oauth2/introspect', clientId: 'mcns', clientSecret: 's3cret',
      timeoutMs: 2000, cacheTtlMs: 30_000, roleClaim: 'scope', zonesClaim: 'scope',
    },
  });
  const tuned = parseConfigText(`${INTROSPECTION}\nintrospection_client_secret = "s"\nintrospection_timeout = "500ms"\n` +
    'introspection_cache_ttl = 0\nrole_claim = "mcns_role"\nzones_claim = "mcns_zones"', FILE);
  assert.deepEqual(tuned.auth.introspection, {
    url: 'https://idp.example.net/oauth2/introspect', clientId: 'mcns', clientSecret: 's',
    timeoutMs: 500, cacheTtlMs: 0, roleClaim: 'mcns_role', zonesClaim: 'mcns_zones',
  });
});

test('the client secret file is read relative to the config file, one trailing newline dropped', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-auth-config-'));
  try {
    writeFileSync(join(dir, 'secret'), 'from file\n');
    const file = join(dir, 'mcns.toml');
    const config = parseConfigText(`${INTROSPECTION}\nintrospection_client_secret_file = "secret"`, file);
    assert.equal(config.auth.introspection?.clientSecret, 'from file');
    assert.equal(errorOf(`${INTROSPECTION}\nintrospection_client_secret_file = "absent"`, file),
      `[auth] introspection_client_secret_file = ${JSON.stringify(join(dir, 'absent'))}: cannot read: no such file`);
    assert.equal(errorOf(`${INTROSPECTION}\nintrospection_client_secret = "x"\nintrospection_client_secret_file = "secret"`, file),
      '[auth] introspection_client_secret and introspection_client_secret_file are both set: keep one');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('introspection mode names the key it is missing', () => {
  assert.equal(errorOf('[auth]\nmode = "introspection"'), '[auth] mode = "introspection" needs introspection_url');
  assert.equal(errorOf('[auth]\nmode = "introspection"\nintrospection_url = "https://idp.example.net/i"'),
    '[auth] mode = "introspection" needs introspection_client_id');
  assert.equal(errorOf(INTROSPECTION),
    '[auth] mode = "introspection" needs introspection_client_secret or introspection_client_secret_file (non-empty)');
});

test('the endpoint is https, or http only to loopback', () => {
  const secret = '\nintrospection_client_secret = "s"';
  for (const url of ['http://127.0.0.1:8080/i', 'http://[::1]:8080/i', 'http://localhost/i']) {
    const text = `[auth]\nmode = "introspection"\nintrospection_url = "${url}"\nintrospection_client_id = "m"${secret}`;
    assert.equal(parseConfigText(text, FILE).auth.introspection?.url, url);
  }
  assert.equal(errorOf('[auth]\nintrospection_url = "http://idp.example.net/i"'),
    '[auth] introspection_url = "http://idp.example.net/i": must be https (http only to a loopback address)');
  assert.equal(errorOf('[auth]\nintrospection_url = "idp.example.net"'),
    '[auth] introspection_url = "idp.example.net": must be an absolute URL such as "https://idp.example.com/oauth2/introspect"');
  assert.equal(errorOf('[auth]\nmode = "ldap"'), '[auth] mode = "ldap": must be one of tokens, introspection');
  assert.equal(errorOf('[auth]\nrole_claim = ""'), '[auth] role_claim = "": must be a non-empty string');
  assert.equal(errorOf('[auth]\nintrospection_cache_ttl = "2h"'),
    '[auth] introspection_cache_ttl = "2h": must be a duration from 0ms to 3600s, as seconds (10) or with a unit ("10s", "500ms", "2m")');
});
