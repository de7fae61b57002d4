import type { CliIo } from '../cli/io.js'

export interface FakeIo extends CliIo {
  out: string
  err: string
  /** Delivers a signal to a running `start` command. */
  signal(name: string): void
  /** Resolves with the first capture group of `pattern` once stdout matches it. */
  waitForStdout(pattern: RegExp): Promise<string>
}

/** Captures output; `signal()` stands in for SIGINT/SIGTERM. */
export function fakeIo(env: Record<string, string | undefined> = {}): FakeIo {
  let deliver: (name: string) => void = () => {}
  const shutdown = new Promise<string>((resolve) => {
    deliver = resolve
  })
  const watchers = new Set<() => void>()
  const io: FakeIo = {
    out: '',
    err: '',
    env,
    stdout: (text) => {
      io.out += text
      for (const watcher of watchers) watcher()
    },
    stderr: (text) => {
      io.err += text
    },
    waitForShutdown: () => shutdown,
    signal: (name) => deliver(name),
    waitForStdout: (pattern) =>
      new Promise((resolve) => {
        const watcher = () => {
          const match = pattern.exec(io.out)
          if (!match) return
          watchers.delete(watcher)
          resolve(match[1] ?? match[0])
        }
        watchers.add(watcher)
        watcher()
      }),
  }
  return io
}
