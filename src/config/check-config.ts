// The schema walker: checks a parsed TOML document against configSchema, fills in
// defaults and returns a Config, or throws one ConfigError line naming the key,
// the value and the fix.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { closestName } from './closest-name.js';
import type { Config } from './config.js';
import { FieldIssue, type FieldContext, type FieldValue } from './config-field.js';
import { ConfigError } from './config-error.js';
import { configSchema, type ConfigSchema } from './config-schema.js';

type SectionValues<S extends keyof ConfigSchema> = {
  -readonly [K in keyof ConfigSchema[S]['fields']]: FieldValue<ConfigSchema[S]['fields'][K]>;
};
type SchemaValues = { -readonly [S in keyof ConfigSchema]: SectionValues<S> };

const SECTION_NAMES = Object.keys(configSchema) as (keyof ConfigSchema)[];

/** Checks a parsed TOML document; `source` is the file (for Config.source), baseDir resolves paths. */
export function checkConfig(doc: Readonly<Record<string, unknown>>, source: string | null, baseDir: string): Config {
  const ctx: FieldContext = { baseDir };
  for (const [key, value] of Object.entries(doc)) {
    if (SECTION_NAMES.includes(key as keyof ConfigSchema)) {
      if (!isTable(value)) throw new ConfigError(`${key} = ${valueText(value)}: must be a table; write it as [${key}]`, source);
      continue;
    }
    if (isTable(value)) {
      const near = closestName(key, SECTION_NAMES);
      const hint = near === null ? `known tables are ${SECTION_NAMES.map((s) => `[${s}]`).join(', ')}` : `did you mean [${near}]?`;
      throw new ConfigError(`[${key}]: unknown table; ${hint}`, source);
    }
    const home = SECTION_NAMES.find((s) => key in configSchema[s].fields);
    const hint = home === undefined ? `keys belong in a table such as [${SECTION_NAMES[0]}]` : `move it under [${home}]`;
    throw new ConfigError(`${key} = ${valueText(value)}: key outside any table; ${hint}`, source);
  }
  const values = {} as Record<string, Record<string, unknown>>;
  for (const section of SECTION_NAMES) {
    values[section] = checkSection(section, doc[section] as Record<string, unknown> | undefined, ctx, source);
  }
  return toConfig(values as SchemaValues, source);
}

function checkSection(
  section: keyof ConfigSchema, table: Readonly<Record<string, unknown>> | undefined, ctx: FieldContext, source: string | null,
): Record<string, unknown> {
  const fields: Readonly<Record<string, { parse(value: unknown, ctx: FieldContext): unknown; defaultText: string }>> =
    configSchema[section].fields;
  const known = Object.keys(fields);
  const given = table ?? {};
  for (const [key, value] of Object.entries(given)) {
    if (key in fields) continue;
    const near = closestName(key, known);
    let hint: string;
    if (near !== null) {
      hint = `did you mean "${near}"?`;
    } else {
      const home = SECTION_NAMES.find((s) => s !== section && key in configSchema[s].fields);
      hint = home !== undefined ? `it belongs in [${home}]` : `known keys are ${known.join(', ')}`;
    }
    throw new ConfigError(`[${section}] ${key} = ${valueText(value)}: unknown key; ${hint}`, source);
  }
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(fields)) {
    const present = Object.hasOwn(given, key);
    const value = present ? given[key] : defaultValue(field.defaultText);
    try {
      out[key] = field.parse(value, ctx);
    } catch (err) {
      if (!(err instanceof FieldIssue)) throw err;
      // A default that fails its own field is a bug in the schema, not the operator's.
      if (!present) throw new Error(`default of [${section}] ${key} is invalid: ${err.message}`);
      throw new ConfigError(`[${section}] ${key} = ${valueText(value)}: ${err.message}`, source);
    }
  }
  return out;
}

/** The value the documented default text stands for (defaults are written once, as TOML). */
function defaultValue(defaultText: string): unknown {
  return parseToml(`v = ${defaultText}`)['v'];
}

