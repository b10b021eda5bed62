// Domain names in wire form held as latin1 strings (ADR 0001): conversion from and
// to presentation text, case folding, label walking and canonical ordering.
import { WireError, type Name } from './types.js';

/** The root name ("."). */
export const ROOT_NAME = '\0' as Name;

/** RFC 1035 2.3.4: labels are 63 octets or less, names 255 octets or less. */
export const MAX_LABEL_LENGTH = 63;
/** RFC 1035 2.3.4: the whole name, length bytes included. */
export const MAX_NAME_LENGTH = 255;

/** Builds a name from raw labels (latin1 strings, no length bytes); checks the limits. */
export function nameFromLabels(labels: readonly string[]): Name {
  let out = '';
  for (const label of labels) {
    if (label.length === 0) throw new WireError('BAD_TEXT', 'empty label');
    if (label.length > MAX_LABEL_LENGTH) {
      throw new WireError('LABEL_TOO_LONG', `label of ${label.length} bytes exceeds 63`);
    }
    out += String.fromCharCode(label.length) + label;
  }
  out += '\0';
  if (out.length > MAX_NAME_LENGTH) {
    throw new WireError('NAME_TOO_LONG', `name of ${out.length} bytes exceeds 255`);
  }
  return out as Name;
}

/** The labels of a name, leftmost first, as latin1 strings; the root has none. */
export function nameLabels(name: Name): string[] {
  const labels: string[] = [];
  let i = 0;
  while (i < name.length) {
    const len = name.charCodeAt(i);
    if (len === 0) break;
    labels.push(name.slice(i + 1, i + 1 + len));
    i += 1 + len;
  }
  return labels;
}

/** How many labels the name has; the root has 0. */
export function nameLabelCount(name: Name): number {
  let count = 0;
  let i = 0;
  while (i < name.length) {
    const len = name.charCodeAt(i);
    if (len === 0) break;
    count++;
    i += 1 + len;
  }
  return count;
}

/** The name with its leftmost label removed, or null for the root. */
export function nameParent(name: Name): Name | null {
  const len = name.charCodeAt(0);
  if (len === 0 || name.length <= 1) return null;
  return name.slice(1 + len) as Name;
}

/** The offsets of every label boundary, leftmost first (each suffix is `name.slice(offset)`). */
export function nameSuffixOffsets(name: Name): number[] {
  const offsets: number[] = [];
  let i = 0;
  while (i < name.length) {
    offsets.push(i);
    const len = name.charCodeAt(i);
    if (len === 0) break;
    i += 1 + len;
  }
  return offsets;
}

const UPPER_A = 0x41;
const UPPER_Z = 0x5a;

/** ASCII-only lowercase (RFC 4343: DNS compares names case-insensitively for A-Z only). */
export function nameLower(name: Name): Name {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= UPPER_A && c <= UPPER_Z) return lowerFrom(name, i) as Name;
  }
  return name;
}

function lowerFrom(s: string, start: number): string {
  let out = s.slice(0, start);
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= UPPER_A && c <= UPPER_Z ? String.fromCharCode(c + 32) : s[i];
  }
  return out;
}

/** Case-insensitive equality (RFC 4343). */
export function nameEquals(a: Name, b: Name): boolean {
  return a.length === b.length && (a === b || nameLower(a) === nameLower(b));
}

/**
 * True when `name` equals `ancestor` or lies below it, compared case-insensitively
 * at label boundaries (so "xexample.com." is not below "example.com.").
 */
export function nameIsAtOrBelow(name: Name, ancestor: Name): boolean {
  if (ancestor.length > name.length) return false;
  const lowerAncestor = nameLower(ancestor);
  const lowerName = nameLower(name);
  let i = 0;
  while (i < lowerName.length) {
    if (lowerName.length - i === lowerAncestor.length) return lowerName.endsWith(lowerAncestor);
    if (lowerName.length - i < lowerAncestor.length) return false;
    const len = lowerName.charCodeAt(i);
    if (len === 0) return false;
    i += 1 + len;
  }
  return false;
}

/** Joins a relative prefix (labels in wire form without the final root byte) onto an origin. */
export function nameConcat(prefix: Name, origin: Name): Name {
  const joined = prefix.slice(0, -1) + origin;
  if (joined.length > MAX_NAME_LENGTH) {
    throw new WireError('NAME_TOO_LONG', `name of ${joined.length} bytes exceeds 255`);
  }
  return joined as Name;
}

/**
 * Replaces the suffix `oldSuffix` of `name` with `newSuffix` (DNAME substitution,
 * RFC 6672 2.2). Returns null when the result would exceed 255 bytes, which the
 * caller answers with YXDOMAIN. The caller has checked that `name` is below `oldSuffix`.
 */
export function nameReplaceSuffix(name: Name, oldSuffix: Name, newSuffix: Name): Name | null {
  const result = name.slice(0, name.length - oldSuffix.length) + newSuffix;
  return result.length > MAX_NAME_LENGTH ? null : (result as Name);
}

/** The wildcard name directly below `parent` ("*." + parent). */
export function nameWildcard(parent: Name): Name {
  return ('\x01*' + parent) as Name;
}

/** True when the leftmost label is exactly "*" (RFC 4592 2.1.1). */
export function nameIsWildcard(name: Name): boolean {
  return name.charCodeAt(0) === 1 && name.charCodeAt(1) === 0x2a;
}

