import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { createInterface, type Interface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { ServersCommand, ServersConfig } from './integration-servers.js'

/** Paths from the module's file URL string: happy-dom replaces the global `URL`. */
const here = dirname(fileURLToPath(import.meta.url))
const script = join(here, 'integration-servers.ts')
const root = join(here, '../../../..')
/** Maps the workspace packages to their sources, as the test aliases do, so no build is needed. */
const tsconfig = join(here, 'integration-servers.tsconfig.json')

/** The license server and proxy in a child Node process, driven line by line. */
export class ServersProcess {
  readonly #child: ChildProcessWithoutNullStreams
  readonly #lines: Interface
  readonly #waiting: ((line: string) => void)[] = []
  readonly #exited: Promise<void>

  private constructor(child: ChildProcessWithoutNullStreams) {
    this.#child = child
    this.#lines = createInterface({ input: child.stdout })
    this.#lines.on('line', (line) => this.#waiting.shift()?.(line))
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()))
  }

  static async start(
    config: ServersConfig,
  ): Promise<{ servers: ServersProcess; endpoint: string }> {
    const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(config)], {
      cwd: root,
      env: { ...process.env, TSX_TSCONFIG_PATH: tsconfig },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk)
    })
    const servers = new ServersProcess(child)
    const ready = servers.#next<{ endpoint: string }>()
    const failed = servers.#exited.then(() => {
      throw new Error(`integration servers exited: ${stderr}`)
    })
    const { endpoint } = await Promise.race([ready, failed])
    return { servers, endpoint }
  }

  send<T>(command: ServersCommand): Promise<T> {
    const answer = this.#next<T>()
    this.#child.stdin.write(`${JSON.stringify(command)}\n`)
    return answer
  }

  async close(): Promise<void> {
    if (this.#child.exitCode === null) {
      await this.send({ op: 'exit' }).catch(() => undefined)
    }
    await this.#exited
  }

  #next<T>(): Promise<T> {
    return new Promise((resolve, reject) => {
      this.#waiting.push((line) => {
        const parsed = JSON.parse(line) as { value?: T; error?: string }
        if (parsed.error !== undefined) reject(new Error(parsed.error))
        else resolve(parsed.value as T)
      })
    })
  }
}
