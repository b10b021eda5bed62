// Public face of the zone-file text format (RFC 1035 5): parse, export, and the
// pieces the API reuses (RDATA tokenizer, TTL parser, include confinement).
export { parseZoneFile, MAX_INCLUDE_DEPTH } from './parse-zone-file.js';
export type { ParsedZone, ParseZoneFileOptions, ZoneFileRecord, IncludedFile } from './parse-zone-file.js';
export { formatZoneFile } from './format-zone-file.js';
export type { FormatRecord } from './format-zone-file.js';
export { tokenizeRdata } from './tokenize-rdata.js';
export { parseTtl, MAX_TTL } from './parse-ttl.js';
export { confineIncludePath } from './confine-include-path.js';
export { ZoneFileError } from './zone-file-error.js';
