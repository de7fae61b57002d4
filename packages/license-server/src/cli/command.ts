import { openLicenseStore } from '../store/license-store.js'
import type { LicenseStore } from '../store/store-types.js'
import type { CliIo } from './io.js'

/** A CLI command: gets its own arguments (after the command name), returns the exit code. */
export type Command = (argv: readonly string[], io: CliIo) => Promise<number>

/** Opens the database for one command and closes it afterwards, whatever happens. */
export function withStore<T>(path: string, run: (store: LicenseStore) => T): T {
  const store = openLicenseStore(path)
  try {
    return run(store)
  } finally {
    store.close()
  }
}
