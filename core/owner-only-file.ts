import { chmodSync, closeSync, constants, openSync } from 'node:fs';

/**
 * Makes `file` exist with mode 0600 before a library opens it. SQLite creates its database with
 * the process umask (often 0644) and gives its -wal and -shm files the database file's mode, so
 * a journal or index made this way stays owner-only whatever the data directory's mode or the
 * umask. An existing file is tightened to 0600 too.
 */
export function ownerOnlyFile(file: string): void {
  // O_NOFOLLOW: a symlink planted in place of the file is refused, not followed.
  const fd = openSync(file, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
  closeSync(fd);
  chmodSync(file, 0o600);
}
