// allow_recursion: a list of CIDRs compiled once into 128-bit (network, mask) words,
// so a query pays one memo lookup (or a few integer compares) and never a regex.
import { ForwarderError } from './forwarder-error.js';
import { parseIpAddress } from './parse-ip-address.js';

/** The recursion ACL used when `allow_recursion` is not configured: loopback only. */
export const DEFAULT_ALLOW_RECURSION: readonly string[] = ['127.0.0.0/8', '::1/128'];

/** A compiled address ACL. */
export interface AddressMatcher {
  /** True when the address (as Node reports it: "192.0.2.1", "::1", "::ffff:192.0.2.1") is in a listed network. */
  matches(address: string): boolean;
}

/** How many distinct client addresses the matcher remembers before starting over. */
const MEMO_LIMIT = 4096;

function maskWord(prefix: number, word: number): number {
  const bits = Math.min(32, Math.max(0, prefix - word * 32));
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

/** A prefix length of one to three decimal digits, or -1. */
function parsePrefix(text: string): number {
  if (text.length === 0 || text.length > 3) return -1;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    value = value * 10 + (c - 0x30);
  }
  return value;
}

/**
 * Compiles CIDRs ("10.0.0.0/8", "2001:db8::/32", a bare address meaning /32 or /128)
 * into a matcher. IPv4 networks are kept as IPv4-mapped IPv6 (/n becomes /96+n), so an
 * IPv4 client seen through a dual-stack socket matches the same rules. Throws
 * ForwarderError BAD_CIDR naming the first bad entry.
 */
export function compileAddressMatcher(cidrs: readonly string[]): AddressMatcher {
  const rules: number[] = [];
  for (const cidr of cidrs) {
    const text = cidr.trim();
    const slash = text.indexOf('/');
    const addressText = slash < 0 ? text : text.slice(0, slash);
    const address = parseIpAddress(addressText);
    if (address === null) {
      throw new ForwarderError('BAD_CIDR', `allow_recursion entry "${cidr}" is not an IPv4 or IPv6 address or network`);
    }
    const isV4Text = addressText.indexOf(':') < 0;
    const max = isV4Text ? 32 : 128;
    let prefix = max;
    if (slash >= 0) {
      const p = text.slice(slash + 1);
      prefix = parsePrefix(p);
      if (prefix < 0 || prefix > max) {
        throw new ForwarderError('BAD_CIDR', `allow_recursion entry "${cidr}" has prefix length "${p}" (0 to ${max})`);
      }
    }
    const bits = isV4Text ? 96 + prefix : prefix;
    for (let w = 0; w < 4; w++) {
      const mask = maskWord(bits, w);
      rules.push((address.words[w]! & mask) >>> 0, mask);
    }
  }
  const table = Uint32Array.from(rules);
  const memo = new Map<string, boolean>();

  const test = (address: string): boolean => {
    const parsed = parseIpAddress(address);
    if (parsed === null) return false;
    const [a, b, c, d] = parsed.words;
    for (let i = 0; i < table.length; i += 8) {
      if (
        ((a & table[i + 1]!) >>> 0) === table[i] &&
        ((b & table[i + 3]!) >>> 0) === table[i + 2] &&
        ((c & table[i + 5]!) >>> 0) === table[i + 4] &&
        ((d & table[i + 7]!) >>> 0) === table[i + 6]
      ) return true;
    }
    return false;
  };

  return {
    matches(address: string): boolean {
      const known = memo.get(address);
      if (known !== undefined) return known;
      const result = test(address);
      // Bounded: a flood of distinct sources cannot grow the memo past MEMO_LIMIT.
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(address, result);
      return result;
    },
  };
}
