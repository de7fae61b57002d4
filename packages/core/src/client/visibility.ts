/** Whether the page is visible, and a way to hear when that changes. */
export interface VisibilitySource {
  isVisible(): boolean
  subscribe(listener: () => void): () => void
}

/** `document.visibilityState` and `visibilitychange`; always visible where there is no document. */
export function documentVisibility(): VisibilitySource {
  const doc = globalThis.document as Document | undefined
  if (doc === undefined || typeof doc.addEventListener !== 'function') {
    return { isVisible: () => true, subscribe: () => () => {} }
  }
  return {
    isVisible: () => doc.visibilityState !== 'hidden',
    subscribe(listener) {
      doc.addEventListener('visibilitychange', listener)
      return () => doc.removeEventListener('visibilitychange', listener)
    },
  }
}
