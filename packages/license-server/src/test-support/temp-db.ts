import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface TempDb {
  dir: string
  /** A database file path inside `dir` (not created yet). */
  path: string
  remove(): void
}

/** A fresh temporary directory for a SQLite file; `remove()` deletes it with its WAL files. */
export function makeTempDb(): TempDb {
  const dir = mkdtempSync(join(tmpdir(), 'licensekit-server-'))
  return {
    dir,
    path: join(dir, 'licenses.db'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}
