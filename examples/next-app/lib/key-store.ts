import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

/** Where the installation keeps its one license key: the proxy's `resolveKey` reads it. */
export interface KeyStore {
  read(): Promise<string | null>
  write(key: string | null): Promise<void>
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'ENOENT'
}

/** A JSON file `{"key": "…"}`; replaced atomically, so a reader never sees half a write. */
export function createFileKeyStore(path: string): KeyStore {
  return {
    async read() {
      let text: string
      try {
        text = await readFile(path, 'utf8')
      } catch (error) {
        if (isMissing(error)) return null
        throw error
      }
      const { key } = JSON.parse(text) as { key?: unknown }
      return typeof key === 'string' ? key : null
    },
    async write(key) {
      await mkdir(dirname(path), { recursive: true })
      const staged = `${path}.${process.pid}.tmp`
      await writeFile(staged, JSON.stringify({ key }), { mode: 0o600 })
      await rename(staged, path)
    },
  }
}
