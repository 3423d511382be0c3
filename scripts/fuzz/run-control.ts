import { request } from 'node:http'
import fc from 'fast-check'
import { jsonBody } from './inputs.ts'

/** The control API's routes that read a JSON body */
const ROUTES = [
  '/messages', '/contacts', '/accept', '/block', '/unblock', '/files', '/backup',
  '/reactions', '/settings', '/conversations/nobody/read', '/conversations/nobody/timer', '/conversations/nobody/typing',
  '/messages/00/edit', '/messages/00/delete',
  '/groups', '/groups/nobody/members', '/groups/nobody/admins', '/groups/nobody/name', '/groups/nobody/leave', '/groups/nobody/messages'
]

export interface ControlResult {
  cases: number
  /** Responses by status */
  statuses: Record<number, number>
  /** Bodies that got a 500 (an error the API did not expect), the first few */
  serverErrors: string[]
  /** The API still answered GET /id afterwards */
  healthy: boolean
  ms: number
}

/**
 * POSTs `cases` fuzzed bodies (any JSON, objects with the fields the routes read, and text that
 * is not JSON) to the control API's routes on `socketPath`. A bad body must get a 4xx with a
 * reason, never a 500, and the API must keep answering.
 */
export async function fuzzControl (socketPath: string, options: { cases: number, seed: number }): Promise<ControlResult> {
  const inputs = fc.sample(fc.tuple(fc.constantFrom(...ROUTES), jsonBody()), { numRuns: options.cases, seed: options.seed })
  const result: ControlResult = { cases: inputs.length, statuses: {}, serverErrors: [], healthy: false, ms: 0 }
  const started = performance.now()
  for (const [route, body] of inputs) {
    const { status, text } = await call(socketPath, 'POST', route, body)
    result.statuses[status] = (result.statuses[status] ?? 0) + 1
    if (status >= 500 && result.serverErrors.length < 5) result.serverErrors.push(`POST ${route} ${body.slice(0, 200)} -> ${text.slice(0, 200)}`)
  }
  result.ms = performance.now() - started
  result.healthy = (await call(socketPath, 'GET', '/id')).status === 200
  return result
}

async function call (socketPath: string, method: string, route: string, body?: string): Promise<{ status: number, text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path: `/v1${route}`, headers: { 'content-type': 'application/json' }, timeout: 30_000 }, res => {
      const chunks: Buffer[] = []
      res.on('data', c => chunks.push(c))
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }) })
    })
    req.on('error', reject)
    req.on('timeout', () => { req.destroy(new Error(`no answer to ${method} ${route} within 30 s`)) })
    req.end(body)
  })
}
