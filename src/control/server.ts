import { createServer } from 'node:http'
import { connect } from 'node:net'
import { unlink } from 'node:fs/promises'
import { formatInvite } from '../identity/invite.ts'
import { API_PREFIX, MAX_BODY_BYTES } from './constants.ts'
import { DataDirLockedError } from '../storage/errors.ts'
import { errorInfo, httpStatusFor } from '../errors/index.ts'
import { BadRequestError, NotFoundError } from './errors.ts'
import { listenPrivately } from './listen-private.ts'
import { socketPath } from './socket-path.ts'
import { NODE_EVENT_TYPES } from '../events/node-events.ts'
import { publicMessage } from '../events/public.ts'
import type { Parley } from '../parley.ts'
import type { FileTransfers } from '../files/transfers.ts'
import type { Logger } from '@libp2p/interface'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'

export interface ControlServer {
  readonly path: string
  close(): Promise<void>
}

/**
 * Serves the local control API (JSON over HTTP on a Unix socket in the data directory, mode
 * 0600 inside a 0700 directory, so only the owning user reaches it). docs/CONTROL-API.md
 * documents the routes for bot authors.
 */
export async function startControlServer (parley: Parley, log: Logger): Promise<ControlServer> {
  if (parley.dataDir == null) {
    throw new TypeError('the control API belongs to a node with a data directory')
  }
  const path = socketPath(parley.dataDir)
  await removeStaleSocket(path)
  const streams = new Set<ServerResponse>()
  const server = createServer((req, res) => {
    route(parley, req, res, streams).catch(err => { reply(res, err) })
  })
  await listenPrivately(server, path)
  log('control API listening on %s', path)
  return {
    path,
    close: async () => {
      for (const res of streams) res.end()
      await closeServer(server)
    }
  }
}

async function route (parley: Parley, req: IncomingMessage, res: ServerResponse, streams: Set<ServerResponse>): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://parley')
  const path = url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length) : ''
  const { messenger } = parley
  const key = `${req.method} ${path}`

  if (key === 'GET /id') {
    return json(res, 200, {
      peerId: parley.peerId.toString(),
      invite: formatInvite(parley.peerId),
      addresses: parley.addresses().map(String)
    })
  }
  if (key === 'GET /peers') {
    return json(res, 200, parley.node.getConnections().map(c => ({
      peerId: c.remotePeer.toString(),
      address: c.remoteAddr.toString(),
      direction: c.direction,
      limited: c.limits != null
    })))
  }
  if (key === 'GET /messages') {
    const peer = url.searchParams.get('peer')
    const limit = url.searchParams.get('limit')
    return json(res, 200, (await messenger.history({
      ...(peer != null ? { peer: (await messenger.resolvePeer(peer)).toString() } : {}),
      ...(limit != null ? { limit: positiveInt(limit, 'limit') } : {})
    })).map(publicMessage))
  }
  if (key === 'POST /messages') {
    const body = await readJson(req)
    const record = await messenger.send(stringField(body, 'peer'), stringField(body, 'text'))
    return json(res, 200, publicMessage(record))
  }
  if (key === 'GET /safety-number') {
    const peer = url.searchParams.get('peer')
    if (peer == null) throw new BadRequestError('"peer" is required')
    const id = await messenger.resolvePeer(peer)
    return json(res, 200, { peer: id.toString(), safetyNumber: await messenger.safetyNumber(id) })
  }
  if (key === 'POST /backup') {
    const body = await readJson(req)
    const file = await parley.backup(stringField(body, 'passphrase'))
    res.writeHead(200, { 'content-type': 'application/octet-stream' })
    res.end(file)
    return
  }
  if (key === 'GET /contacts') {
    return json(res, 200, await messenger.contacts())
  }
  if (key === 'POST /contacts') {
    const body = await readJson(req)
    return json(res, 200, await messenger.addContact(stringField(body, 'peer'), stringField(body, 'name')))
  }
  if (req.method === 'DELETE' && path.startsWith('/contacts/')) {
    await messenger.removeContact(decodeURIComponent(path.slice('/contacts/'.length)))
    return json(res, 200, {})
  }
  if (key === 'GET /requests') {
    return json(res, 200, await messenger.requests())
  }
  if (key === 'POST /accept' || key === 'POST /block' || key === 'POST /unblock') {
    const peer = stringField(await readJson(req), 'peer')
    if (key === 'POST /accept') await messenger.accept(peer)
    else if (key === 'POST /block') await messenger.block(peer)
    else await messenger.unblock(peer)
    return json(res, 200, {})
  }
  if (key === 'GET /mailbox') {
    const mailbox = parley.node.services.mailbox
    return json(res, 200, { hosting: mailbox.hosting, ...mailbox.usage() })
  }
  if (key === 'POST /mailbox/check') {
    return json(res, 200, await messenger.checkMailbox())
  }
  if (path === '/files' || path.startsWith('/files/')) {
    return files(parley, req, res, path)
  }
  if (key === 'GET /events') {
    return events(parley, req, res, streams)
  }
  throw new NotFoundError(`no route ${req.method} ${url.pathname}`)
}

