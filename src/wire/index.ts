// Public face of the wire layer: the DNS codec. Pure: no I/O, no clock.
export * from './types.js';
export * from './name.js';
export * from './message.js';
export * from './rdata.js';
export * from './edns.js';
export { latin1Slice, readName } from './read-name.js';
export * from './zone-file/index.js';
export { skipEncodedName, ttlFieldsOf, type TtlFields } from './ttl-fields.js';
