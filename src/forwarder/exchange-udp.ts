// One query to one upstream over UDP, from a socket of its own. RFC 5452 9.2: resolver
// implementations MUST "Use an unpredictable source port for outgoing queries from the
// range of available ports (53, or 1024 and above) that is as large as possible and
// practicable" and "Use multiple different source ports simultaneously in case of
// multiple outstanding queries". Binding port 0 lets the kernel draw a random port
// from its ephemeral range (Linux randomizes the choice; the range is what is
// practicable without taking ports that services need), one per query.
//
// The socket is not connect()ed, so datagrams from any source reach us and can be
// judged and counted: only one from the upstream's address and port, with our ID
// and our question, is accepted (RFC 5452 9.1); anything else is dropped, counted,
// and the wait goes on until the timeout.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { matchesQuery } from './matches-query.js';
import { isSameAddress, type Upstream } from './parse-upstream.js';

/** How one exchange ended. */
export type ExchangeOutcome =
  | { readonly kind: 'response'; readonly bytes: Uint8Array; readonly elapsedMs: number }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'network'; readonly detail: string }
  | { readonly kind: 'aborted' };

/** One exchange's inputs. */
export interface ExchangeRequest {
  readonly upstream: Upstream;
  /** The query, its ID already randomized. */
  readonly query: Uint8Array;
  /** Where the question ends in `query` (12 + name length + 4). */
  readonly questionEnd: number;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  /** Called for each datagram dropped as not ours (RFC 5452 9.1 mismatch). */
  readonly onMismatch: () => void;
  /** Milliseconds now, for the elapsed time (performance.now by default in the forwarder). */
  readonly clock: () => number;
}

/** Sends `query` over UDP and waits for the matching response, a timeout or an abort. Never rejects. */
export function exchangeUdp(req: ExchangeRequest): Promise<ExchangeOutcome> {
  return new Promise<ExchangeOutcome>((resolve) => {
    if (req.signal.aborted) {
      resolve({ kind: 'aborted' });
      return;
    }
    const { upstream } = req;
    const started = req.clock();
    let socket: Socket | null = createSocket({ type: upstream.family === 6 ? 'udp6' : 'udp4' });
    let timer: NodeJS.Timeout | null = null;
    const finish = (outcome: ExchangeOutcome): void => {
      if (socket === null) return;
      const s = socket;
      socket = null;
      if (timer !== null) clearTimeout(timer);
      req.signal.removeEventListener('abort', onAbort);
      s.removeAllListeners('message');
      // Errors after close are of no interest; keep one listener so none is unhandled.
      s.on('error', () => {});
      try {
        s.close();
      } catch {
        // already closed by the runtime after an error
      }
      resolve(outcome);
    };
    const onAbort = (): void => finish({ kind: 'aborted' });
    const onMessage = (msg: Buffer, rinfo: RemoteInfo): void => {
      if (rinfo.port !== upstream.port || !isSameAddress(upstream, rinfo.address) || !matchesQuery(msg, req.query, req.questionEnd)) {
        req.onMismatch();
        return;
      }
      finish({ kind: 'response', bytes: msg, elapsedMs: req.clock() - started });
    };
    req.signal.addEventListener('abort', onAbort, { once: true });
    socket.on('message', onMessage);
    socket.on('error', (err: Error) => finish({ kind: 'network', detail: err.message }));
    timer = setTimeout(() => finish({ kind: 'timeout' }), req.timeoutMs);
    socket.bind(0, () => {
      if (socket === null) return;
      socket.send(req.query, upstream.port, upstream.address, (err) => {
        if (err) finish({ kind: 'network', detail: err.message });
      });
    });
  });
}
