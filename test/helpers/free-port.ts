// A port that is free on loopback for UDP and TCP, IPv4 and IPv6 at once, for a
// server under test to bind. Probed, not reserved: another process could take it
// before the server binds, so tests that need certainty pass port 0 instead.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

function tryTcp(host: string, port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen({ host, port, ipv6Only: host.includes(':') }, () => {
      const bound = (server.address() as { port: number }).port;
      server.close(() => resolve(bound));
    });
  });
}

function tryUdp(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = host.includes(':') ? createSocket({ type: 'udp6', ipv6Only: true }) : createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, host, () => socket.close(() => resolve(true)));
  });
}

/** Whether IPv6 loopback (::1) can be bound on this host. */
export async function hasIpv6Loopback(): Promise<boolean> {
  return (await tryTcp('::1', 0)) !== null;
}

/** A port free for UDP and TCP on 127.0.0.1 (and on ::1 when it exists); tries up to 50 times. */
export async function freePort(): Promise<number> {
  const v6 = await hasIpv6Loopback();
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await tryTcp('127.0.0.1', 0);
    if (port === null) continue;
    if (!(await tryUdp('127.0.0.1', port))) continue;
    if (v6 && ((await tryTcp('::1', port)) === null || !(await tryUdp('::1', port)))) continue;
    return port;
  }
  throw new Error('no free port found on loopback after 50 attempts');
}
