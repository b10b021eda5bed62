// The field kinds of the config schema. Each kind checks one TOML value and turns
// it into a typed value, or says in a few words what it must be (the fix).
import { isIPv4, isIPv6 } from 'node:net';
import { isAbsolute, resolve } from 'node:path';

/** What a field parser knows about where the value came from. */
export interface FieldContext {
  /** Directory that relative paths resolve against: the config file's, or the cwd. */
  readonly baseDir: string;
}

/** Thrown by a field parser: the fix, e.g. "must be an integer from 1 to 65535". */
export class FieldIssue extends Error {
  override readonly name = 'FieldIssue';
}

/** One key of one section: its documentation and a parser from TOML value to T. */
export interface ConfigField<T> {
  /** Type as written in docs/CONFIG.md ("integer", "duration", ...). */
  readonly type: string;
  /** The default, as the TOML text that would produce it. */
  readonly defaultText: string;
  /** One sentence for docs/CONFIG.md. */
  readonly doc: string;
  /** A TOML line showing a typical value. */
  readonly example: string;
  /** Checks a value from the file; throws FieldIssue with the fix. */
  parse(value: unknown, ctx: FieldContext): T;
}

/** The value type a field produces. */
export type FieldValue<F> = F extends ConfigField<infer T> ? T : never;

/** Documentation shared by every field constructor. */
export interface FieldDoc {
  readonly doc: string;
  readonly example: string;
  readonly defaultText: string;
}

/** An integer in [min, max]. */
export function integerField(min: number, max: number, doc: FieldDoc): ConfigField<number> {
  return {
    type: 'integer', ...doc,
    parse(value) {
      if (typeof value === 'bigint' && value >= BigInt(min) && value <= BigInt(max)) return Number(value);
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
        throw new FieldIssue(`must be an integer from ${min} to ${max}`);
      }
      return value;
    },
  };
}

/** A number in [min, max], integer or not (a fraction such as a sampling rate). */
export function numberField(min: number, max: number, doc: FieldDoc): ConfigField<number> {
  return {
    type: 'number', ...doc,
    parse(value) {
      const n = typeof value === 'bigint' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n) || n < min || n > max) throw new FieldIssue(`must be a number from ${min} to ${max}`);
      return n;
    },
  };
}

/** One of a fixed list of strings. */
export function choiceField<const C extends readonly string[]>(choices: C, doc: FieldDoc): ConfigField<C[number]> {
  return {
    type: 'string', ...doc,
    parse(value) {
      if (typeof value !== 'string' || !choices.includes(value)) {
        throw new FieldIssue(`must be one of ${choices.join(', ')}`);
      }
      return value as C[number];
    },
  };
}

/** A file path; relative paths resolve against the config file's directory. */
export function pathField(doc: FieldDoc): ConfigField<string> {
  return {
    type: 'path', ...doc,
    parse(value, ctx) {
      if (typeof value !== 'string' || value.length === 0) throw new FieldIssue('must be a non-empty path string');
      return isAbsolute(value) ? value : resolve(ctx.baseDir, value);
    },
  };
}

/** A file path that may be left empty ("" means none, giving null); relative paths resolve as pathField's. */
export function optionalPathField(doc: FieldDoc): ConfigField<string | null> {
  return {
    type: 'path', ...doc,
    parse(value, ctx) {
      if (typeof value !== 'string') throw new FieldIssue('must be a path string, or "" for none');
      if (value.length === 0) return null;
      return isAbsolute(value) ? value : resolve(ctx.baseDir, value);
    },
  };
}

/** A string; `allowEmpty` false refuses "". */
export function textField(allowEmpty: boolean, doc: FieldDoc): ConfigField<string> {
  return {
    type: 'string', ...doc,
    parse(value) {
      if (typeof value !== 'string') throw new FieldIssue(allowEmpty ? 'must be a string' : 'must be a non-empty string');
      if (!allowEmpty && value.length === 0) throw new FieldIssue('must be a non-empty string');
      return value;
    },
  };
}

/**
 * An https URL, or http to a loopback address only (credentials and tokens must not
 * cross a network in clear); "" means none, giving null.
 */
