// Counters of the DNS transports. Plain numbers bumped on the hot path; the
// metrics layer reads them when scraped, so the transports create no metrics.

/** What the transports have done since start. Only the server writes these; readers must not. */
export interface ServerStats {
  /** UDP datagrams received and handed to the engine. */
  udpReceived: number;
  /** UDP responses sent. */
  udpSent: number;
  /** UDP requests that got no response: the engine returned null, or a multi-message reply (TCP only). */
  udpDropped: number;
  /** UDP send failures reported by the socket. */
  udpErrors: number;
  /** TCP connections accepted. */
  tcpAccepted: number;
  /** TCP connections closed at once because tcpMaxConnections were already open. */
  tcpRejected: number;
  /** TCP connections open now. */
  tcpOpen: number;
  /** DNS messages received over TCP. */
  tcpQueries: number;
  /** DNS messages sent over TCP. */
  tcpSent: number;
  /** TCP requests that got no response: the engine returned null. */
  tcpDropped: number;
  /** TCP connections closed by the idle timeout (RFC 7766 6.2.3). */
  tcpIdleClosed: number;
  /** TCP connections ended after tcpMaxQueriesPerConnection queries. */
  tcpQueryLimitClosed: number;
  /** Times a TCP connection stopped reading because its unsent responses reached tcpMaxPendingBytes. */
  tcpBackpressure: number;
  /** TCP socket errors (resets, broken pipes). */
  tcpErrors: number;
  /** Responses that could not be sent: larger than 65535 bytes, or not bytes at all. */
  badReplies: number;
  /** Engine calls that threw or rejected, which the contract forbids; counted, never fatal. */
  engineErrors: number;
}

/** A fresh set of counters, all zero. */
export function createServerStats(): ServerStats {
  return {
    udpReceived: 0, udpSent: 0, udpDropped: 0, udpErrors: 0,
    tcpAccepted: 0, tcpRejected: 0, tcpOpen: 0, tcpQueries: 0, tcpSent: 0, tcpDropped: 0,
    tcpIdleClosed: 0, tcpQueryLimitClosed: 0, tcpBackpressure: 0, tcpErrors: 0,
    badReplies: 0, engineErrors: 0,
  };
}
