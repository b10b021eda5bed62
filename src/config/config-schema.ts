// The schema of mcns.toml: one entry per [section], one field per key. docs/CONFIG.md
// documents exactly this table (a test compares them). A new section (api, forward,
// metrics, ...) is a new entry here and a new member of Config.
import {
  choiceField, durationField, integerField, listenAddressesField, pathField, type ConfigField,
} from './config-field.js';

/** The levels `[log] level` accepts (the log layer's levels; config may not import it). */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

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
  log: {
    doc: 'Structured logs on stderr: JSON lines, or short human lines when stderr is a terminal.',
    fields: {
      level: choiceField(LOG_LEVELS, {
        defaultText: '"info"',
        doc: 'Least severe level written.',
        example: 'level = "debug"',
      }),
    },
  },
} as const satisfies Readonly<Record<string, ConfigSection>>;

/** The schema's type, for walking it with the right value types. */
export type ConfigSchema = typeof configSchema;
