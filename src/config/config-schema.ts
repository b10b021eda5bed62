// The schema of mcns.toml: one entry per [section], one field per key. docs/CONFIG.md
// documents exactly this table (a test compares them). A new section (api, forward,
// metrics, ...) is a new entry here and a new member of Config.
import {
  optionalDurationField,
  addressListField, booleanField, choiceField, cidrListField, durationField, integerField, listenAddressField, listenAddressesField, numberField, optionalListenAddressField,
  optionalPathField, pathField, textField, urlField, type ConfigField,
} from './config-field.js';

/** The levels `[log] level` accepts (the log layer's levels; config may not import it). */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** The values `[dns] udp_io` accepts (the server layer's UdpIo; config may not import it). */
export const UDP_IO_MODES = ['auto', 'batched', 'dgram'] as const;

/** The values `[auth] mode` accepts. */
export const AUTH_MODES = ['tokens', 'introspection'] as const;

/** One [section]: a sentence for the docs and its fields by TOML key. */
export interface ConfigSection {
  readonly doc: string;
  readonly fields: Readonly<Record<string, ConfigField<unknown>>>;
}

/** Every section and key mcns.toml accepts; anything else is rejected. */
export const configSchema = {
  dns: {
    doc: 'The DNS listeners (UDP and TCP on every address) and the limits a client can make them spend.',
    fields: {
      listen_addr: listenAddressesField({
        defaultText: '["127.0.0.1:5300", "[::1]:5300"]',
        doc: 'Addresses to serve DNS on, UDP and TCP each. IPv6 in brackets. 0.0.0.0 and [::] mean every interface; port 0 picks a free port.',
        example: 'listen_addr = ["0.0.0.0:53", "[::]:53"]',
      }),
      tcp_idle_timeout: durationField(100, 600_000, {
        defaultText: '"10s"',
        doc: 'Close a TCP connection that has sent no query for this long (RFC 7766 6.2.3). Seconds or a string with a unit.',
        example: 'tcp_idle_timeout = "30s"',
      }),
      tcp_max_connections: integerField(1, 1_000_000, {
        defaultText: '1000',
        doc: 'Open TCP connections allowed at once; further connections are refused until one closes.',
        example: 'tcp_max_connections = 5000',
      }),
      tcp_max_queries_per_connection: integerField(0, 1_000_000, {
        defaultText: '0',
        doc: 'Queries answered on one TCP connection before it is closed (the client reconnects); 0 for no limit, as BIND and Knot.',
        example: 'tcp_max_queries_per_connection = 100',
      }),
      udp_max_payload: integerField(512, 4096, {
        defaultText: '1232',
        doc: 'Largest UDP response we send, whatever the client offers in EDNS (RFC 6891 6.2.5); 1232 avoids IP fragmentation (DNS Flag Day 2020). Larger answers set TC and the client retries over TCP.',
        example: 'udp_max_payload = 1400',
      }),
      udp_io: choiceField(UDP_IO_MODES, {
        defaultText: '"auto"',
        doc: 'How UDP is read and written: "batched" is mcns\'s native socket (many datagrams per recvmmsg/sendmmsg; Linux, built at install with cc), "dgram" is Node\'s socket, "auto" the first when it is built, else the second (the start log says which and why). "batched" refuses to start without the module.',
        example: 'udp_io = "dgram"',
      }),
    },
  },
  database: {
    doc: 'The SQLite database that holds zones, records and the change journal.',
    fields: {
      path: pathField({
        defaultText: '"./data/mcns.db"',
        doc: 'Database file, created with its directory if missing. A relative path resolves against the config file\'s directory (the current directory when no config file is given).',
        example: 'path = "/srv/mcns/mcns.db"',
      }),
    },
  },
  backup: {
    doc: 'Snapshots of the database, and the change log that lets the changes made after a snapshot be replayed onto it (src/ops/README.md).',
    fields: {
      dir: optionalPathField({
        defaultText: '""',
        doc: 'Directory of snapshots (mcns-YYYYMMDD-HHMMSS.db, UTC); "" for backups/ next to the database.',
        example: 'dir = "/srv/mcns/backups"',
      }),
      keep: integerField(0, 100_000, {
        defaultText: '14',
        doc: 'Newest snapshots kept in dir; older ones are deleted after each new snapshot. 0 keeps all.',
        example: 'keep = 30',
      }),
      interval: optionalDurationField(60_000, 7 * 86_400_000, {
        defaultText: '"24h"',
        doc: 'How often the server takes a snapshot, counted from the newest one in dir (the first at least 10 minutes after start); "" for never.',
        example: 'interval = "6h"',
      }),
      journal_dir: optionalPathField({
        defaultText: '""',
        doc: 'Directory of the change log (changes-NNNNNN.jsonl): every committed change as one JSON line, fsynced before the API answers; "" for journal/ next to the database.',
        example: 'journal_dir = "/srv/mcns/journal"',
      }),
      journal_file_mib: integerField(1, 4096, {
        defaultText: '64',
        doc: 'Size in MiB at which a change-log file is closed and the next one begun.',
        example: 'journal_file_mib = 16',
      }),
      journal_keep: integerField(0, 100_000, {
        defaultText: '16',
        doc: 'Change-log files kept; the oldest beyond this are deleted. 0 keeps all. Keep enough to reach back past the oldest snapshot you would restore.',
        example: 'journal_keep = 64',
      }),
    },
  },
  log: {
    doc: 'Structured logs on stderr: JSON lines, or short human lines when stderr is a terminal.',
    fields: {
      level: choiceField(LOG_LEVELS, {
        defaultText: '"info"',
        doc: 'Least severe level written. Reloaded on SIGHUP.',
        example: 'level = "debug"',
      }),
      query_log: optionalPathField({
        defaultText: '""',
        doc: 'File the query log is appended to, one JSON line per sampled query; "" for none. Reopened on SIGHUP (log rotation).',
        example: 'query_log = "/var/log/mcns/queries.jsonl"',
      }),
      query_log_sample: numberField(0, 1, {
        defaultText: '1.0',
        doc: 'Fraction of queries written to query_log, from 0 (none) to 1 (all). Reloaded on SIGHUP.',
        example: 'query_log_sample = 0.01',
      }),
    },
  },
  api: {
    doc: 'The management API: REST (HTTPS) and gRPC (HTTP/2 with TLS), sharing one certificate.',
    fields: {
      rest_addr: listenAddressField({
        defaultText: '"127.0.0.1:8443"',
        doc: 'Address of the REST API (HTTPS). IPv6 in brackets; 0.0.0.0 or [::] for every interface; port 0 picks a free port.',
        example: 'rest_addr = "0.0.0.0:8443"',
      }),
      grpc_addr: listenAddressField({
        defaultText: '"127.0.0.1:9443"',
        doc: 'Address of the gRPC API (HTTP/2 with TLS). IPv6 in brackets; 0.0.0.0 or [::] for every interface; port 0 picks a free port.',
        example: 'grpc_addr = "0.0.0.0:9443"',
      }),
      tls_cert: optionalPathField({
        defaultText: '""',
        doc: 'PEM certificate chain for both APIs; set with tls_key or leave both empty to have mcns make a CA and a certificate in <database dir>/tls/. Reloaded on SIGHUP and when the file changes.',
        example: 'tls_cert = "/srv/mcns/certs/cert.pem"',
      }),
      tls_key: optionalPathField({
        defaultText: '""',
        doc: 'PEM private key of tls_cert; set both or neither.',
        example: 'tls_key = "/srv/mcns/certs/key.pem"',
      }),
    },
  },
  auth: {
    doc: 'How management calls prove who they are: built-in mcns_ tokens, and optionally an OAuth 2.0 identity provider asked by token introspection (RFC 7662).',
    fields: {
      mode: choiceField(AUTH_MODES, {
        defaultText: '"tokens"',
        doc: 'tokens: built-in tokens only. introspection: other bearer tokens are checked with the identity provider; built-in tokens still work, checked locally (the break-glass path when the provider is down).',
        example: 'mode = "tokens"',
      }),
      introspection_url: urlField({
        defaultText: '""',
        doc: 'The provider\'s RFC 7662 introspection endpoint; required in introspection mode. https, or http to loopback only.',
        example: 'introspection_url = "https://mcias.example.net:8443/oauth2/introspect"',
      }),
      introspection_client_id: textField(true, {
        defaultText: '""',
        doc: 'Client id mcns authenticates to the endpoint with (HTTP Basic); required in introspection mode.',
        example: 'introspection_client_id = "mcns"',
      }),
      introspection_client_secret: textField(true, {
        defaultText: '""',
        doc: 'Client secret for the endpoint; set this or introspection_client_secret_file, not both.',
        example: 'introspection_client_secret = "change-me"',
      }),
      introspection_client_secret_file: optionalPathField({
        defaultText: '""',
        doc: 'File holding the client secret (trailing newline ignored), read when the config is loaded; keeps the secret out of mcns.toml.',
        example: 'introspection_client_secret_file = "/srv/mcns/secrets/introspection"',
      }),
      introspection_timeout: durationField(100, 60_000, {
        defaultText: '"2s"',
        doc: 'Give up on one introspection request after this long; the call then fails UNAVAILABLE (REST 502).',
        example: 'introspection_timeout = "1s"',
      }),
      introspection_cache_ttl: durationField(0, 3_600_000, {
        defaultText: '"30s"',
        doc: 'Remember a positive answer this long at most, never past the token\'s exp; 0 asks every time. Negative answers are never cached.',
        example: 'introspection_cache_ttl = "1m"',
      }),
      role_claim: textField(false, {
        defaultText: '"scope"',
        doc: 'Answer member holding the role: mcns:admin, mcns:editor or mcns:viewer (bare names too in a dedicated member).',
        example: 'role_claim = "mcns_role"',
      }),
      zones_claim: textField(false, {
        defaultText: '"scope"',
        doc: 'Answer member holding the zones, as mcns:zone:example.com. (bare names too in a dedicated member); none means every zone.',
        example: 'zones_claim = "mcns_zones"',
      }),
    },
  },
  metrics: {
    doc: 'Prometheus metrics over plain HTTP: GET /metrics (src/metrics/README.md lists every metric).',
    fields: {
      listen_addr: optionalListenAddressField({
        defaultText: '"127.0.0.1:9153"',
        doc: 'Address of the metrics listener (plain HTTP, no authentication). IPv6 in brackets; 0.0.0.0 or [::] for every interface; port 0 picks a free port; "" or "off" turns it off.',
        example: 'listen_addr = "0.0.0.0:9153"',
      }),
    },
  },
  forward: {
    doc: 'Forwarding of queries for names in none of our zones to upstream resolvers, with a cache (src/forwarder/README.md). Without upstreams such queries are REFUSED, with an Extended DNS Error saying why.',
    fields: {
      upstreams: addressListField({
        defaultText: '[]',
        doc: 'Upstream resolvers, tried in order; an upstream that keeps failing is skipped until it recovers. Empty: forwarding off.',
        example: 'upstreams = ["192.0.2.53:53", "[2001:db8::53]:53"]',
      }),
      allow_recursion: cidrListField({
        defaultText: '["127.0.0.0/8", "::1/128"]',
        doc: 'Clients that may recurse (forwarding, and RA in every answer to them); others get REFUSED with EDE 18 "recursion not allowed for this client".',
        example: 'allow_recursion = ["127.0.0.0/8", "::1/128", "10.0.0.0/8"]',
      }),
      timeout: durationField(10, 60_000, {
        defaultText: '"1500ms"',
        doc: 'Wait for one upstream try before the next.',
        example: 'timeout = "1s"',
      }),
      attempts: integerField(1, 10, {
        defaultText: '3',
        doc: 'Most tries per question, over all upstreams.',
        example: 'attempts = 2',
      }),
      deadline: durationField(10, 60_000, {
        defaultText: '"4s"',
        doc: 'Longest time for one question, all tries together (stub resolvers usually wait 5 s).',
        example: 'deadline = "3s"',
      }),
      cache_max_bytes: integerField(0, 64 * 1024 * 1024 * 1024, {
        defaultText: '67108864',
        doc: 'Size bound of the cache of upstream answers in bytes (least recently used entries go first); 0 turns the cache off.',
        example: 'cache_max_bytes = 268435456',
      }),
      min_ttl: integerField(0, 86400, {
        defaultText: '0',
        doc: 'TTL floor, in seconds, for cached answers.',
        example: 'min_ttl = 30',
      }),
      max_ttl: integerField(1, 604800, {
        defaultText: '86400',
        doc: 'TTL ceiling, in seconds, for cached answers.',
        example: 'max_ttl = 3600',
      }),
      neg_max_ttl: integerField(0, 86400, {
        defaultText: '3600',
        doc: 'Ceiling, in seconds, for cached NXDOMAIN and NODATA (RFC 2308: from the SOA in the answer).',
        example: 'neg_max_ttl = 300',
      }),
      serve_stale: booleanField({
        defaultText: 'false',
        doc: 'When no upstream answers, answer from expired cache entries with TTL 30 and an EDE (RFC 8767).',
        example: 'serve_stale = true',
      }),
      stale_max_age: integerField(0, 604800, {
        defaultText: '86400',
        doc: 'How long past expiry, in seconds, an answer may still be served stale.',
        example: 'stale_max_age = 3600',
      }),
    },
  },
  server: {
    doc: 'The process as a whole: how it stops.',
    fields: {
      shutdown_timeout: durationField(0, 600_000, {
        defaultText: '"30s"',
        doc: 'On SIGTERM or SIGINT, how long calls and DNS replies in flight may take to finish before their connections are cut.',
        example: 'shutdown_timeout = "10s"',
      }),
    },
  },
} as const satisfies Readonly<Record<string, ConfigSection>>;

/** The schema's type, for walking it with the right value types. */
export type ConfigSchema = typeof configSchema;
