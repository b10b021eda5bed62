// The commit a source checkout runs, for mcns_build_info: read from .git without
// running git (HEAD, then the loose ref or packed-refs). Installs without .git
// (a package, a container image) report none.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The 40-hex commit of the checkout at `root`, or null when it is not a git checkout or cannot be read. */
export function readGitCommit(root: string): string | null {
  const gitDir = join(root, '.git');
  try {
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    if (/^[0-9a-f]{40}$/.test(head)) return head;
    const ref = /^ref: (refs\/[^\s]+)$/.exec(head)?.[1];
    if (ref === undefined) return null;
    try {
      const loose = readFileSync(join(gitDir, ref), 'utf8').trim();
      if (/^[0-9a-f]{40}$/.test(loose)) return loose;
    } catch {
      // not a loose ref: look in packed-refs
    }
    for (const line of readFileSync(join(gitDir, 'packed-refs'), 'utf8').split('\n')) {
      const [hash, name] = line.split(' ');
      if (name === ref && hash !== undefined && /^[0-9a-f]{40}$/.test(hash)) return hash;
    }
    return null;
  } catch {
    return null;
  }
}
