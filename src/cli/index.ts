// Public face of the CLI: the mcns command (bin/mcns.js calls main).
export { main, VERSION } from './main.js';
export { ExitCode, exitCodeFor } from './exit-code.js';
export { processIo, type CliIo, type SignalSource } from './cli-io.js';
export { CliError } from './cli-error.js';
