// Watches one request to the gRPC listener from the outside, as a client would see
// it, and reports its method, its status code and how long it took once the
// response is finished. The status is read from what goes on the wire, so calls
// that never reach a handler (an unknown path, a message over the size limit, a
// bad :authority) are counted too:
//
//   gRPC      the grpc-status trailer, or the grpc-status header of a
//             trailers-only response
//   gRPC-Web  the grpc-status header of a trailers-only response, else the
//             trailer frame (flag 0x80) at the end of the body
//   Connect   200 is OK; any other status carries an error JSON whose "code"
//             names the error ("invalid_argument"); the same names in gRPC's
//             spelling ("canceled" becomes CANCELLED)
//
// Without any of these (an HTTP error the adapter answered itself, such as 404
// for an unknown path or 415 for an unknown content type) the code comes from
// the HTTP status, by gRPC's table ("HTTP to gRPC Status Code Mapping",
// grpc/doc/http-grpc-status-mapping.md), which the Connect protocol also uses.
// A stream closed before the response finished (the client went away) is
// CANCELLED unless a status had already been written.
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

/** gRPC status code names as gRPC spells them, indexed by their number. */
export const GRPC_CODE_NAMES = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED',
  'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
] as const;
/** One gRPC status code name ("OK", "INVALID_ARGUMENT", ...). */
export type GrpcCodeName = (typeof GRPC_CODE_NAMES)[number];

/** Called once per request when its response is finished or its stream closed. */
export type GrpcRequestDone = (method: string, code: GrpcCodeName, seconds: number) => void;

/** The method label of a request whose path is not one of the served methods. */
export const UNMATCHED_METHOD = 'unmatched';

/** A trailer (or error body) larger than this is not read; the HTTP status decides. */
const MAX_STATUS_BYTES = 64 * 1024;
/** gRPC-Web: the flag bit of a frame that carries trailers; bit 0 says it is compressed. */
const TRAILER_FLAG = 0x80;
const COMPRESSED_FLAG = 0x01;

type NodeRequest = Http2ServerRequest | IncomingMessage;
type NodeResponse = Http2ServerResponse | ServerResponse;
type Protocol = 'grpc' | 'grpc-web' | 'connect';
type Method = (this: unknown, ...args: unknown[]) => unknown;

/** The response methods wrapped here; both Node response classes have them. */
interface WrappedResponse {
  writeHead: Method;
  addTrailers: Method;
  write: Method;
}

/**
 * Reports `method`, the call's status code and its duration to `done` once `res`
 * finishes (or its stream closes first). Wraps `res.writeHead`, `addTrailers` and
 * `write` of this one response to see the status as it is sent.
 */
export function observeGrpcCall(req: NodeRequest, res: NodeResponse, method: string, done: GrpcRequestDone): void {
  const started = performance.now();
  const status = new CallStatus(protocolOf(req.headers));
  const wrapped = res as unknown as WrappedResponse;
  const { writeHead, addTrailers, write } = wrapped;
  wrapped.writeHead = function (this: unknown, ...args: unknown[]) {
    status.head(Number(args[0]), headersIn(args.length > 2 ? args[2] : args[1]));
    return writeHead.apply(this, args);
  };
  wrapped.addTrailers = function (this: unknown, ...args: unknown[]) {
    status.fields(headersIn(args[0]));
    return addTrailers.apply(this, args);
  };
  // Only write: Http2ServerResponse.end(chunk) calls this.write itself, and the
  // adapter always ends with end() and no chunk.
  wrapped.write = function (this: unknown, ...args: unknown[]) {
    status.body(args[0]);
    return write.apply(this, args);
  };
  let reported = false;
  const report = (finished: boolean): void => {
    if (reported) return;
    reported = true;
    done(method, status.code(finished, res.statusCode), (performance.now() - started) / 1000);
  };
  res.once('finish', () => report(true));
  res.once('close', () => report(false));
}

/** The code gRPC's table gives an HTTP status that came without a grpc-status (200 included: UNKNOWN). */
export function grpcCodeFromHttpStatus(httpStatus: number): GrpcCodeName {
  switch (httpStatus) {
    case 400: return 'INTERNAL';
    case 401: return 'UNAUTHENTICATED';
    case 403: return 'PERMISSION_DENIED';
    case 404: return 'UNIMPLEMENTED';
    case 429: case 502: case 503: case 504: return 'UNAVAILABLE';
    default: return 'UNKNOWN';
  }
}

/** The protocol of a request, from its content-type (a GET, or no content-type, is Connect's). */
function protocolOf(headers: IncomingHttpHeaders): Protocol {
  const type = (headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('application/grpc-web')) return 'grpc-web';
  if (type.startsWith('application/grpc')) return 'grpc';
  return 'connect';
}

/** A header object as writeHead and addTrailers take it; a raw array or nothing reads as none. */
function headersIn(value: unknown): OutgoingHttpHeaders {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as OutgoingHttpHeaders : {};
}

function codeName(value: string): GrpcCodeName {
  const n = Number(value);
  return Number.isInteger(n) ? GRPC_CODE_NAMES[n] ?? 'UNKNOWN' : 'UNKNOWN';
}

