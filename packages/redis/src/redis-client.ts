/**
 * The parts of a connected node-redis client (`createClient()` from `redis`, v5 or v6) this
 * package uses. Declared structurally so clients with modules or scripts of their own fit.
 */
export interface RedisScriptOptions {
  keys: string[]
  arguments: string[]
}

export interface RedisScriptClient {
  eval(script: string, options: RedisScriptOptions): Promise<unknown>
  evalSha(sha1: string, options: RedisScriptOptions): Promise<unknown>
}

export interface RedisSubscriberClient {
  on(event: 'error', listener: (error: Error) => void): unknown
  connect(): Promise<unknown>
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>
  unsubscribe(channel: string): Promise<unknown>
  destroy(): void
}

export interface RedisPublisherClient {
  publish(channel: string, message: string): Promise<unknown>
  duplicate(): RedisSubscriberClient
}

/** Rejects with `TimeoutError` when `promise` takes longer than `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`${what} took longer than ${ms} ms`)
      error.name = 'TimeoutError'
      reject(error)
    }, ms)
  })
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer))
}
