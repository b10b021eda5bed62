// The batched UDP module (native/mcns_udp.c, docs/adr/0004-batched-udp.md),
// loaded once on first use. Built by scripts/build-native.mjs; where it is not
// (no compiler, not Linux) the loader says why and the dgram listener is used.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** What native/mcns_udp.c exports. The listener owns the buffers; the module keeps references to them. */
export interface NativeUdp {
  /** Datagrams read per recvmmsg: the slots of `input` and `addrs`. */
  readonly BATCH: number;
  /** Bytes per address slot: the client's sockaddr, then (on 0.0.0.0 or ::) the address the datagram was sent to. */
  readonly ADDR_SLOT: number;
  /** Bytes of a slot that sendTo needs: both addresses, so a late reply leaves from the address that was asked. */
  readonly ADDR_COPY: number;
  /** Int32 elements of `meta`: lengths in, reply offsets and lengths out, then the send and receive error counters. */
  readonly META_LEN: number;
  /** Binds host:port and starts reading; returns the handle and the port bound. Throws Node-style system errors (code EADDRINUSE, ...). */
  open(host: string, port: number, onBatch: (count: number) => void, input: Buffer, slot: number, out: Buffer,
    meta: Int32Array, addrs: Buffer, socketBufferBytes: number): [NativeUdpHandle, number];
  /** Stops reading; `onClosed` runs once the socket is closed. A second call does nothing. */
  close(handle: NativeUdpHandle, onClosed: () => void): void;
  /** Sends one datagram to a copied address slot (ADDR_COPY bytes); 0, or the negative errno. */
  sendTo(handle: NativeUdpHandle, data: Uint8Array, address: Uint8Array): number;
  /** Datagram i's source address as text (inet_ntop). */
  addressOf(addrs: Buffer, index: number): string;
}

/** An open socket of the module (opaque). */
export type NativeUdpHandle = { readonly __nativeUdp: unique symbol };

/** The module, or why there is none. */
export type NativeUdpLoad = { readonly module: NativeUdp; readonly reason: null } | { readonly module: null; readonly reason: string };

/** Where scripts/build-native.mjs puts the module, from dist/src/server/. */
export const NATIVE_UDP_PATH = fileURLToPath(new URL('../../../native/build/mcns_udp.node', import.meta.url));

const loaded = new Map<string, NativeUdpLoad>();

/** Loads the module at `path` (tests point elsewhere) once; later calls return the same answer. */
export function loadNativeUdp(path: string = NATIVE_UDP_PATH): NativeUdpLoad {
  let load = loaded.get(path);
  if (load !== undefined) return load;
  if (process.platform !== 'linux') {
    load = { module: null, reason: `batched UDP is built on Linux only, and this is ${process.platform}` };
  } else if (!existsSync(path)) {
    load = { module: null, reason: `${path} is not built; run "npm run build:native" (needs cc and Node's headers)` };
  } else {
    try {
      load = { module: createRequire(import.meta.url)(path) as NativeUdp, reason: null };
    } catch (err) {
      load = { module: null, reason: `${path} does not load: ${err instanceof Error ? err.message : String(err)}; rebuild it with "npm run build:native"` };
    }
  }
  loaded.set(path, load);
  return load;
}
