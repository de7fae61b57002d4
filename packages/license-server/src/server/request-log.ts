/** Where request log lines go; `false` switches logging off. */
export type RequestLog = ((line: string) => void) | false

export function defaultRequestLog(line: string): void {
  process.stderr.write(`${line}\n`)
}

/**
 * `POST /api/licenses/validate 200 3ms`: method, path without the query, status, whole
 * milliseconds. Never the body, the headers or the signature.
 */
export function formatRequestLine(request: Request, status: number, milliseconds: number): string {
  const path = new URL(request.url).pathname
  return `${request.method} ${path} ${status} ${Math.round(milliseconds)}ms`
}
