// The mcns command: parses the command line with commander, loads the one verb
// asked for (one file per verb, imported on demand), and maps its outcome to an
// exit code (src/cli/README.md lists them).
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { processIo, type CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';
import { reportError } from './report-error.js';

/** The package version, from package.json. */
export const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

interface ConfigOption {
  config?: string;
}

/** Runs `mcns` with the arguments after the program name; resolves to the exit code. Never rejects. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let code: number = ExitCode.OK;
  const program = new Command('mcns')
    .description('authoritative DNS server with the operations toolkit that keeps it healthy')
    .version(VERSION, '-V, --version', 'print the version')
    .helpCommand('help [command]', 'show help for a command')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => { io.stdout.write(s); },
      writeErr: (s) => { io.stderr.write(s); },
    })
    .showSuggestionAfterError()
    .addHelpText('after', `
Examples:
  mcns serve                                   serve the example zone on 127.0.0.1:5300 and [::1]:5300
  mcns serve --config /srv/mcns/mcns.toml
  mcns zone import example.com examples/example.com.zone
  mcns zone export example.com > example.com.zone
  mcns zone list --json

Exit codes: 0 ok, 2 usage, 3 not found, 4 invalid input or conflict, 5 server or runtime error.
Configuration keys and defaults: docs/CONFIG.md.`);

  program.command('serve')
    .description('serve DNS over UDP and TCP until SIGTERM or SIGINT; SIGHUP reloads zones from the database')
    .option('-c, --config <file>', 'config file (default: the embedded default, see docs/CONFIG.md)')
    .action(async (opts: ConfigOption) => {
      code = await (await import('./serve.js')).serve(opts, io);
    });

  const zone = program.command('zone').description('import, export and list zones in the database');
  zone.command('import')
    .description('load a zone file (RFC 1035 master format) in one transaction; a bad file changes nothing')
    .argument('<name>', 'zone apex, e.g. example.com')
    .argument('<file>', 'zone file; $INCLUDE may read files in its directory')
    .option('-c, --config <file>', 'config file')
    .action(async (name: string, file: string, opts: ConfigOption) => {
      code = await (await import('./zone-import.js')).zoneImport(name, file, opts, io);
    });
  zone.command('export')
    .description('print the zone as a zone file')
    .argument('<name>', 'zone apex, e.g. example.com')
    .option('-c, --config <file>', 'config file')
    .action(async (name: string, opts: ConfigOption) => {
      code = await (await import('./zone-export.js')).zoneExport(name, opts, io);
    });
  zone.command('list')
    .description('list zones with serial and record count')
    .option('-c, --config <file>', 'config file')
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: ConfigOption & { json?: boolean }) => {
      code = await (await import('./zone-list.js')).zoneList(opts, io);
    });

  try {
    if (argv.length === 0) {
      program.outputHelp({ error: true });
      return ExitCode.USAGE;
    }
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    // Commander has already printed its message; --help and --version end with exit code 0.
    if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    return reportError(err, io);
  }
}
