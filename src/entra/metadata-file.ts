/**
 * The federation metadata file `entra setup` saves, written whole or not at all: the text goes to a temporary file
 * next to it, is flushed to disk, and is renamed over the target (a rename within one directory is atomic on POSIX
 * file systems, and replaces the target on Windows too), so a kill leaves either the old file or the new one, never
 * half of one. That is what lets the journal's settle step tell from the file alone whether a save happened.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Writes `text` to `path` atomically (temporary file in the same directory, fsync, rename). */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Puts a file back as it was: its earlier text (atomically), or no file when there was none. */
export async function restoreFile(path: string, content: string | null): Promise<void> {
  if (content === null) await rm(path, { force: true });
  else await writeFileAtomic(path, content);
}
