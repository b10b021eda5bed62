// Public face of the config layer: the only reader of mcns.toml.
export type {
  ApiConfig, AuthConfig, Config, DnsConfig, DatabaseConfig, IntrospectionConfig, LogConfig, MetricsConfig, ForwardConfig, ServerConfig,
} from './config.js';
export { ConfigError } from './config-error.js';
export { listenAddressText, type ListenAddress } from './config-field.js';
export { AUTH_MODES, configSchema, LOG_LEVELS, type ConfigSchema, type ConfigSection } from './config-schema.js';
export { checkConfig } from './check-config.js';
export { loadConfig, parseConfigText, type LoadConfigOptions } from './load-config.js';
export type { BackupConfig } from './config.js';
