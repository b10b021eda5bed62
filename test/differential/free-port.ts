// Finds a loopback port free for both UDP and TCP (a DNS server needs both).
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';

function tcpPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function udpFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', () => { socket.close(); resolve(false); });
    socket.bind(port, host, () => socket.close(() => resolve(true)));
  });
}

/** A port on `host` that was free for TCP and UDP a moment ago (20 tries at most). */
export async function freeDnsPort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await tcpPort(host);
    if (port > 0 && (await udpFree(host, port))) return port;
  }
  throw new Error(`no port free for both UDP and TCP on ${host}`);
}
