import { formatInvite } from '../identity/invite.ts'
import { NODE_EVENT_TYPES } from '../events/node-events.ts'
import { publicMessage } from '../events/public.ts'
import { CALL_ROUTES } from './call-routes.ts'
import { CONVERSATION_ROUTES, refField } from './conversation-routes.ts'
import { GROUP_ROUTES } from './group-routes.ts'
import { BadRequestError, NotFoundError } from './errors.ts'
import { booleanField, positiveInt, readJson, stringField } from './http-body.ts'
import type { FileTransfers } from '../files/transfers.ts'
import type { Parley } from '../parley.ts'
import type { IncomingMessage, ServerResponse } from 'node:http'

/** What a route's handler gets: the node, the request, and the path's `:name` parts */
export interface RouteContext {
  parley: Parley
  req: IncomingMessage
  res: ServerResponse
  url: URL
  params: Record<string, string>
  /** Open event streams, ended when the server closes */
  streams: Set<ServerResponse>
}

/** A route answers its JSON body with 200, or `WROTE` when it wrote the response itself */
export const WROTE = Symbol('wrote the response')

export interface Route {
  method: 'GET' | 'POST' | 'DELETE'
  /** Below the API prefix; a `:name` part matches one path segment */
  path: string
  handle: (ctx: RouteContext) => Promise<unknown>
}

/** Every route of the control API, as docs/CONTROL-API.md lists them */
export const ROUTES: Route[] = [
  {
    method: 'GET',
    path: '/id',
    handle: async ({ parley }) => ({ peerId: parley.peerId.toString(), invite: formatInvite(parley.peerId), addresses: parley.addresses().map(String) })
  },
  {
    method: 'GET',
    path: '/peers',
    handle: async ({ parley }) => parley.node.getConnections().map(c => ({
      peerId: c.remotePeer.toString(),
      address: c.remoteAddr.toString(),
      direction: c.direction,
      limited: c.limits != null
    }))
  },
  {
    method: 'GET',
    path: '/messages',
    handle: async ({ parley: { messenger }, url }) => {
      const peer = url.searchParams.get('peer')
      const limit = url.searchParams.get('limit')
      return (await messenger.history({
        ...(peer != null ? { peer: (await messenger.resolvePeer(peer)).toString() } : {}),
        ...(limit != null ? { limit: positiveInt(limit, 'limit') } : {})
      })).map(publicMessage)
    }
  },
  {
    method: 'POST',
    path: '/messages',
    handle: async ({ parley, req }) => {
      const body = await readJson(req)
      const replyTo = body.replyTo != null ? { replyTo: refField(body, 'replyTo') } : {}
      return publicMessage(await parley.messenger.send(stringField(body, 'peer'), stringField(body, 'text'), replyTo))
    }
  },
  ...CONVERSATION_ROUTES,
  ...GROUP_ROUTES,
  ...CALL_ROUTES,
  {
    method: 'GET',
    path: '/safety-number',
    handle: async ({ parley: { messenger }, url }) => {
      const peer = url.searchParams.get('peer')
      if (peer == null) throw new BadRequestError('"peer" is required')
      return messenger.verification(peer)
    }
  },
  {
    method: 'POST',
    path: '/verified',
    handle: async ({ parley: { messenger }, req }) => {
      const body = await readJson(req)
      return messenger.setVerified(stringField(body, 'peer'), booleanField(body, 'verified'))
    }
  },
  {
    method: 'POST',
    path: '/backup',
    handle: async ({ parley, req, res }) => {
      const file = await parley.backup(stringField(await readJson(req), 'passphrase'))
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      res.end(file)
      return WROTE
    }
  },
  { method: 'GET', path: '/contacts', handle: async ({ parley }) => parley.messenger.contacts() },
  {
    method: 'POST',
    path: '/contacts',
    handle: async ({ parley, req }) => {
      const body = await readJson(req)
      return parley.messenger.addContact(stringField(body, 'peer'), stringField(body, 'name'))
    }
  },
  {
    method: 'DELETE',
    path: '/contacts/:peer',
    handle: async ({ parley, params }) => {
      await parley.messenger.removeContact(params.peer)
      return {}
    }
  },
  { method: 'GET', path: '/requests', handle: async ({ parley }) => parley.messenger.requests() },
  {
    method: 'POST',
    path: '/accept',
    handle: async ({ parley, req }) => { await parley.messenger.accept(stringField(await readJson(req), 'peer')); return {} }
  },
  {
    method: 'POST',
    path: '/block',
    handle: async ({ parley, req }) => { await parley.messenger.block(stringField(await readJson(req), 'peer')); return {} }
  },
  {
    method: 'POST',
    path: '/unblock',
    handle: async ({ parley, req }) => { await parley.messenger.unblock(stringField(await readJson(req), 'peer')); return {} }
  },
  {
    method: 'GET',
    path: '/mailbox',
    handle: async ({ parley }) => {
      const mailbox = parley.node.services.mailbox
      return { hosting: mailbox.hosting, ...mailbox.usage() }
    }
  },
  { method: 'POST', path: '/mailbox/check', handle: async ({ parley }) => parley.messenger.checkMailbox() },
  { method: 'GET', path: '/files', handle: async ({ parley }) => fileTransfers(parley).list() },
  {
    method: 'POST',
    path: '/files',
    handle: async ({ parley, req }) => {
      const body = await readJson(req)
      const sent = await fileTransfers(parley).send(stringField(body, 'peer'), stringField(body, 'path'))
      return { ...sent, message: publicMessage(sent.message) }
    }
  },
  { method: 'GET', path: '/files/:id', handle: async ({ parley, params }) => fileTransfers(parley).get(params.id) },
  { method: 'POST', path: '/files/:id/cancel', handle: async ({ parley, params }) => fileTransfers(parley).cancel(params.id) },
  { method: 'POST', path: '/files/:id/resume', handle: async ({ parley, params }) => fileTransfers(parley).resume(params.id) },
  {
    method: 'GET',
    path: '/events',
    handle: async (ctx) => { events(ctx); return WROTE }
  }
]

/** The route for a method and a path below the API prefix, with its `:name` parts */
export function findRoute (method: string, path: string, routes: Route[] = ROUTES): { route: Route, params: Record<string, string> } | undefined {
  const parts = path.split('/')
  for (const route of routes) {
    if (route.method !== method) continue
    const pattern = route.path.split('/')
    if (pattern.length !== parts.length) continue
    const params: Record<string, string> = {}
    const matches = pattern.every((p, i) => {
      if (!p.startsWith(':')) return p === parts[i]
      if (parts[i] === '') return false
      params[p.slice(1)] = decodePart(parts[i])
      return true
    })
    if (matches) return { route, params }
  }
  return undefined
}

function decodePart (part: string): string {
  try {
    return decodeURIComponent(part)
  } catch {
    throw new BadRequestError(`the path part "${part.slice(0, 80)}" is not validly escaped`)
  }
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
function events ({ parley, req, res, streams }: RouteContext): void {
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
