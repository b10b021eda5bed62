// A minimal stub client for the forwarder tests: one UDP query with dns-packet (an
// independent codec) to a loopback server, with a timeout. Used to wait until an
// upstream we started is ready, and to compare what it serves.
import { createSocket } from 'node:dgram';
import dnsPacket from 'dns-packet';

/** Sends one query and resolves with the decoded answer, or null after `timeoutMs`. */
export function askUdp(port: number, name: string, type: dnsPacket.RecordType, timeoutMs = 1000): Promise<dnsPacket.Packet | null> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const id = Math.floor(Math.random() * 65536);
    const timer = setTimeout(() => { socket.close(); resolve(null); }, timeoutMs);
    socket.on('message', (msg) => {
      const packet = dnsPacket.decode(msg);
      if (packet.id !== id) return;
      clearTimeout(timer);
      socket.close();
      resolve(packet);
    });
    socket.on('error', () => { clearTimeout(timer); socket.close(); resolve(null); });
    const query = dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name }] });
    socket.send(query, port, '127.0.0.1');
  });
}

/** Polls `askUdp` until an answer comes (every 50 ms, at most `limitMs`). */
export async function waitUntilAnswering(port: number, name: string, type: dnsPacket.RecordType, limitMs = 8000): Promise<void> {
  const end = Date.now() + limitMs;
  while (Date.now() < end) {
    const reply = await askUdp(port, name, type, 200);
    if (reply !== null) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing answers ${name} ${type} on 127.0.0.1:${port} after ${limitMs} ms`);
}
