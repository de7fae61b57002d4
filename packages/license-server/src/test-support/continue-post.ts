import { type Agent, request } from 'node:http'

export interface RawAnswer {
  status: number
  text: string
  connection: string | undefined
}

/**
 * POSTs with `Expect: 100-continue` and sends the body only once the server asks for it:
 * `onContinue` runs at a moment the server is known to hold the request in flight.
 */
export function postOnContinue(
  url: string,
  body: string,
  headers: Record<string, string>,
  onContinue: () => void,
  agent?: Agent,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        agent,
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body), expect: '100-continue' },
      },
      (res) => {
        let text = ''
        res.on('data', (chunk: Buffer) => {
          text += chunk
        })
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text, connection: res.headers.connection }),
        )
      },
    )
    req.on('error', reject)
    req.on('continue', () => {
      onContinue()
      req.end(body)
    })
  })
}
