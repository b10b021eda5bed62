// The mcns command: parses the command line with commander, loads the one verb
// asked for (one file per verb, imported on demand), and maps its outcome to an
// exit code (src/cli/README.md lists them).
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { processIo, type CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';
import { reportError } from './report-error.js';
import type { AuditOptions } from './audit.js';
import type { CacheFlushOptions } from './cache-flush.js';
import type { CacheShowOptions } from './cache-show.js';
import type { RecordAddOptions } from './record-add.js';
import type { RecordApplyOptions } from './record-apply.js';
import type { RecordDeleteOptions } from './record-delete.js';
import type { RecordGetOptions } from './record-get.js';
import type { RecordListOptions } from './record-list.js';
import type { RecordRemoveOptions } from './record-remove.js';
import type { RecordSetOptions } from './record-set.js';
import type { StatusOptions } from './status.js';
import type { TokenCreateOptions } from './token-create.js';
import type { TokenListOptions } from './token-list.js';
import type { TokenRevokeOptions } from './token-revoke.js';
import type { ZoneCreateOptions } from './zone-create.js';
import type { ZoneDeleteOptions } from './zone-delete.js';
import type { ZoneExportOptions } from './zone-export.js';
import type { ZoneGetOptions } from './zone-get.js';
import type { ZoneImportOptions } from './zone-import.js';
import type { ZoneListOptions } from './zone-list.js';
import type { IntegrityCheckOptions } from './integrity-check.js';
import type { ReplayOptions } from './replay.js';
import type { RestoreOptions } from './restore.js';
import type { SnapshotOptions } from './snapshot.js';

/** The package version, from package.json. */
export const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

interface ConfigOption {
  config?: string;
}

/** Appends a repeated option's value (--rr, --zone, --ns). */
function collect(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** --config for verbs that also work on the database directly. */
function configOption(): Option {
  return new Option('-c, --config <file>', 'work on the database named by this config file instead of the API');
}

/** --json for verbs whose output machines read. */
function jsonOption(): Option {
  return new Option('--json', 'print JSON instead of a table (errors too, on stderr)');
}

/** Adds --addr, --token and --ca-cert to every verb under `cmd` except serve and help. */
function addRemoteOptions(cmd: Command): void {
  for (const sub of cmd.commands) {
    if (sub.commands.length > 0) {
      addRemoteOptions(sub);
      continue;
    }
    if (sub.name() === 'serve' || sub.name() === 'help' || LOCAL_VERBS.has(sub.name())) continue;
    sub.addOption(new Option('--addr <url>', `management API address (default: $MCNS_ADDR, else ${DEFAULT_ADDR})`))
      .addOption(new Option('--token <token>', 'API token mcns_<id>_<secret> (default: $MCNS_TOKEN)'))
      .addOption(new Option('--ca-cert <file>', 'PEM CA the server certificate must chain to, e.g. <data dir>/tls/ca.pem (default: $MCNS_CA_CERT)'));
  }
}

/** Verbs that work on the database files (and reach a running server through them), never through the API. */
const LOCAL_VERBS: ReadonlySet<string> = new Set(['restore', 'integrity-check', 'replay']);

/** The API address when neither --addr nor MCNS_ADDR is given (api-client.ts's DEFAULT_API_ADDR, not imported so help stays light). */
const DEFAULT_ADDR = 'https://127.0.0.1:8443';

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
  mcns token create --config /srv/mcns/mcns.toml --name admin --role admin
  export MCNS_TOKEN=mcns_... MCNS_CA_CERT=/srv/mcns/data/tls/ca.pem
  mcns status
  mcns zone create example.com --ns ns1.example.net.
  mcns record add example.com www 300 A 192.0.2.10
  mcns zone import example.com examples/example.com.zone                 (through the API)
  mcns zone import example.com examples/example.com.zone --config F      (on the database)
  mcns zone list --json

Local or remote: a verb given --config works on the database directly; every
other verb goes through the management API at --addr, else $MCNS_ADDR, else
${DEFAULT_ADDR}, with --token/$MCNS_TOKEN and --ca-cert/$MCNS_CA_CERT.

Exit codes: 0 ok, 2 usage, 3 not found, 4 invalid input, 5 server or runtime error,
6 authentication or permission, 7 conflict (exists already, stale serial).
Configuration keys and defaults: docs/CONFIG.md.`);

  /** Wraps a verb so its resolved exit code becomes main's. */
  const runVerb = <A extends unknown[]>(run: (...args: A) => Promise<number>) => async (...args: A): Promise<void> => {
    code = await run(...args);
  };

  program.command('serve')
    .description('serve DNS over UDP and TCP until SIGTERM or SIGINT; SIGHUP reloads zones from the database')
    .option('-c, --config <file>', 'config file (default: the embedded default, see docs/CONFIG.md)')
    .action(async (opts: ConfigOption) => {
      code = await (await import('./serve.js')).serve(opts, io);
    });

  program.command('status')
    .description('check that the server answers and is ready; prints "ok" (exit 0) or the reason (exit 5)')
    .option('-v, --verbose', 'also print the address and the server certificate\'s subject and expiry')
    .addOption(jsonOption())
    .addHelpText('after', '\nExamples:\n  mcns status --addr https://localhost:8443 --ca-cert /srv/mcns/data/tls/ca.pem\n  mcns status --json')
    .action(runVerb(async (opts: StatusOptions) => (await import('./status.js')).status(opts, io)));

  const zone = program.command('zone')
    .description('zones: with --config on the database directly (import, export, list), otherwise through the API');
  zone.command('list')
    .description('list zones with serial and record count')
    .option('--filter <text>', 'only zones whose name contains this text')
    .addOption(configOption()).addOption(jsonOption())
    .action(runVerb(async (opts: ZoneListOptions) => (await import('./zone-list.js')).zoneList(opts, io)));
  zone.command('create')
    .description('create a primary zone with a default SOA and NS (admin)')
    .argument('<name>', 'zone apex, e.g. example.com')
    .option('--ns <name>', 'a name server for the apex NS set (at least one; repeat for several)', collect)
    .option('--email <address>', 'SOA RNAME as an address, e.g. hostmaster@example.com')
    .option('--ttl <seconds>', 'TTL of the SOA and NS records')
    .addOption(jsonOption())
    .action(runVerb(async (name: string, opts: ZoneCreateOptions) => (await import('./zone-create.js')).zoneCreate(name, opts, io)));
  zone.command('get')
    .description('show one zone: kind, serial, record count, times')
    .argument('<name>', 'zone apex')
    .addOption(jsonOption())
    .action(runVerb(async (name: string, opts: ZoneGetOptions) => (await import('./zone-get.js')).zoneGet(name, opts, io)));
  zone.command('delete')
    .description('delete a zone and all its records; DNS stops answering for it at once (admin)')
    .argument('<name>', 'zone apex')
    .addOption(jsonOption())
    .action(runVerb(async (name: string, opts: ZoneDeleteOptions) => (await import('./zone-delete.js')).zoneDelete(name, opts, io)));
  zone.command('import')
    .description('load a zone file (RFC 1035 master format) in one transaction; a bad file changes nothing')
    .argument('<name>', 'zone apex, e.g. example.com')
    .argument('<file>', 'zone file; $INCLUDE may read files in its directory')
    .addOption(configOption()).addOption(jsonOption())
    .action(runVerb(async (name: string, file: string, opts: ZoneImportOptions) => (await import('./zone-import.js')).zoneImport(name, file, opts, io)));
  zone.command('export')
    .description('print the zone as a zone file')
    .argument('<name>', 'zone apex, e.g. example.com')
    .addOption(configOption()).addOption(jsonOption())
    .action(runVerb(async (name: string, opts: ZoneExportOptions) => (await import('./zone-export.js')).zoneExport(name, opts, io)));

  const record = program.command('record')
    .description('RRsets through the API; arguments in zone-file order: ZONE NAME [TTL] TYPE [RDATA...]')
    .addHelpText('after', `
NAME is relative to the zone ("www", "@") or absolute ("www.example.com.").
The words after TYPE are ONE record's RDATA ("10 mail.example.com."); each
--rr "RDATA" adds one more record, so a set of several records is
  mcns record set example.com www 300 A --rr 192.0.2.10 --rr 192.0.2.11
--expect-serial N refuses the change (exit 7) unless the zone's serial is N.`);
  const rrOption = (): Option => new Option('--rr <rdata>', 'one more record\'s RDATA (repeat for several)').argParser(collect);
  const serialOption = (): Option => new Option('--expect-serial <serial>', 'only if the zone\'s SOA serial is still this (else exit 7)');
  record.command('list')
    .description('list the zone\'s records, one line each: NAME TTL TYPE DATA')
    .argument('<zone>', 'zone apex')
    .option('--name <owner>', 'only this owner name')
    .option('--type <type>', 'only this type')
    .addOption(jsonOption())
    .action(runVerb(async (z: string, opts: RecordListOptions) => (await import('./record-list.js')).recordList(z, opts, io)));
  record.command('get')
    .description('show one RRset')
    .argument('<zone>').argument('<name>').argument('<type>')
    .addOption(jsonOption())
    .action(runVerb(async (z: string, n: string, t: string, opts: RecordGetOptions) => (await import('./record-get.js')).recordGet(z, n, t, opts, io)));
  record.command('add')
    .description('add records to an RRset (created if absent); TTL sets the RRset\'s TTL')
    .argument('<zone>').argument('<name>').argument('<ttl>').argument('<type>').argument('[rdata...]')
    .addOption(rrOption()).addOption(serialOption()).addOption(jsonOption())
    .action(runVerb(async (z: string, n: string, ttl: string, t: string, rdata: string[], opts: RecordAddOptions) =>
      (await import('./record-add.js')).recordAdd(z, n, ttl, t, rdata, opts, io)));
  record.command('set')
    .description('set an RRset to exactly these records (created if absent)')
    .argument('<zone>').argument('<name>').argument('<ttl>').argument('<type>').argument('[rdata...]')
    .addOption(rrOption()).addOption(serialOption()).addOption(jsonOption())
    .action(runVerb(async (z: string, n: string, ttl: string, t: string, rdata: string[], opts: RecordSetOptions) =>
      (await import('./record-set.js')).recordSet(z, n, ttl, t, rdata, opts, io)));
  record.command('delete')
    .description('delete a whole RRset')
    .argument('<zone>').argument('<name>').argument('<type>')
    .addOption(serialOption()).addOption(jsonOption())
    .action(runVerb(async (z: string, n: string, t: string, opts: RecordDeleteOptions) => (await import('./record-delete.js')).recordDelete(z, n, t, opts, io)));
  record.command('remove')
    .description('remove single records from an RRset')
    .argument('<zone>').argument('<name>').argument('<type>').argument('[rdata...]')
    .addOption(rrOption()).addOption(serialOption()).addOption(jsonOption())
    .action(runVerb(async (z: string, n: string, t: string, rdata: string[], opts: RecordRemoveOptions) =>
      (await import('./record-remove.js')).recordRemove(z, n, t, rdata, opts, io)));
  record.command('apply')
    .description('apply a batch of RRset changes from a JSON file atomically (one serial bump); "-" reads stdin')
    .argument('<zone>').argument('<file>', 'JSON: [{"op":"replace","name":"www","type":"A","ttl":300,"records":["192.0.2.1"]}, ...]')
    .addOption(serialOption()).addOption(jsonOption())
    .action(runVerb(async (z: string, file: string, opts: RecordApplyOptions) => (await import('./record-apply.js')).recordApply(z, file, opts, io)));

  const token = program.command('token')
    .description('API tokens: through the API with an admin token, or with --config on the database (the first admin token)');
  token.command('create')
    .description('create a token; only the token is printed on stdout, once')
    .requiredOption('--name <name>', 'who or what uses it, e.g. ci')
    .requiredOption('--role <role>', 'admin, editor or viewer')
    .option('--zone <zone>', 'limit it to this zone (repeat for several; default: every zone)', collect)
    .option('--ttl <duration>', 'lifetime, e.g. 30d, 12h, 3600s (default: until revoked)')
    .addOption(configOption()).addOption(jsonOption())
    .addHelpText('after', '\nExamples:\n  mcns token create --config /srv/mcns/mcns.toml --name admin --role admin\n  mcns token create --name ci --role editor --zone example.com --ttl 30d')
    .action(runVerb(async (opts: TokenCreateOptions) => (await import('./token-create.js')).tokenCreate(opts, io)));
  token.command('list')
    .description('list tokens (never their secrets)')
    .addOption(configOption()).addOption(jsonOption())
    .action(runVerb(async (opts: TokenListOptions) => (await import('./token-list.js')).tokenList(opts, io)));
  token.command('revoke')
    .description('revoke a token; it stops working at once')
    .argument('<id>', 'token id (the hex between "mcns_" and the next "_")')
    .addOption(configOption()).addOption(jsonOption())
    .action(runVerb(async (id: string, opts: TokenRevokeOptions) => (await import('./token-revoke.js')).tokenRevoke(id, opts, io)));

  program.command('audit')
    .description('the audit log, newest first: who changed what, when, serials before and after (admin)')
    .option('--zone <zone>', 'only this zone')
    .option('--limit <n>', 'at most this many entries (default 50)')
    .addOption(jsonOption())
    .action(runVerb(async (opts: AuditOptions) => (await import('./audit.js')).audit(opts, io)));

  const cache = program.command('cache')
    .description('the forwarder\'s cache of upstream answers (needs [forward] upstreams), through the API');
  cache.command('flush')
    .description('drop cached answers: NAME\'s, NAME\'s and everything below it (--subtree), or all (no NAME) (admin)')
    .argument('[name]', 'domain name, always absolute, e.g. host.example.org')
    .option('--subtree', 'also every name below NAME')
    .addOption(jsonOption())
    .addHelpText('after', '\nExamples:\n  mcns cache flush new.example.org           a stale NXDOMAIN for a name just added upstream\n  mcns cache flush example.org --subtree\n  mcns cache flush')
    .action(runVerb(async (name: string | undefined, opts: CacheFlushOptions) => (await import('./cache-flush.js')).cacheFlush(name, opts, io)));
  cache.command('show')
    .description('the answers cached for one name: type, rcode, seconds left, stale')
    .argument('<name>', 'domain name, always absolute')
    .addOption(jsonOption())
    .action(runVerb(async (name: string, opts: CacheShowOptions) => (await import('./cache-show.js')).cacheShow(name, opts, io)));

  program.command('snapshot')
    .description('copy the database consistently (the server may be running) to [backup] dir, check it, prune old ones: by the server through the API (admin), or with --config by this command')
    .addOption(configOption()).addOption(jsonOption())
    .action(runVerb(async (opts: SnapshotOptions) => (await import('./snapshot.js')).snapshot(opts, io)));
  program.command('restore')
    .description('make a snapshot the database (refuses a corrupt or foreign file); a running server swaps it in without stopping DNS')
    .argument('<file>', 'snapshot, e.g. /srv/mcns/backups/mcns-20261122-184500.db')
    .option('-c, --config <file>', 'config file (default: the embedded default)')
    .option('--timeout <duration>', 'wait this long for a running server (default 60s)')
    .addOption(jsonOption())
    .action(runVerb(async (file: string, opts: RestoreOptions) => (await import('./restore.js')).restore(file, opts, io)));
  program.command('integrity-check')
    .description('check the database: SQLite integrity and foreign keys, one SOA and some NS per apex, serials, journal; prints "ok" (exit 0) or each problem (exit 5)')
    .option('-c, --config <file>', 'config file (default: the embedded default)')
    .option('--file <db>', 'check this database file instead (e.g. a snapshot)')
    .addOption(jsonOption())
    .action(runVerb(async (opts: IntegrityCheckOptions) => (await import('./integrity-check.js')).integrityCheck(opts, io)));
  program.command('replay')
    .description('re-apply the changes logged after the database\'s state (after a restore); stops on a gap before applying anything')
    .option('-c, --config <file>', 'config file (default: the embedded default)')
    .option('--from-file <file>', 'read this change-log file instead of [backup] journal_dir (repeat, oldest first)', collect)
    .option('--dry-run', 'print what would be applied, change nothing')
    .option('--timeout <duration>', 'wait this long for a running server (default 60s)')
    .addOption(jsonOption())
    .action(runVerb(async (opts: ReplayOptions) => (await import('./replay.js')).replay(opts, io)));

  addRemoteOptions(program);

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
    return reportError(err, io, argv.includes('--json'));
  }
}
