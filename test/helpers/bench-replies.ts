// Replies like a benchmark's, already encoded, for tests of what the transports do
// with each reply (counting, logging): host<N>.bench.example A with an answer and
// OPT, every 20th NXDOMAIN, and with `aaaaNodata` every 20th (offset 1) an AAAA
// question answered NODATA.
import { encodeMessage, nameFromText, RRType, Rcode } from '../../src/wire/index.js';

export function benchReplies(options: { readonly aaaaNodata?: boolean } = {}): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < 1024; i++) {
    const name = nameFromText(`host${i}.bench.example.`);
    const nodata = options.aaaaNodata === true && i % 20 === 1;
    out.push(encodeMessage({
      header: { id: i, qr: true, opcode: 0, aa: true, tc: false, rd: true, ra: false, z: false, ad: false, cd: false },
      rcode: i % 20 === 0 ? Rcode.NXDOMAIN : Rcode.NOERROR,
      questions: [{ name, type: nodata ? RRType.AAAA : RRType.A, class: 1 }],
      answers: i % 20 === 0 || nodata ? [] : [{ name, type: RRType.A, class: 1, ttl: 300, rdata: new Uint8Array([10, 0, i >> 8, i & 255]) }],
      authorities: [], additionals: [],
      edns: { udpSize: 1232, version: 0, do: false, z: 0, options: [] },
    }));
  }
  return out;
}
