// Where an $INCLUDE may read from. RFC 1035 5.1 leaves file names to the
// implementation; a server that loads zone files from an API or a shared
// directory must not let one read /etc/shadow, so includes stay in the zone's folder.

/**
 * Resolves `requested` (relative to `zoneFileDir`, or absolute) to a normalized
 * POSIX path, and returns null when that path is not strictly inside
 * `zoneFileDir` (after resolving "." and ".."), is empty, or contains a NUL byte.
 * Pure string work: symbolic links are not followed, so a caller that cares
 * resolves the result with realpath and checks it again.
 */
export function confineIncludePath(zoneFileDir: string, requested: string): string | null {
  if (requested.length === 0 || requested.includes('\0') || zoneFileDir.includes('\0')) return null;
  const dir = normalize(zoneFileDir);
  const target = requested.startsWith('/') ? normalize(requested) : normalize(`${zoneFileDir}/${requested}`);
  if (dir.absolute !== target.absolute) return null;
  // After normalize, ".." can only lead a relative path, so a prefix test is exact.
  if (target.segments.length <= dir.segments.length) return null;
  for (let i = 0; i < dir.segments.length; i++) {
    if (dir.segments[i] !== target.segments[i]) return null;
  }
  return (target.absolute ? '/' : '') + target.segments.join('/');
}

interface NormalPath {
  readonly absolute: boolean;
  readonly segments: readonly string[];
}

/** Drops empty and "." segments and applies ".." (never above "/"; kept when a relative path climbs). */
function normalize(path: string): NormalPath {
  const absolute = path.startsWith('/');
  const segments: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (segments.length > 0 && segments[segments.length - 1] !== '..') segments.pop();
      else if (!absolute) segments.push('..');
      continue;
    }
    segments.push(part);
  }
  return { absolute, segments };
}
