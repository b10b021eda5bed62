// Durability of renames and new files: the directory entry must reach the disk too.
import { closeSync, fsyncSync, openSync } from 'node:fs';

/** fsyncs a directory so a file created or renamed in it survives a crash (best effort where a directory cannot be synced). */
export function syncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a directory; the files themselves are synced.
  } finally {
    closeSync(fd);
  }
}
