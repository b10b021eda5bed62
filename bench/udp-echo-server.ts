// The floor of Node's UDP path: a socket that answers every datagram with one fixed
// answer (the request's ID patched in) and does nothing else. Run by
// bench/udp-floor.ts; usage: node dist/bench/udp-echo-server.js PORT default|literal|batched
//   default: replies go through dgram's default address lookup (dns.lookup, a tick later)
//   literal: an address lookup that answers at once, as src/server/udp-listener.ts does
//   batched: the native recvmmsg/sendmmsg socket of src/server/batched-udp-listener.ts
import { createSocket, type SocketOptions } from 'node:dgram';
import { createRequire } from 'node:module';

const port = Number(process.argv[2]);
const mode = process.argv[3] ?? 'default';
// h0.bench.test. A 10.0.0.1: header, question, one answer (a compression pointer to the question).
const ANSWER = Buffer.from('0000818000010001000000000268300562656e636804746573740000010001c00c000100010000012c00040a000001', 'hex');

if (mode === 'batched') {
  // The addon's contract (native/mcns_udp.c): JavaScript owns the four buffers.
  const native = createRequire(import.meta.url)('../../native/build/mcns_udp.node') as {
    BATCH: number; ADDR_SLOT: number; META_LEN: number;
    open(host: string, port: number, onBatch: (n: number) => void, input: Buffer, slot: number, out: Buffer, meta: Int32Array, addrs: Buffer, bufferBytes: number): [unknown, number];
    close(handle: unknown, onClosed: () => void): void;
  };
  const SLOT = 65536;
  const B = native.BATCH;
  const input = Buffer.allocUnsafeSlow(B * SLOT);
  const out = Buffer.allocUnsafeSlow(B * SLOT);
  const meta = new Int32Array(native.META_LEN);
  const addrs = Buffer.allocUnsafeSlow(B * native.ADDR_SLOT);
  const onBatch = (n: number): void => {
    let at = 0;
    for (let i = 0; i < n; i++) {
      ANSWER.copy(out, at);
      out[at] = input[i * SLOT]!;
      out[at + 1] = input[i * SLOT + 1]!;
      meta[B + i] = at;
      meta[2 * B + i] = ANSWER.length;
      at += ANSWER.length;
    }
  };
  const [handle] = native.open('127.0.0.1', port, onBatch, input, SLOT, out, meta, addrs, 4 * 1024 * 1024);
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => native.close(handle, () => process.exit(0)));
} else {
const options: SocketOptions = { type: 'udp4' };
if (mode === 'literal') options.lookup = (address, _family, callback) => (callback as (e: null, a: string, f: number) => void)(null, address, 4);
const socket = createSocket(options);
socket.on('message', (msg, rinfo) => {
  const out = Buffer.allocUnsafe(ANSWER.length);
  ANSWER.copy(out);
  out[0] = msg[0]!;
  out[1] = msg[1]!;
  socket.send(out, rinfo.port, rinfo.address);
});
socket.bind(port, '127.0.0.1', () => {
  socket.setRecvBufferSize(4 * 1024 * 1024);
  socket.setSendBufferSize(4 * 1024 * 1024);
  process.stdout.write('ready\n');
});
process.on('SIGTERM', () => socket.close(() => process.exit(0)));
}
