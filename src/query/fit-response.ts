// Step 8 of the query path: the response as bytes no larger than the client can take.
import { encodeMessage, type Message } from '../wire/index.js';

/** RFC 1035 4.2.1: UDP messages without EDNS are limited to 512 bytes. */
export const CLASSIC_UDP_SIZE = 512;
/** RFC 1035 4.2.2: the TCP length prefix is 16 bits. */
export const TCP_MAX_SIZE = 65535;
/** Our default EDNS UDP payload size (DNS Flag Day 2020: avoids IP fragmentation). */
export const DEFAULT_MAX_UDP_SIZE = 1232;

/**
 * The largest response for this request: 65535 over TCP; over UDP 512 without
 * EDNS, else the client's payload size capped at ours, and never below 512
 * (RFC 6891 6.2.5: "Values lower than 512 MUST be treated as equal to 512").
 */
export function responseSizeLimit(transport: 'udp' | 'tcp', ednsUdpSize: number | null, maxUdpSize: number): number {
  if (transport === 'tcp') return TCP_MAX_SIZE;
  if (ednsUdpSize === null) return CLASSIC_UDP_SIZE;
  const size = ednsUdpSize < maxUdpSize ? ednsUdpSize : maxUdpSize;
  return size < CLASSIC_UDP_SIZE ? CLASSIC_UDP_SIZE : size;
}

/**
 * Encodes `message` within `limit`. The encoder drops what does not fit: answer or
 * authority records cut with TC set (RFC 2181 9: the client retries over TCP),
 * additional RRsets left out silently.
 */
export function fitResponse(message: Message, limit: number): Uint8Array {
  return encodeMessage(message, limit);
}