/** `/files` routes: offer a file, list transfers, one transfer, cancel or resume one */
async function files (parley: Parley, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const transfers = fileTransfers(parley)
  const [, , id, verb] = path.split('/')
  if (req.method === 'GET' && id == null) return json(res, 200, await transfers.list())
  if (req.method === 'POST' && id == null) {
    const body = await readJson(req)
    const sent = await transfers.send(stringField(body, 'peer'), stringField(body, 'path'))
    return json(res, 200, { ...sent, message: publicMessage(sent.message) })
  }
  if (req.method === 'GET' && id != null && verb == null) return json(res, 200, await transfers.get(id))
  if (req.method === 'POST' && id != null && verb === 'cancel') return json(res, 200, await transfers.cancel(id))
  if (req.method === 'POST' && id != null && verb === 'resume') return json(res, 200, await transfers.resume(id))
  throw new NotFoundError(`no route ${req.method ?? ''} ${API_PREFIX}${path}`)
}

function fileTransfers (parley: Parley): FileTransfers {
  if (parley.files == null) throw new NotFoundError('this node does not share files')
  return parley.files
}

/**
 * Server-sent events: every event of the node's one stream (NodeEvents), named by its type, its
 * detail as JSON (`message` and `status` a message as `GET /messages` lists it, `transfer` a
 * transfer as `GET /files` lists it)
 */
function events (parley: Parley, req: IncomingMessage, res: ServerResponse, streams: Set<ServerResponse>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' })
  res.write(': parley events\n\n')
  const forward = (evt: CustomEvent): void => {
    res.write(`event: ${evt.type}\ndata: ${JSON.stringify(evt.detail)}\n\n`)
  }
  for (const type of NODE_EVENT_TYPES) parley.events.addEventListener(type, forward)
  streams.add(res)
  req.on('close', () => {
    for (const type of NODE_EVENT_TYPES) parley.events.removeEventListener(type, forward)
    streams.delete(res)
  })
}

async function readJson (req: IncomingMessage): Promise<Record<string, unknown>> {
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

function stringField (body: Record<string, unknown>, name: string): string {
  const value = body[name]
  if (typeof value !== 'string') {
    throw new BadRequestError(`"${name}" must be a string`)
  }
  return value
}

function positiveInt (value: string, name: string): number {
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n <= 0) throw new BadRequestError(`"${name}" must be a positive integer`)
  return n
}

function json (res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

/** A failure: the status its kind calls for, and `{ error: { name, code, kind, message } }` */
function reply (res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.end()
    return
  }
  json(res, httpStatusFor(err), { error: errorInfo(err) })
}

/** A socket file left by a daemon that crashed is removed; one a live daemon answers on is not */
async function removeStaleSocket (path: string): Promise<void> {
  const live = await new Promise<boolean>(resolve => {
    const socket = connect(path)
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('error', () => { resolve(false) })
  })
  if (live) {
    throw new DataDirLockedError(`a Parley daemon already answers on ${path}`)
  }
  await unlink(path).catch((err: any) => { if (err.code !== 'ENOENT') throw err })
}

async function closeServer (server: Server): Promise<void> {
  server.closeAllConnections()
  await new Promise<void>(resolve => { server.close(() => { resolve() }) })
}
