'use client'
import { useEffect, useMemo, useRef, useSyncExternalStore } from 'react'

/**
 * `useSyncExternalStore` with a selector, after React's own
 * `use-sync-external-store/with-selector`: the component re-renders only when the selected
 * value changes by `isEqual` (default `Object.is`), and a selection that compares equal
 * keeps its previous identity, so selecting an object or array is safe.
 */
export function useSyncExternalStoreWithSelector<Snapshot, Selection>(
  subscribe: (listener: () => void) => () => void,
  getSnapshot: () => Snapshot,
  getServerSnapshot: () => Snapshot,
  selector: (snapshot: Snapshot) => Selection,
  isEqual: (a: Selection, b: Selection) => boolean = Object.is,
): Selection {
  /** The selection last committed to the screen, shared by every render of this component. */
  const committed = useRef<{ value: Selection } | null>(null)

  const [getSelection, getServerSelection] = useMemo(() => {
    let memo: { snapshot: Snapshot; selection: Selection } | null = null
    const select = (snapshot: Snapshot): Selection => {
      if (memo !== null && Object.is(memo.snapshot, snapshot)) return memo.selection
      const next = selector(snapshot)
      const previous = memo === null ? committed.current : { value: memo.selection }
      const selection = previous !== null && isEqual(previous.value, next) ? previous.value : next
      memo = { snapshot, selection }
      return selection
    }
    return [() => select(getSnapshot()), () => select(getServerSnapshot())] as const
  }, [getSnapshot, getServerSnapshot, selector, isEqual])

  const value = useSyncExternalStore(subscribe, getSelection, getServerSelection)
  useEffect(() => {
    committed.current = { value }
  }, [value])
  return value
}
