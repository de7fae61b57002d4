/** Where request log lines go, one call per line; `false` switches logging off. */
export type RequestLog = ((line: string) => void) | false

/** The process events a {@link BufferedLog} flushes on (default: `process`). */
export interface ExitEvents {
  on(event: 'exit', listener: () => void): unknown
  off(event: 'exit', listener: () => void): unknown
}

export interface BufferedLogOptions {
  /** Longest a line waits in memory before it is written, in milliseconds (default 1000). */
  flushMs?: number | undefined
  /** Written at once when this many characters are waiting (default 16,384). */
  maxBufferedChars?: number | undefined
  exitEvents?: ExitEvents | undefined
}

/**
 * Log lines collected in memory and written in one chunk: at most `flushMs` after the first
 * waiting line, as soon as `maxBufferedChars` are waiting, on {@link flush}, on {@link close}
 * and when the process exits. A busy server so makes one write a second instead of one per
 * request (a write to a pipe or a file is a synchronous system call in Node).
 */
export class BufferedLog {
  readonly #write: (chunk: string) => void
  readonly #flushMs: number
  readonly #maxBufferedChars: number
  readonly #exitEvents: ExitEvents
  #waiting = ''
  #timer: ReturnType<typeof setTimeout> | null = null
  #closed = false

  constructor(write: (chunk: string) => void, options: BufferedLogOptions = {}) {
    this.#write = write
    this.#flushMs = options.flushMs ?? 1000
    this.#maxBufferedChars = options.maxBufferedChars ?? 16_384
    this.#exitEvents = options.exitEvents ?? process
    this.#exitEvents.on('exit', this.flush)
  }

  /** Queues one line (a newline is added); after {@link close}, writes it at once. */
  readonly line = (text: string): void => {
    this.#waiting += `${text}\n`
    if (this.#closed || this.#waiting.length >= this.#maxBufferedChars) this.flush()
    else this.#timer ??= setTimeout(this.flush, this.#flushMs).unref()
  }

  /** Writes every waiting line now, in one chunk. */
  readonly flush = (): void => {
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = null
    if (this.#waiting === '') return
    const chunk = this.#waiting
    this.#waiting = ''
    this.#write(chunk)
  }

  /** Flushes and stops buffering: later lines are written as they come. */
  close(): void {
    this.flush()
    this.#closed = true
    this.#exitEvents.off('exit', this.flush)
  }
}

/**
 * `POST /api/licenses/validate 200 3ms`: method, path without the query, status, whole
 * milliseconds. Never the body, the headers or the signature.
 */
export function formatRequestLine(
  method: string,
  path: string,
  status: number,
  milliseconds: number,
): string {
  return `${method} ${path} ${status} ${Math.round(milliseconds)}ms`
}