export function urlField(doc: FieldDoc): ConfigField<string | null> {
  return {
    type: 'string', ...doc,
    parse(value) {
      if (typeof value !== 'string') throw new FieldIssue('must be a URL string, or "" for none');
      if (value.length === 0) return null;
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        throw new FieldIssue('must be an absolute URL such as "https://idp.example.com/oauth2/introspect"');
      }
      const host = url.hostname.replace(/^\[|\]$/g, '');
      const loopback = host === 'localhost' || host === '::1' || (isIPv4(host) && host.startsWith('127.'));
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
        throw new FieldIssue('must be https (http only to a loopback address)');
      }
      return url.href;
    },
  };
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A duration in milliseconds within [minMs, maxMs]: a number of seconds (10, 0.5)
 * or a string with a unit ("10s", "500ms", "2m").
 */
export function durationField(minMs: number, maxMs: number, doc: FieldDoc): ConfigField<number> {
  const fix = `must be a duration from ${minMs}ms to ${maxMs / 1000}s, as seconds (10) or with a unit ("10s", "500ms", "2m")`;
  return {
    type: 'duration', ...doc,
    parse(value) {
      let ms: number;
      if (typeof value === 'number') {
        ms = value * 1000;
      } else if (typeof value === 'bigint') {
        ms = Number(value) * 1000;
      } else if (typeof value === 'string') {
        const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(value.trim());
        if (match === null) throw new FieldIssue(fix);
        ms = Number(match[1]) * DURATION_UNITS[match[2]!]!;
      } else {
        throw new FieldIssue(fix);
      }
      if (!Number.isFinite(ms) || ms < minMs || ms > maxMs) throw new FieldIssue(fix);
      return Math.round(ms);
    },
  };
}

/** A duration as durationField, or "" for none (null): a schedule that may be turned off. */
export function optionalDurationField(minMs: number, maxMs: number, doc: FieldDoc): ConfigField<number | null> {
  const inner = durationField(minMs, maxMs, doc);
  return {
    type: 'duration', ...doc,
    parse(value, ctx) {
      if (value === '') return null;
      try {
        return inner.parse(value, ctx);
      } catch (err) {
        if (err instanceof FieldIssue) throw new FieldIssue(`${err.message}, or "" for never`);
        throw err;
      }
    },
  };
}

/** An address to listen on: an IP literal and a port. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** "addr:port" with IPv6 in brackets ("[::1]:53"), or a list of them. */
export function listenAddressesField(doc: FieldDoc): ConfigField<readonly ListenAddress[]> {
  return {
    type: 'string or list of strings', ...doc,
    parse(value) {
      const items = Array.isArray(value) ? value : [value];
      if (items.length === 0) throw new FieldIssue('must name at least one address, e.g. "127.0.0.1:53"');
      const seen = new Set<string>();
      const out: ListenAddress[] = [];
      for (const item of items) {
        const address = parseListenAddress(item);
        const key = `${address.host}|${address.port}`;
        if (seen.has(key)) throw new FieldIssue(`lists ${listenAddressText(address)} twice; remove one`);
        seen.add(key);
        out.push(address);
      }
      return out;
    },
  };
}

/** Exactly one "addr:port" (IPv6 in brackets), for a listener that binds one address. */
export function listenAddressField(doc: FieldDoc): ConfigField<ListenAddress> {
  return {
    type: 'string', ...doc,
    parse(value) {
      if (typeof value !== 'string') throw new FieldIssue('must be one "addr:port" string, e.g. "127.0.0.1:8443"');
      return parseListenAddress(value);
    },
  };
}

/** One "addr:port" (IPv6 in brackets), or "" or "off" for none, giving null: a listener that may be turned off. */
export function optionalListenAddressField(doc: FieldDoc): ConfigField<ListenAddress | null> {
  return {
    type: 'string', ...doc,
    parse(value) {
      if (value === '' || value === 'off') return null;
      if (typeof value !== 'string') throw new FieldIssue('must be one "addr:port" string, e.g. "127.0.0.1:9153", or "off"');
      return parseListenAddress(value);
    },
  };
}

