import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, parseConfigText } from './index.js';

const FILE = '/etc/mcns/mcns.toml';

function errorOf(text: string): string {
  try {
    parseConfigText(text, FILE);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.message;
  }
  assert.fail('expected a ConfigError');
}

test('[server] shutdown_timeout defaults to 30 s and takes a duration, 0 included', () => {
  assert.equal(parseConfigText('', FILE).server.shutdownTimeoutMs, 30_000);
  assert.equal(parseConfigText('[server]\nshutdown_timeout = "1s"\n', FILE).server.shutdownTimeoutMs, 1_000);
  assert.equal(parseConfigText('[server]\nshutdown_timeout = 0\n', FILE).server.shutdownTimeoutMs, 0);
  assert.match(errorOf('[server]\nshutdown_timeout = "2h"\n'), /^\[server\] shutdown_timeout = "2h": must be a duration from 0ms to 600s/);
});

test('[log] query log is off by default; its path resolves against the file and its sample is a fraction', () => {
  const off = parseConfigText('', FILE).log;
  assert.deepEqual(off, { level: 'info', queryLog: null, queryLogSample: 1 });
  const on = parseConfigText('[log]\nquery_log = "queries.jsonl"\nquery_log_sample = 0.25\n', FILE).log;
  assert.deepEqual(on, { level: 'info', queryLog: '/etc/mcns/queries.jsonl', queryLogSample: 0.25 });
  assert.equal(parseConfigText('[log]\nquery_log_sample = 0\n', FILE).log.queryLogSample, 0);
  assert.equal(errorOf('[log]\nquery_log_sample = 1.5\n'), '[log] query_log_sample = 1.5: must be a number from 0 to 1');
  assert.equal(errorOf('[log]\nquery_log_sample = "all"\n'), '[log] query_log_sample = "all": must be a number from 0 to 1');
});
