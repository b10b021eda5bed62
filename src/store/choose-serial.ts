// Which SOA serial an import stores. RFC 1982 serial number arithmetic with
// SERIAL_BITS = 32: serials wrap, and "greater" means "ahead by less than 2^31".

const HALF = 2 ** 31;
const MODULO = 2 ** 32;

/**
 * RFC 1982 3.2: "s1 is said to be greater than s2 if, and only if, s1 is not equal
 * to s2, and (i1 < i2 and (i2 - i1) > 2^(SERIAL_BITS - 1)) or (i1 > i2 and
 * (i1 - i2) < 2^(SERIAL_BITS - 1))". At exactly 2^31 apart the result is
 * undefined, and we answer false.
 */
export function serialIsGreater(s1: number, s2: number): boolean {
  return (s1 < s2 && s2 - s1 > HALF) || (s1 > s2 && s1 - s2 < HALF);
}

/** The serial after `serial` (RFC 1982 3.1: addition modulo 2^32). */
export function serialNext(serial: number): number {
  return (serial + 1) % MODULO;
}

/** What chooseSerial decided. */
export interface SerialChoice {
  readonly serial: number;
  /** True when the file's serial was not greater than the current one and current+1 was used. */
  readonly bumped: boolean;
}

/**
 * The serial to store for new content: the file's own when the zone is new or
 * the file's serial is greater (RFC 1982) than the current one; otherwise the
 * current serial plus one, so secondaries always see the change (RFC 1034 4.3.5:
 * they transfer only when the serial increases).
 */
export function chooseSerial(current: number | null, fromFile: number): SerialChoice {
  if (current === null || serialIsGreater(fromFile, current)) return { serial: fromFile, bumped: false };
  return { serial: serialNext(current), bumped: true };
}
