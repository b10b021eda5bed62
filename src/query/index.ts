// Public face of the query layer: the engine the transports call, and the steps
// of the query path for tests and tools. Pure: no I/O, no clock.
export * from './types.js';
export * from './create-query-engine.js';
export { AnswerCache, DEFAULT_ANSWER_CACHE_BYTES } from './answer-cache.js';
export { handleRequest, type QueryEnv, type HandledRequest } from './handle-request.js';
export { resolveName, MAX_RESTARTS } from './resolve-name.js';
export { findZone } from './find-zone.js';
export { preflight, type Preflight } from './preflight.js';
export { classifyRequest, type RequestKind } from './classify-request.js';
export { collectAdditional } from './collect-additional.js';
export { buildResponse, type ResponseBasis, type ResponseContent } from './build-response.js';
export { fitResponse, responseSizeLimit, CLASSIC_UDP_SIZE, TCP_MAX_SIZE, DEFAULT_MAX_UDP_SIZE } from './fit-response.js';
export { wantsApexNs, type AnswerPart, type LookupOutcome, type LookupKind } from './lookup-outcome.js';
