// The engine answers synchronously on the authoritative path and with a promise
// only when it must wait on the network; the transports tell the two apart here.
import type { EngineReply } from '../query/index.js';

/** True when the engine's reply is still to come (a promise or any thenable). */
export function isPendingReply(reply: EngineReply | PromiseLike<EngineReply>): reply is PromiseLike<EngineReply> {
  return typeof (reply as { then?: unknown }).then === 'function';
}
