// A scripted UDP "upstream" on loopback for the failure and spoofing tests: each
// query goes to a handler that may stay silent, answer, or send datagrams from a
// second socket (another source port), the way an off-path spoofer would.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

/** What a handler may do with one query. */
export interface FakeReplyTools {
  /** Sends bytes back from the upstream's own address and port. */
  reply(bytes: Uint8Array): void;
  /** Sends bytes back from a different port on the same address. */
  replyFromOtherPort(bytes: Uint8Array): void;
  /** The querier's address. */
  readonly from: RemoteInfo;
}

/** A running fake upstream. */
export interface FakeUpstream {
  readonly port: number;
  readonly address: string;
  /** Queries received so far. */
  readonly queries: Buffer[];
  close(): Promise<void>;
}

function closeSocket(s: Socket): Promise<void> {
  return new Promise((resolve) => s.close(() => resolve()));
}

/** Binds 127.0.0.1:0 (or [::1]:0 for family 6) and hands every datagram to `handler`. */
export function startFakeUpstream(handler: (query: Buffer, tools: FakeReplyTools) => void, family: 4 | 6 = 4): Promise<FakeUpstream> {
  const host = family === 6 ? '::1' : '127.0.0.1';
  return new Promise((resolve) => {
    const main = createSocket(family === 6 ? 'udp6' : 'udp4');
    const other = createSocket(family === 6 ? 'udp6' : 'udp4');
    const queries: Buffer[] = [];
    main.on('message', (msg, rinfo) => {
      queries.push(msg);
      handler(msg, {
        from: rinfo,
        reply: (bytes) => main.send(bytes, rinfo.port, rinfo.address),
        replyFromOtherPort: (bytes) => other.send(bytes, rinfo.port, rinfo.address),
      });
    });
    other.bind(0, host, () => {
      main.bind(0, host, () => {
        const port = main.address().port;
        resolve({
          port,
          address: family === 6 ? `[::1]:${port}` : `127.0.0.1:${port}`,
          queries,
          close: async () => { await closeSocket(main); await closeSocket(other); },
        });
      });
    });
  });
}
