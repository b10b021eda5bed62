import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger, setLogLevel, type LogSink } from './index.js';

function bufferSink(isTTY: boolean): LogSink & { lines: string[] } {
  const lines: string[] = [];
  return { isTTY, lines, write(chunk: string) { lines.push(chunk); } };
}

test('writes one JSON object per event when the sink is not a terminal', () => {
  const sink = bufferSink(false);
  const log = createLogger({ level: 'info', sink });
  log.info({ zone: 'example.com.' }, 'zone loaded');
  assert.equal(sink.lines.length, 1);
  const event = JSON.parse(sink.lines[0]!) as Record<string, unknown>;
  assert.equal(event['msg'], 'zone loaded');
  assert.equal(event['zone'], 'example.com.');
  assert.equal(event['level'], 30);
  assert.equal(typeof event['time'], 'string');
});

test('writes a short human line when the sink is a terminal', () => {
  const sink = bufferSink(true);
  const log = createLogger({ level: 'info', sink });
  log.warn({ address: '127.0.0.1:5300', count: 2 }, 'slow start');
  assert.match(sink.lines[0]!, /^\d\d:\d\d:\d\d\.\d{3} WARN  slow start address=127\.0\.0\.1:5300 count=2\n$/);
});

test('drops events below the configured level', () => {
  const sink = bufferSink(false);
  const log = createLogger({ level: 'warn', sink });
  log.info('hidden');
  log.debug('hidden');
  log.error('shown');
  assert.equal(sink.lines.length, 1);
});

test('prints an error message and its stack below the line', () => {
  const sink = bufferSink(true);
  const log = createLogger({ level: 'debug', sink, pretty: true });
  log.error({ err: new Error('disk full') }, 'import failed');
  assert.match(sink.lines[0]!, /ERROR import failed err="disk full"\n    at /);
});

test('setLogLevel reaches children made before and after it', () => {
  const sink = bufferSink(false);
  const log = createLogger({ level: 'info', sink });
  const before = log.child({ layer: 'server' });
  setLogLevel(log, 'debug');
  const after = before.child({ zone: 'example.com.' });
  before.debug('shown 1');
  after.debug('shown 2');
  setLogLevel(log, 'error');
  before.warn('hidden');
  after.info('hidden');
  log.warn('hidden');
  assert.deepEqual(sink.lines.map((l) => (JSON.parse(l) as { msg: string }).msg), ['shown 1', 'shown 2']);
});
