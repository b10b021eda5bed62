// REST and gRPC over one real management service: SQLite in a temporary directory,
// the real write path, the real authenticator, the TLS material mcns makes
// (src/api/tls), and an admin token. For the tests that compare what the two
// adapters say (test/grpc-service, test/api-error-wording).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { createRestServer, openApiTls, type RestServer } from '../../src/api/index.js';
import { createGrpcClient, createGrpcServer, type GrpcClient } from '../../src/api/grpc/index.js';
import { createAuthenticator, type AuthConfig } from '../../src/auth/index.js';
import { createLogger } from '../../src/log/index.js';
import { createManagementService } from '../../src/service/index.js';
import { openStore, TokenStore } from '../../src/store/index.js';
import { ZoneTable } from '../../src/zone/index.js';

/** The running pair, and what a test needs to talk to them. */
export interface ApiTestServers {
  readonly rest: RestServer;
  /** An undici dispatcher that trusts the servers' CA, for REST requests. */
  readonly agent: Agent;
  /** The secret of an admin token made in the store. */
  readonly adminSecret: string;
  /** A gRPC client (anonymous without a token), closed by close(). */
  client(token?: string): GrpcClient;
  /** Stops both servers and removes the directory. */
  close(): Promise<void>;
}

const log = createLogger({ level: 'error', sink: { write() {} } });
const now = (): Date => new Date();

/** Starts REST and gRPC on free loopback ports; `auth` defaults to built-in tokens only. */
export async function startApiTestServers(prefix: string, auth: AuthConfig = { mode: 'tokens', introspection: null }): Promise<ApiTestServers> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const store = openStore(join(dir, 'mcns.db'));
  const tokens = new TokenStore(store);
  const adminSecret = tokens.create({ name: 'admin', role: 'admin' }, now()).secret;
  const authenticator = createAuthenticator(auth, { tokens, now });
  const service = createManagementService({ store, zones: new ZoneTable(), now, tokens, readiness: () => ({ ready: true, reason: '' }) });
  const tls = await openApiTls({ restAddr: { host: '127.0.0.1', port: 0 }, grpcAddr: { host: '127.0.0.1', port: 0 }, tlsCert: null, tlsKey: null },
    { databasePath: join(dir, 'mcns.db'), configSource: null, log, now, watchIntervalMs: 0, renewCheckMs: 0 });
  const ca = readFileSync(tls.caPath!);
  const deps = { service, authenticate: authenticator.authenticate, tls: tls.material, log, address: { host: '127.0.0.1', port: 0 } };
  const grpc = createGrpcServer(deps);
  const grpcUrl = `https://127.0.0.1:${(await grpc.start()).port}`;
  const rest = await createRestServer(deps);
  await rest.start();
  const agent = new Agent({ connect: { ca } });
  const clients: GrpcClient[] = [];
  return {
    rest,
    agent,
    adminSecret,
    client(token?: string): GrpcClient {
      const c = createGrpcClient({ baseUrl: grpcUrl, caCert: ca, ...(token === undefined ? {} : { token }), timeoutMs: 10_000 });
      clients.push(c);
      return c;
    },
    async close(): Promise<void> {
      for (const c of clients) c.close();
      await agent.close();
      await rest.close();
      await grpc.close();
      await service.close();
      authenticator.close();
      tls.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
