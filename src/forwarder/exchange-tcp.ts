// One query to one upstream over TCP (RFC 7766), used when the UDP answer came back
// truncated (RFC 1035 4.2.1 / RFC 7766 5: a TC response means "retry over TCP").
// Each message carries a two-byte length prefix (RFC 1035 4.2.2). One connection per
// exchange, closed when done; the same ID and question checks apply.
import { createConnection, type Socket } from 'node:net';
import type { ExchangeOutcome, ExchangeRequest } from './exchange-udp.js';
import { matchesQuery } from './matches-query.js';

/** Sends `query` over a fresh TCP connection and reads one response. Never rejects. */
export function exchangeTcp(req: ExchangeRequest): Promise<ExchangeOutcome> {
  return new Promise<ExchangeOutcome>((resolve) => {
    if (req.signal.aborted) {
      resolve({ kind: 'aborted' });
      return;
    }
    const { upstream } = req;
    const started = req.clock();
    let socket: Socket | null = createConnection({ host: upstream.address, port: upstream.port, noDelay: true });
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (outcome: ExchangeOutcome): void => {
      if (socket === null) return;
      const s = socket;
      socket = null;
      clearTimeout(timer);
      req.signal.removeEventListener('abort', onAbort);
      s.removeAllListeners('data');
      s.on('error', () => {});
      s.destroy();
      resolve(outcome);
    };
    const onAbort = (): void => finish({ kind: 'aborted' });
    const timer = setTimeout(() => finish({ kind: 'timeout' }), req.timeoutMs);
    req.signal.addEventListener('abort', onAbort, { once: true });
    socket.on('connect', () => {
      const framed = Buffer.allocUnsafe(req.query.length + 2);
      framed.writeUInt16BE(req.query.length, 0);
      framed.set(req.query, 2);
      socket?.write(framed);
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received < 2) return;
      const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received);
      const size = all.readUInt16BE(0);
      if (received < size + 2) return;
      const bytes = all.subarray(2, size + 2);
      if (!matchesQuery(bytes, req.query, req.questionEnd)) {
        req.onMismatch();
        finish({ kind: 'network', detail: 'tcp response does not match the query (id or question)' });
        return;
      }
      finish({ kind: 'response', bytes, elapsedMs: req.clock() - started });
    });
    socket.on('error', (err: Error) => finish({ kind: 'network', detail: err.message }));
    socket.on('end', () => finish({ kind: 'network', detail: 'tcp connection closed before a full response' }));
  });
}
