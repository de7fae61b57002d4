'use client'
import { type RefObject, useEffect, useLayoutEffect, useRef } from 'react'

/** `useLayoutEffect` in the browser, `useEffect` where there is no DOM (no server warning). */
export const useIsomorphicLayoutEffect =
  typeof document === 'undefined' ? useEffect : useLayoutEffect

/**
 * A ref that holds the value of the last committed render, for stable callbacks that must
 * read current props without changing identity.
 */
export function useCurrentRef<T>(value: T): RefObject<T> {
  const latest = useRef(value)
  useIsomorphicLayoutEffect(() => {
    latest.current = value
  })
  return latest
}
