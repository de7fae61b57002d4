/** Tells when the browser comes back online. */
export interface OnlineSource {
  subscribe(listener: () => void): () => void
}

/** The window's `online` event; never fires where there is no window. */
export function windowOnline(): OnlineSource {
  const target = globalThis.window as Window | undefined
  if (target === undefined || typeof target.addEventListener !== 'function') {
    return { subscribe: () => () => {} }
  }
  return {
    subscribe(listener) {
      target.addEventListener('online', listener)
      return () => target.removeEventListener('online', listener)
    },
  }
}
