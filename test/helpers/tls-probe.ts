// Looking at the certificate a TLS server presents, for the certificate-reload tests.
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { connect } from 'node:tls';

/** The serial of the certificate a fresh TLS connection to 127.0.0.1:port is given. */
export function servedSerial(port: number, ca: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => {
      const serial = socket.getPeerCertificate().serialNumber;
      socket.end();
      resolve(serial);
    });
    socket.once('error', reject);
  });
}

/** GET /v1/health over a keep-alive agent; resolves with the status and the socket it used. */
export function healthOver(agent: HttpsAgent, port: number, ca: string | Buffer): Promise<{ status: number; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path: '/v1/health', agent, ca, servername: 'localhost' }, (res) => {
      res.resume();
      res.once('end', () => resolve({ status: res.statusCode ?? 0, socket: req.socket! }));
    });
    req.once('error', reject);
    req.end();
  });
}
