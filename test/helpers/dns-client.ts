// A minimal DNS client for tests: one query over UDP or TCP with a deadline,
// built and read with dns-packet (an independent codec, so our own bugs do not
// cancel out).
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import dnsPacket from 'dns-packet';

/** Builds a query for `name`/`type`, with an OPT record advertising `udpSize` unless it is null. */
export function buildQuery(name: string, type: dnsPacket.RecordType, opts: { id?: number; udpSize?: number | null } = {}): Buffer {
  const udpSize = opts.udpSize === undefined ? 1232 : opts.udpSize;
  return dnsPacket.encode({
    type: 'query',
    id: opts.id ?? Math.floor(Math.random() * 65_536),
    flags: 0,
    questions: [{ name, type, class: 'IN' }],
    additionals: udpSize === null ? [] : [{ type: 'OPT', name: '.', udpPayloadSize: udpSize, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }],
  });
}

/** Sends one datagram to host:port and resolves with the first reply, or null after timeoutMs. */
export function queryUdp(host: string, port: number, request: Uint8Array, timeoutMs = 2_000): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    const done = (reply: Buffer | null): void => {
      clearTimeout(timer);
      socket.close();
      resolve(reply);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.on('error', () => done(null));
    socket.once('message', (msg: Buffer) => done(msg));
    socket.send(request, port, host);
  });
}

/** Sends one length-prefixed message over a new TCP connection and resolves with the first reply, or null. */
export function queryTcp(host: string, port: number, request: Uint8Array, timeoutMs = 2_000): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let buf = Buffer.alloc(0);
    const done = (reply: Buffer | null): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(reply);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.on('error', () => done(null));
    socket.on('close', () => done(null));
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) done(buf.subarray(2, 2 + buf.readUInt16BE(0)));
    });
    const framed = Buffer.alloc(request.length + 2);
    framed.writeUInt16BE(request.length, 0);
    framed.set(request, 2);
    socket.write(framed);
  });
}

/** Decodes a reply with dns-packet; null when it does not decode. */
export function decodeReply(reply: Buffer | null): dnsPacket.DecodedPacket | null {
  if (reply === null) return null;
  try {
    return dnsPacket.decode(reply);
  } catch {
    return null;
  }
}
