import type { EventSourceConstructor, EventSourceLike } from '../live-events.js'

/**
 * A scripted `EventSource`: every instance is recorded, the test emits `open`, `license`,
 * `message` or `error` and sets `readyState` (0 connecting, 1 open, 2 closed) as a browser would.
 */
export class FakeEventSources {
  readonly all: FakeEventSource[] = []

  readonly EventSource: EventSourceConstructor = (() => {
    const sources = this.all
    return class implements EventSourceLike {
      readonly source: FakeEventSource
      constructor(url: string) {
        this.source = new FakeEventSource(url)
        sources.push(this.source)
      }
      get readyState(): number {
        return this.source.readyState
      }
      addEventListener(type: string, listener: (event: Event) => void): void {
        this.source.listen(type, listener)
      }
      close(): void {
        this.source.close()
      }
    }
  })()

  /** The sources not closed yet. */
  open(): FakeEventSource[] {
    return this.all.filter((source) => !source.closed)
  }

  last(): FakeEventSource {
    const source = this.all.at(-1)
    if (source === undefined) throw new Error('No EventSource was created')
    return source
  }
}

export class FakeEventSource {
  readyState = 0
  closed = false
  readonly #listeners = new Map<string, ((event: Event) => void)[]>()

  constructor(readonly url: string) {}

  listen(type: string, listener: (event: Event) => void): void {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener])
  }

  emit(type: string, readyState = this.readyState): void {
    this.readyState = readyState
    for (const listener of this.#listeners.get(type) ?? []) listener(new Event(type))
  }

  close(): void {
    this.closed = true
    this.readyState = 2
  }
}
