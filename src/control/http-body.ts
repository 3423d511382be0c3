import { MAX_BODY_BYTES } from './constants.ts'
import { BadRequestError } from './errors.ts'
import type { IncomingMessage, ServerResponse } from 'node:http'

/** The request's JSON object body, at most MAX_BODY_BYTES (else `BadRequestError`) */
export async function readJson (req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) {
      throw new BadRequestError(`request body over ${MAX_BODY_BYTES} bytes`)
    }
    chunks.push(chunk)
  }
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
    if (body == null || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object')
    return body
  } catch (err: any) {
    throw new BadRequestError(`the request body must be a JSON object: ${err.message}`)
  }
}

export function stringField (body: Record<string, unknown>, name: string): string {
  const value = body[name]
  if (typeof value !== 'string') {
    throw new BadRequestError(`"${name}" must be a string`)
  }
  return value
}

export function booleanField (body: Record<string, unknown>, name: string): boolean {
  const value = body[name]
  if (typeof value !== 'boolean') throw new BadRequestError(`"${name}" must be true or false`)
  return value
}

export function positiveInt (value: string, name: string): number {
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n <= 0) throw new BadRequestError(`"${name}" must be a positive integer`)
  return n
}

export function json (res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}
