// Public face of the log layer: the one structured logger.
export { createLogger, LOG_LEVELS, setLogLevel, type LogLevel, type Logger, type LogSink, type LoggerOptions } from './create-logger.js';
export { formatLogLine } from './format-log-line.js';
