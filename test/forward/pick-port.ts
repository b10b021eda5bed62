// A loopback port that was free for UDP and TCP a moment ago, for the upstream
// servers the forwarder tests start (knotd, unbound). Bounded retries.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

function bindUdp(port: number): Promise<number> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => { s.close(); resolve(-1); });
    s.bind(port, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port on 127.0.0.1 free for both UDP and TCP (at most 20 tries). */
export async function pickFreePort(): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const port = await bindUdp(0);
    if (port > 0 && (await tcpFree(port))) return port;
  }
  throw new Error('no loopback port free for both udp and tcp');
}