/** The "addr:port" text of a listen address, IPv6 in brackets. */
export function listenAddressText(address: ListenAddress): string {
  return isIPv6(address.host) ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

function parseListenAddress(item: unknown): ListenAddress {
  if (typeof item !== 'string') {
    throw new FieldIssue('must be "addr:port" or a list of them, e.g. ["127.0.0.1:53", "[::1]:53"]');
  }
  let host: string;
  let portText: string;
  if (item.startsWith('[')) {
    const close = item.indexOf(']');
    if (close < 0 || item[close + 1] !== ':') throw new FieldIssue(`"${item}" must be "[IPv6]:port", e.g. "[::1]:53"`);
    host = item.slice(1, close);
    portText = item.slice(close + 2);
    if (!isIPv6(host)) throw new FieldIssue(`"${host}" is not an IPv6 address`);
  } else {
    const colon = item.lastIndexOf(':');
    if (colon < 0) throw new FieldIssue(`"${item}" has no port; write "${item}:53"`);
    host = item.slice(0, colon);
    portText = item.slice(colon + 1);
    if (host.includes(':')) throw new FieldIssue(`IPv6 addresses need brackets: "[${host}]:${portText}"`);
    if (!isIPv4(host)) throw new FieldIssue(`"${host}" is not an IP address; use one such as 127.0.0.1, 0.0.0.0 or [::]`);
  }
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  // Port 0 lets the system pick a free port (the same for UDP and TCP); tests use it.
  if (!(port >= 0 && port <= 65535)) throw new FieldIssue(`port "${portText}" must be an integer from 0 to 65535`);
  return { host, port };
}

/** true or false. */
export function booleanField(doc: FieldDoc): ConfigField<boolean> {
  return {
    type: 'boolean', ...doc,
    parse(value) {
      if (typeof value !== 'boolean') throw new FieldIssue('must be true or false (without quotes)');
      return value;
    },
  };
}

/** A list of "addr:port" to send to (empty allowed): upstream resolvers. Port 0 is refused. */
export function addressListField(doc: FieldDoc): ConfigField<readonly string[]> {
  return {
    type: 'list of strings', ...doc,
    parse(value) {
      if (!Array.isArray(value)) throw new FieldIssue('must be a list of "addr:port" strings, e.g. ["192.0.2.53:53"]');
      const out: string[] = [];
      for (const item of value) {
        const address = parseListenAddress(item);
        if (address.port === 0) throw new FieldIssue(`"${String(item)}" needs a real port, e.g. "${address.host.includes(':') ? `[${address.host}]` : address.host}:53"`);
        out.push(listenAddressText(address));
      }
      return out;
    },
  };
}

/** A list of CIDR prefixes ("127.0.0.0/8", "::1/128"); a bare address means the one host. */
export function cidrListField(doc: FieldDoc): ConfigField<readonly string[]> {
  return {
    type: 'list of strings', ...doc,
    parse(value) {
      if (!Array.isArray(value)) throw new FieldIssue('must be a list of CIDR strings, e.g. ["127.0.0.0/8", "::1/128"]');
      const out: string[] = [];
      for (const item of value) {
        if (typeof item !== 'string') throw new FieldIssue('must be a list of CIDR strings, e.g. ["10.0.0.0/8"]');
        const slash = item.indexOf('/');
        const host = slash < 0 ? item : item.slice(0, slash);
        const family = isIPv4(host) ? 4 : isIPv6(host) ? 6 : 0;
        if (family === 0) throw new FieldIssue(`"${item}" is not an IP address or CIDR prefix such as "192.0.2.0/24"`);
        const max = family === 4 ? 32 : 128;
        const bits = slash < 0 ? max : /^\d{1,3}$/.test(item.slice(slash + 1)) ? Number(item.slice(slash + 1)) : NaN;
        if (!(bits >= 0 && bits <= max)) throw new FieldIssue(`"${item}" has a prefix length outside 0-${max}`);
        out.push(slash < 0 ? `${host}/${max}` : item);
      }
      return out;
    },
  };
}