function toConfig(v: SchemaValues, source: string | null): Config {
  return {
    source,
    dns: {
      listen: v.dns.listen_addr,
      tcpIdleTimeoutMs: v.dns.tcp_idle_timeout,
      tcpMaxConnections: v.dns.tcp_max_connections,
      tcpMaxQueriesPerConnection: v.dns.tcp_max_queries_per_connection,
      udpMaxPayload: v.dns.udp_max_payload,
      udpIo: v.dns.udp_io,
    },
    database: { path: v.database.path },
    backup: backupConfig(v.backup, v.database.path),
    log: { level: v.log.level, queryLog: v.log.query_log, queryLogSample: v.log.query_log_sample },
    api: {
      restAddr: v.api.rest_addr,
      grpcAddr: v.api.grpc_addr,
      tlsCert: v.api.tls_cert,
      tlsKey: v.api.tls_key,
    },
    auth: authConfig(v.auth, source),
    metrics: { listen: v.metrics.listen_addr },
    forward: {
      upstreams: v.forward.upstreams,
      allowRecursion: v.forward.allow_recursion,
      timeoutMs: v.forward.timeout,
      attempts: v.forward.attempts,
      deadlineMs: v.forward.deadline,
      cacheMaxBytes: v.forward.cache_max_bytes,
      minTtl: v.forward.min_ttl,
      maxTtl: v.forward.max_ttl,
      negMaxTtl: v.forward.neg_max_ttl,
      serveStale: v.forward.serve_stale,
      staleMaxAge: v.forward.stale_max_age,
    },
    server: { shutdownTimeoutMs: v.server.shutdown_timeout },
  };
}

/**
 * [auth]: in introspection mode the endpoint, the client id and exactly one of the
 * secret and its file are required; the file is read here (config is the only
 * reader of configuration). In tokens mode the introspection keys are ignored.
 */
function authConfig(a: SectionValues<'auth'>, source: string | null): Config['auth'] {
  if (a.mode === 'tokens') return { mode: 'tokens', introspection: null };
  const missing = (key: string): ConfigError =>
    new ConfigError(`[auth] mode = "introspection" needs ${key}`, source);
  if (a.introspection_url === null) throw missing('introspection_url');
  if (a.introspection_client_id === '') throw missing('introspection_client_id');
  const file = a.introspection_client_secret_file;
  if (file !== null && a.introspection_client_secret !== '') {
    throw new ConfigError('[auth] introspection_client_secret and introspection_client_secret_file are both set: keep one', source);
  }
  let clientSecret = a.introspection_client_secret;
  if (file !== null) {
    try {
      clientSecret = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
      throw new ConfigError(`[auth] introspection_client_secret_file = ${JSON.stringify(file)}: cannot read: ${why}`, source);
    }
  }
  if (clientSecret === '') throw missing('introspection_client_secret or introspection_client_secret_file (non-empty)');
  return {
    mode: 'introspection',
    introspection: {
      url: a.introspection_url, clientId: a.introspection_client_id, clientSecret,
      timeoutMs: a.introspection_timeout, cacheTtlMs: a.introspection_cache_ttl,
      roleClaim: a.role_claim, zonesClaim: a.zones_claim,
    },
  };
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** A value as it would appear in the TOML file. */
function valueText(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(valueText).join(', ')}]`;
  if (value instanceof Date) return value.toISOString();
  if (isTable(value)) return `{ ${Object.entries(value).map(([k, x]) => `${k} = ${valueText(x)}`).join(', ')} }`;
  return String(value);
}

/** [backup], with its directories defaulting to backups/ and journal/ next to the database. */
function backupConfig(b: SectionValues<'backup'>, database: string): Config['backup'] {
  return {
    dir: b.dir ?? join(dirname(database), 'backups'),
    keep: b.keep,
    intervalMs: b.interval,
    journalDir: b.journal_dir ?? join(dirname(database), 'journal'),
    journalFileBytes: b.journal_file_mib * 1024 * 1024,
    journalKeep: b.journal_keep,
  };
}