/** The name's wire bytes (uncompressed). */
export function nameToBytes(name: Name): Buffer {
  return Buffer.from(name, 'latin1');
}

/**
 * RFC 4034 6.1 canonical order: compare label by label from the rightmost, each
 * label as lowercased unsigned octets, a missing label sorting first.
 */
export function nameCompareCanonical(a: Name, b: Name): number {
  const la = nameLabels(nameLower(a));
  const lb = nameLabels(nameLower(b));
  let i = la.length - 1;
  let j = lb.length - 1;
  while (i >= 0 && j >= 0) {
    const x = la[i]!;
    const y = lb[j]!;
    if (x !== y) {
      const n = Math.min(x.length, y.length);
      for (let k = 0; k < n; k++) {
        const d = x.charCodeAt(k) - y.charCodeAt(k);
        if (d !== 0) return d;
      }
      return x.length - y.length;
    }
    i--;
    j--;
  }
  return i - j;
}

const DIGIT_0 = 0x30;

/**
 * Parses a name in presentation form (RFC 1035 5.1): labels separated by dots,
 * `\X` for a literal character and `\DDD` for a decimal byte. A name without a
 * trailing dot is relative to `origin`; "@" is the origin itself. Throws a
 * WireError (BAD_TEXT, LABEL_TOO_LONG, NAME_TOO_LONG) naming the problem.
 */
export function nameFromText(text: string, origin?: Name): Name {
  if (text === '@') {
    if (origin === undefined) throw new WireError('BAD_TEXT', '"@" used without an origin');
    return origin;
  }
  if (text === '.') return ROOT_NAME;
  if (text.length === 0) throw new WireError('BAD_TEXT', 'empty name');
  let out = '';
  let label = '';
  let absolute = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x5c /* \ */) {
      const next = text.charCodeAt(i + 1);
      if (Number.isNaN(next)) throw new WireError('BAD_TEXT', `name "${text}" ends in a lone backslash`);
      if (next >= DIGIT_0 && next <= DIGIT_0 + 9) {
        const digits = text.slice(i + 1, i + 4);
        if (!/^[0-9]{3}$/.test(digits)) {
          throw new WireError('BAD_TEXT', `name "${text}" has a \\DDD escape without three digits`);
        }
        const value = Number(digits);
        if (value > 255) throw new WireError('BAD_TEXT', `name "${text}" has escape \\${digits} above 255`);
        label += String.fromCharCode(value);
        i += 3;
      } else {
        if (next > 0xff) throw new WireError('BAD_TEXT', `name "${text}" has a character outside latin1; use \\DDD escapes`);
        label += text[i + 1];
        i += 1;
      }
      continue;
    }
    if (ch === 0x2e /* . */) {
      if (label.length === 0) throw new WireError('BAD_TEXT', `name "${text}" has an empty label`);
      if (label.length > MAX_LABEL_LENGTH) {
        throw new WireError('LABEL_TOO_LONG', `name "${text}" has a label of ${label.length} bytes (limit 63)`);
      }
      out += String.fromCharCode(label.length) + label;
      label = '';
      if (i === text.length - 1) absolute = true;
      continue;
    }
    if (ch > 0xff) throw new WireError('BAD_TEXT', `name "${text}" has a character outside latin1; use \\DDD escapes`);
    label += text[i];
  }
  if (label.length > 0) {
    if (label.length > MAX_LABEL_LENGTH) {
      throw new WireError('LABEL_TOO_LONG', `name "${text}" has a label of ${label.length} bytes (limit 63)`);
    }
    out += String.fromCharCode(label.length) + label;
  }
  let full: string;
  if (absolute) {
    full = out + '\0';
  } else {
    if (origin === undefined) {
      throw new WireError('BAD_TEXT', `name "${text}" is relative and no origin is known; end it with "."`);
    }
    full = out + origin;
  }
  if (full.length > MAX_NAME_LENGTH) {
    throw new WireError('NAME_TOO_LONG', `name "${text}" is ${full.length} bytes in wire form (limit 255)`);
  }
  return full as Name;
}

/** Escapes one label for presentation form: dots, backslashes and specials quoted, non-printables as \DDD. */
export function labelToText(label: string): string {
  let out = '';
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    if (c === 0x2e || c === 0x5c || c === 0x22 || c === 0x28 || c === 0x29 || c === 0x3b || c === 0x40 || c === 0x24) {
      out += '\\' + label[i];
    } else if (c <= 0x20 || c >= 0x7f) {
      out += '\\' + String(c).padStart(3, '0');
    } else {
      out += label[i];
    }
  }
  return out;
}

/** Presentation form with the trailing dot ("www.example.com."; the root is "."). */
export function nameToText(name: Name): string {
  const labels = nameLabels(name);
  if (labels.length === 0) return '.';
  let out = '';
  for (const label of labels) out += labelToText(label) + '.';
  return out;
}

/**
 * Presentation form relative to `origin` when the name is at or below it ("www",
 * "@" for the origin itself), absolute otherwise. For zone-file export.
 */
export function nameToTextRelative(name: Name, origin: Name): string {
  if (nameEquals(name, origin)) return '@';
  if (!nameIsAtOrBelow(name, origin)) return nameToText(name);
  const prefixLabels = nameLabels(name.slice(0, name.length - origin.length) + '\0' as Name);
  return prefixLabels.map(labelToText).join('.');
}
