// The two functions the gRPC adapter is given: the service's one entry and the
// credential check. Typed here by shape so main.ts can pass the real ones and
// transport tests a stand-in.
import type { OperationIO, OperationName, Principal } from '../../service/index.js';

/** The service layer's entry (DESIGN.md "Management plane"): authorize from the table, then run the operation. */
export interface InvokeService {
  invoke<N extends OperationName>(name: N, principal: Principal | null, input: OperationIO[N]['input']): Promise<OperationIO[N]['output']>;
}

/** Turns the `authorization` metadata (null when absent) into a principal; throws AuthError. */
export type Authenticate = (authorization: string | null, signal?: AbortSignal) => Promise<Principal>;