function headerValue(headers: OutgoingHttpHeaders, name: string): string | null {
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() !== name) continue;
    const value = headers[key];
    return value === undefined ? null : String(Array.isArray(value) ? value[0] : value);
  }
  return null;
}

/** What one response has said about its status so far. */
class CallStatus {
  readonly #protocol: Protocol;
  #grpcStatus: string | null = null;
  #encoding: string | null = null;
  #httpStatus = 0;
  // Connect: the error body; gRPC-Web: the frame being read.
  #parts: Buffer[] = [];
  #partsBytes = 0;
  readonly #frameHead = Buffer.alloc(5);
  #frameHeadFill = 0;
  #frameLeft = 0;
  #frameFlags = 0;

  constructor(protocol: Protocol) {
    this.#protocol = protocol;
  }

  /** The status line and headers (a trailers-only gRPC response has grpc-status here). */
  head(httpStatus: number, headers: OutgoingHttpHeaders): void {
    this.#httpStatus = httpStatus;
    this.fields(headers);
    this.#encoding = headerValue(headers, 'grpc-encoding') ?? this.#encoding;
  }

  /** Headers or trailers. */
  fields(headers: OutgoingHttpHeaders): void {
    this.#grpcStatus = headerValue(headers, 'grpc-status') ?? this.#grpcStatus;
  }

  /** A chunk of the body, as written. */
  body(chunk: unknown): void {
    if (this.#protocol === 'grpc') return;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk instanceof Uint8Array ? chunk : null;
    if (bytes === null) return;
    if (this.#protocol === 'grpc-web') this.#scanFrames(bytes);
    else if (this.#httpStatus !== 200) this.#keep(bytes);
  }

  /** The call's code: what was sent, else the HTTP status's; CANCELLED when the stream closed before the end. */
  code(finished: boolean, httpStatus: number): GrpcCodeName {
    if (this.#grpcStatus !== null) return codeName(this.#grpcStatus);
    if (!finished) return 'CANCELLED';
    const status = this.#httpStatus || httpStatus;
    if (this.#protocol === 'connect') return status === 200 ? 'OK' : this.#connectErrorCode() ?? grpcCodeFromHttpStatus(status);
    return grpcCodeFromHttpStatus(status);
  }

  #keep(bytes: Uint8Array): void {
    this.#partsBytes += bytes.length;
    if (this.#partsBytes <= MAX_STATUS_BYTES) this.#parts.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  }

  /** Connect's error JSON: { "code": "invalid_argument", "message": ... }. */
  #connectErrorCode(): GrpcCodeName | null {
    if (this.#parts.length === 0 || this.#partsBytes > MAX_STATUS_BYTES) return null;
    try {
      const code = (JSON.parse(Buffer.concat(this.#parts).toString('utf8')) as { code?: unknown }).code;
      if (typeof code !== 'string') return null;
      // Connect spells code 1 "canceled", gRPC "CANCELLED"; every other name is the same.
      const name = code === 'canceled' ? 'CANCELLED' : code.toUpperCase();
      return (GRPC_CODE_NAMES as readonly string[]).includes(name) ? name as GrpcCodeName : null;
    } catch {
      return null;
    }
  }

  /** gRPC-Web length-prefixed frames (1 flag byte, 4 length bytes, data), across chunk boundaries. */
  #scanFrames(bytes: Uint8Array): void {
    let i = 0;
    while (i < bytes.length) {
      if (this.#frameLeft === 0) {
        const n = Math.min(5 - this.#frameHeadFill, bytes.length - i);
        this.#frameHead.set(bytes.subarray(i, i + n), this.#frameHeadFill);
        this.#frameHeadFill += n;
        i += n;
        if (this.#frameHeadFill < 5) return;
        this.#frameHeadFill = 0;
        this.#frameFlags = this.#frameHead[0]!;
        this.#frameLeft = this.#frameHead.readUInt32BE(1);
        this.#parts = [];
        this.#partsBytes = 0;
        if (this.#frameLeft === 0) this.#frameDone();
        continue;
      }
      const n = Math.min(this.#frameLeft, bytes.length - i);
      if ((this.#frameFlags & TRAILER_FLAG) !== 0) this.#keep(bytes.subarray(i, i + n));
      this.#frameLeft -= n;
      i += n;
      if (this.#frameLeft === 0) this.#frameDone();
    }
  }

  /** A trailer frame: "grpc-status: 3\r\ngrpc-message: ...\r\n", compressed with the response's grpc-encoding when flagged. */
  #frameDone(): void {
    if ((this.#frameFlags & TRAILER_FLAG) === 0 || this.#partsBytes > MAX_STATUS_BYTES) return;
    let data: Buffer = Buffer.concat(this.#parts);
    if ((this.#frameFlags & COMPRESSED_FLAG) !== 0) {
      try {
        if (this.#encoding === 'gzip') data = gunzipSync(data, { maxOutputLength: MAX_STATUS_BYTES });
        else if (this.#encoding === 'br') data = brotliDecompressSync(data, { maxOutputLength: MAX_STATUS_BYTES });
        else return;
      } catch {
        return;
      }
    }
    for (const line of data.toString('utf8').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === 'grpc-status') this.#grpcStatus = line.slice(colon + 1).trim();
    }
  }
}
