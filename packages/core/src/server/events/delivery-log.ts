/** Delivery ids already handled, oldest forgotten first past `capacity`. */
export class DeliveryLog {
  readonly #capacity: number
  readonly #seen = new Set<string>()

  constructor(capacity: number) {
    this.#capacity = capacity
  }

  has(id: string): boolean {
    return this.#seen.has(id)
  }

  add(id: string): void {
    this.#seen.add(id)
    while (this.#seen.size > this.#capacity) {
      const oldest = this.#seen.values().next()
      if (oldest.done) break
      this.#seen.delete(oldest.value)
    }
  }
}
