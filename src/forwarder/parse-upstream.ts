// One `upstreams` entry ("192.0.2.53:53", "[2001:db8::53]:53", or a bare address
// meaning port 53) to the address, port and socket family the exchanges need.
import { ForwarderError } from './forwarder-error.js';
import { parseIpAddress, type IpAddress } from './parse-ip-address.js';

/** A parsed upstream resolver address. */
export interface Upstream {
  /** As written in the configuration, normalized ("[::1]:5300"); used in stats and logs. */
  readonly label: string;
  /** The address as sockets want it ("127.0.0.1", "::1"). */
  readonly address: string;
  readonly port: number;
  readonly family: 4 | 6;
  /** The address in 128 bits, to compare with the source of a response whatever its spelling. */
  readonly ip: IpAddress;
}

/** Parses "address:port", "[v6]:port" or a bare address (port 53). Throws ForwarderError BAD_UPSTREAM. */
export function parseUpstream(text: string): Upstream {
  const bad = (why: string): ForwarderError =>
    new ForwarderError('BAD_UPSTREAM', `upstream "${text}" ${why}; write "192.0.2.53:53" or "[2001:db8::53]:53"`);
  let host: string;
  let portText = '53';
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) throw bad('has "[" without "]"');
    host = text.slice(1, close);
    const rest = text.slice(close + 1);
    if (rest.length > 0) {
      if (!rest.startsWith(':')) throw bad('has text after "]" that is not ":port"');
      portText = rest.slice(1);
    }
  } else {
    const first = text.indexOf(':');
    const last = text.lastIndexOf(':');
    if (first >= 0 && first === last) {
      host = text.slice(0, first);
      portText = text.slice(first + 1);
    } else {
      host = text; // no colon, or a bare IPv6 address
    }
  }
  const ip = parseIpAddress(host);
  if (ip === null || host.includes('%')) throw bad('is not an IP address (host names are not resolved here)');
  let port = 0;
  for (let i = 0; i < portText.length; i++) {
    const c = portText.charCodeAt(i);
    if (c < 0x30 || c > 0x39 || i > 4) throw bad(`has port "${portText}"`);
    port = port * 10 + (c - 0x30);
  }
  if (portText.length === 0 || port < 1 || port > 65535) throw bad(`has port "${portText}"`);
  const family = host.includes(':') ? 6 : 4;
  return {
    label: family === 6 ? `[${host}]:${port}` : `${host}:${port}`,
    address: host,
    port,
    family,
    ip,
  };
}

/** True when `address` (as a socket reports it) is the same IP as `upstream`'s, whatever the spelling. */
export function isSameAddress(upstream: Upstream, address: string): boolean {
  if (address === upstream.address) return true;
  const other = parseIpAddress(address);
  if (other === null) return false;
  const a = upstream.ip.words;
  const b = other.words;
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}
