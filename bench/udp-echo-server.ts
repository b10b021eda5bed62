// The floor of a UDP path: a socket that answers every datagram with one fixed
// answer (the request's ID patched in) and does nothing else. Run by
// bench/udp-floor.ts; usage: node dist/bench/udp-echo-server.js PORT default|literal|batched
//   default: replies go through dgram's default address lookup (dns.lookup, a tick later)
//   literal: an address lookup that answers at once, as src/server/udp-listener.ts does
//   batched: the native recvmmsg/sendmmsg socket of src/server/batched-udp-listener.ts
import { createSocket, type SocketOptions } from 'node:dgram';
import { loadNativeUdp } from '../src/server/native-udp.js';

const port = Number(process.argv[2]);
const mode = process.argv[3] ?? 'default';
const SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
// h0.bench.test. A 10.0.0.1: header, question, one answer (a compression pointer to the question).
const ANSWER = Buffer.from('0000818000010001000000000268300562656e636804746573740000010001c00c000100010000012c00040a000001', 'hex');

/** The batched socket: replies written in place into the module's reply area (native/mcns_udp.c). */
function startBatched(): void {
  const { module: native, reason } = loadNativeUdp();
  if (native === null) throw new Error(reason);
  const SLOT = 65536;
  const B = native.BATCH;
  const input = Buffer.allocUnsafeSlow(B * SLOT);
  const out = Buffer.allocUnsafeSlow(B * SLOT);
  const meta = new Int32Array(native.META_LEN);
  const addrs = Buffer.alloc(B * native.ADDR_SLOT);
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
  const [handle] = native.open('127.0.0.1', port, onBatch, input, SLOT, out, meta, addrs, SOCKET_BUFFER_BYTES);
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => native.close(handle, () => process.exit(0)));
}

/** Node's dgram, with its default address lookup or an immediate one. */
function startDgram(literal: boolean): void {
  const options: SocketOptions = { type: 'udp4' };
  if (literal) options.lookup = (address, _family, callback) => (callback as (e: null, a: string, f: number) => void)(null, address, 4);
  const socket = createSocket(options);
  socket.on('message', (msg, rinfo) => {
    const out = Buffer.allocUnsafe(ANSWER.length);
    ANSWER.copy(out);
    out[0] = msg[0]!;
    out[1] = msg[1]!;
    socket.send(out, rinfo.port, rinfo.address);
  });
  socket.bind(port, '127.0.0.1', () => {
    socket.setRecvBufferSize(SOCKET_BUFFER_BYTES);
    socket.setSendBufferSize(SOCKET_BUFFER_BYTES);
    process.stdout.write('ready\n');
  });
  process.on('SIGTERM', () => socket.close(() => process.exit(0)));
}

if (mode === 'batched') startBatched();
else startDgram(mode === 'literal');
