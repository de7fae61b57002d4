/**
 * A strict reader for the proxy's tiny request bodies: a JSON object whose values are all
 * strings. Unlike `JSON.parse` it reports duplicate names (`{"key":"A","key":"B"}`) instead
 * of silently keeping the last, and it builds a `Map`, so `__proto__` is just a name.
 */

export type FlatJson = { ok: true; fields: Map<string, string> } | { ok: false; reason: string }

const WHITESPACE = new Set([' ', '\t', '\n', '\r'])

class Scanner {
  #text: string
  #at = 0

  constructor(text: string) {
    this.#text = text
  }

  skipWhitespace(): void {
    while (WHITESPACE.has(this.#text.charAt(this.#at))) this.#at++
  }

  peek(): string {
    return this.#text.charAt(this.#at)
  }

  consume(char: string): boolean {
    if (this.peek() !== char) return false
    this.#at++
    return true
  }

  atEnd(): boolean {
    return this.#at >= this.#text.length
  }

  /** A JSON string token, decoded; `null` when there is none or it is malformed. */
  string(): string | null {
    if (this.peek() !== '"') return null
    let end = this.#at + 1
    while (end < this.#text.length) {
      const char = this.#text.charAt(end)
      if (char === '\\') end += 2
      else if (char === '"') break
      else end++
    }
    if (end >= this.#text.length) return null
    const token = this.#text.slice(this.#at, end + 1)
    this.#at = end + 1
    try {
      return JSON.parse(token) as string
    } catch {
      return null
    }
  }
}

export function parseFlatJson(text: string): FlatJson {
  const scanner = new Scanner(text)
  const fields = new Map<string, string>()
  scanner.skipWhitespace()
  if (!scanner.consume('{')) return { ok: false, reason: 'The body must be a JSON object' }
  scanner.skipWhitespace()
  if (!scanner.consume('}')) {
    for (;;) {
      scanner.skipWhitespace()
      const name = scanner.string()
      if (name === null) return { ok: false, reason: 'The body is not valid JSON' }
      scanner.skipWhitespace()
      if (!scanner.consume(':')) return { ok: false, reason: 'The body is not valid JSON' }
      scanner.skipWhitespace()
      const value = scanner.string()
      if (value === null) {
        return { ok: false, reason: `Field "${printable(name)}" must be a string` }
      }
      if (fields.has(name)) return { ok: false, reason: `Duplicate field "${printable(name)}"` }
      fields.set(name, value)
      scanner.skipWhitespace()
      if (scanner.consume('}')) break
      if (!scanner.consume(',')) return { ok: false, reason: 'The body is not valid JSON' }
    }
  }
  scanner.skipWhitespace()
  if (!scanner.atEnd()) return { ok: false, reason: 'The body is not valid JSON' }
  return { ok: true, fields }
}

/** A field name fit to quote back in an error message: short, printable ASCII only. */
export function printable(name: string): string {
  const clean = name.replace(/[^\x20-\x7e]/g, '?')
  return clean.length > 32 ? `${clean.slice(0, 32)}…` : clean
}
