// A tiny pretty printer for pino's JSON lines, for a person at a terminal:
//   12:04:05.123 INFO  listening address=127.0.0.1:5300 transport=udp
const LEVEL_NAMES: Readonly<Record<number, string>> = {
  10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL',
};

const SKIPPED = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

/** Turns one JSON log line into "HH:MM:SS.mmm LEVEL message key=value ...\n"; other text passes through. */
export function formatLogLine(line: string): string {
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : line + '\n';
  }
  const time = typeof event['time'] === 'string' ? clockOf(event['time']) : '';
  const level = typeof event['level'] === 'number' ? (LEVEL_NAMES[event['level']] ?? String(event['level'])) : '?';
  let out = `${time} ${level} ${typeof event['msg'] === 'string' ? event['msg'] : ''}`;
  let stack = '';
  for (const [key, value] of Object.entries(event)) {
    if (SKIPPED.has(key)) continue;
    if (key === 'err' && value !== null && typeof value === 'object') {
      const err = value as Record<string, unknown>;
      out += ` err=${fieldText(err['message'])}`;
      if (typeof err['stack'] === 'string') stack = '\n    ' + err['stack'].split('\n').slice(1).join('\n    ').trim();
      continue;
    }
    out += ` ${key}=${fieldText(value)}`;
  }
  return out + stack + '\n';
}

function clockOf(iso: string): string {
  const t = iso.indexOf('T');
  return t < 0 ? iso : iso.slice(t + 1, t + 13);
}

function fieldText(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return JSON.stringify(value) ?? 'undefined';
}
