// Sends one DNS query over UDP or TCP to a loopback server and returns the raw
// response. Queries are built with dns-packet, independent of mcns's own codec.
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { randomInt } from 'node:crypto';
import dnsPacket from 'dns-packet';
import type { QueryRow } from './query-table.js';

/** A server address: host (a loopback literal) and port. */
export interface ServerAddress {
  readonly host: string;
  readonly port: number;
}

/** Encodes the request a query-table row describes, with the given message id. */
export function encodeRowQuery(row: QueryRow, id: number): Buffer {
  let flags = 0;
  if (row.flags.rd) flags |= dnsPacket.RECURSION_DESIRED;
  if (row.flags.cd) flags |= dnsPacket.CHECKING_DISABLED;
  const additionals: dnsPacket.Answer[] = [];
  if (row.flags.edns) {
    additionals.push({
      type: 'OPT',
      name: '.',
      udpPayloadSize: row.flags.bufsize,
      extendedRcode: 0,
      ednsVersion: 0,
      flags: row.flags.dnssec ? dnsPacket.DNSSEC_OK : 0,
      flag_do: row.flags.dnssec,
      options: [],
    });
  }
  return dnsPacket.encode({
    type: 'query',
    id,
    flags,
    questions: [{ name: row.qname, type: row.qtype as dnsPacket.RecordType, class: 'IN' }],
    additionals,
  });
}

/** A fresh random message id. */
export function randomMessageId(): number {
  return randomInt(0, 0x10000);
}

/**
 * One UDP exchange: sends `query` and resolves with the first datagram whose id
 * matches; rejects after `timeoutMs`.
 */
export function exchangeUdp(server: ServerAddress, query: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(server.host.includes(':') ? 'udp6' : 'udp4');
    const id = query.readUInt16BE(0);
    const timer = setTimeout(() => finish(new Error(`no UDP answer from ${server.host}:${server.port} in ${timeoutMs} ms`)), timeoutMs);
    function finish(error: Error | null, response?: Buffer): void {
      clearTimeout(timer);
      socket.close();
      if (error !== null) reject(error);
      else resolve(response!);
    }
    socket.on('error', (error) => finish(error));
    socket.on('message', (message) => {
      if (message.length >= 2 && message.readUInt16BE(0) === id) finish(null, message);
    });
    socket.send(query, server.port, server.host);
  });
}

/** One TCP exchange (RFC 7766 8: two-octet length prefix); rejects after `timeoutMs`. */
export function exchangeTcp(server: ServerAddress, query: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: server.host, port: server.port });
    let received = Buffer.alloc(0);
    let settled = false;
    const timer = setTimeout(() => finish(new Error(`no TCP answer from ${server.host}:${server.port} in ${timeoutMs} ms`)), timeoutMs);
    function finish(error: Error | null, response?: Buffer): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error !== null) reject(error);
      else resolve(response!);
    }
    socket.on('error', (error) => finish(error));
    socket.on('connect', () => {
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(query.length, 0);
      socket.write(Buffer.concat([prefix, query]));
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 2) {
        const length = received.readUInt16BE(0);
        if (received.length >= 2 + length) finish(null, received.subarray(2, 2 + length));
      }
    });
    socket.on('end', () => finish(new Error(`TCP connection to ${server.host}:${server.port} closed before a full answer`)));
  });
}

/** Sends a row's query over the given transport, retrying a lost UDP datagram once. */
export async function queryServer(
  server: ServerAddress,
  row: QueryRow,
  transport: 'udp' | 'tcp',
  timeoutMs = 2000,
): Promise<Buffer> {
  const query = encodeRowQuery(row, randomMessageId());
  if (transport === 'tcp') return exchangeTcp(server, query, timeoutMs);
  try {
    return await exchangeUdp(server, query, timeoutMs);
  } catch {
    return exchangeUdp(server, query, timeoutMs);
  }
}
