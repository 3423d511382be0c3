import { API_PREFIX } from './constants.ts'
import { ControlRequestError, DaemonNotRunningError } from './errors.ts'
import { isErrorKind } from '../errors/index.ts'
import { socketPath } from './socket-path.ts'
import { NODE_EVENT_TYPES } from '../events/node-events.ts'
import type { NodeEvent } from '../events/node-events.ts'
import type { PublicMessage, TransferInfo } from '../events/public.ts'
import type { GroupInfo } from '../events/group-info.ts'
import type { Verification } from '../messenger/contacts.ts'
import type { CallEntry } from '../calls/call-history.ts'
import type { CallInfo } from '../calls/calls.ts'
import type { Contact, ConversationState, MessageRef, MessageRequest, Settings } from '../storage/types.ts'
import type { IncomingMessage } from 'node:http'
import type { AbortOptions } from '@libp2p/interface'

export type { PublicMessage } from '../events/public.ts'

/**
 * node:http's `request`, taken from the module itself: an ES import of node:http copies every
 * export, and reading its lazy `WebSocket` loads Node's whole fetch stack (undici), a seventh of
 * what a client command such as `parley contacts` costs
 */
const { request } = process.getBuiltinModule('node:http')

/** A conversation as `GET /conversations` lists it */
export type ConversationInfo = ConversationState & { last?: PublicMessage }

export interface MailboxInfo {
  hosting: boolean
  bytes: number
  items: number
}

export interface CollectInfo {
  storers: number
  fetched: number
  acked: number
}

export interface NodeInfo {
  peerId: string
  invite: string
  addresses: string[]
}

export interface PeerConnection {
  peerId: string
  address: string
  direction: 'inbound' | 'outbound'
  limited: boolean
}

/** An event of the daemon's node (see NodeEvents) */
export type ControlEvent = NodeEvent

/** Talks to the daemon that owns a data directory, over its control socket */
export class ControlClient {
  readonly path: string

  constructor (dataDir: string) {
    this.path = socketPath(dataDir)
  }

  async id (options: AbortOptions = {}): Promise<NodeInfo> {
    return this.call('GET', '/id', undefined, options)
  }

  async peers (options: AbortOptions = {}): Promise<PeerConnection[]> {
    return this.call('GET', '/peers', undefined, options)
  }

  async send (peer: string, text: string, options: AbortOptions & { replyTo?: MessageRef } = {}): Promise<PublicMessage> {
    const { replyTo, ...rest } = options
    return this.call('POST', '/messages', { peer, text, ...(replyTo != null ? { replyTo } : {}) }, rest)
  }

  async conversations (options: AbortOptions = {}): Promise<ConversationInfo[]> {
    return this.call('GET', '/conversations', undefined, options)
  }

  /** Marks a conversation read; resolves how many messages were unread */
  async markRead (peer: string, options: AbortOptions = {}): Promise<number> {
    return (await this.call<{ read: number }>('POST', `/conversations/${encodeURIComponent(peer)}/read`, {}, options)).read
  }

  async setTimer (peer: string, seconds: number, options: AbortOptions = {}): Promise<PublicMessage> {
    return this.call('POST', `/conversations/${encodeURIComponent(peer)}/timer`, { seconds }, options)
  }

  async typing (peer: string, typing: boolean, options: AbortOptions = {}): Promise<boolean> {
    return (await this.call<{ sent: boolean }>('POST', `/conversations/${encodeURIComponent(peer)}/typing`, { typing }, options)).sent
  }

  async react (peer: string, message: MessageRef, emoji: string, options: AbortOptions = {}): Promise<PublicMessage> {
    return this.call('POST', '/reactions', { peer, message, emoji }, options)
  }

  async edit (peer: string, id: string, text: string, options: AbortOptions = {}): Promise<PublicMessage> {
    return this.call('POST', `/messages/${encodeURIComponent(id)}/edit`, { peer, text }, options)
  }

  async deleteForEveryone (peer: string, id: string, options: AbortOptions = {}): Promise<PublicMessage> {
    return this.call('POST', `/messages/${encodeURIComponent(id)}/delete`, { peer }, options)
  }

  async settings (options: AbortOptions = {}): Promise<Settings> {
    return this.call('GET', '/settings', undefined, options)
  }

  async changeSettings (change: Partial<Settings>, options: AbortOptions = {}): Promise<Settings> {
    return this.call('POST', '/settings', change, options)
  }

  async messages (query: { peer?: string, limit?: number } = {}, options: AbortOptions = {}): Promise<PublicMessage[]> {
    const params = new URLSearchParams()
    if (query.peer != null) params.set('peer', query.peer)
    if (query.limit != null) params.set('limit', String(query.limit))
    const qs = params.size > 0 ? `?${params.toString()}` : ''
    return this.call('GET', `/messages${qs}`, undefined, options)
  }

  /** The groups, each with `verified`: its members whose safety number the user marked as compared */
  async groups (options: AbortOptions = {}): Promise<Array<GroupInfo & { verified: string[] }>> {
    return this.call('GET', '/groups', undefined, options)
  }

  /** One group (its id or name), as `groups` lists it */
  async group (group: string, options: AbortOptions = {}): Promise<GroupInfo & { verified: string[] }> {
    return this.call('GET', `/groups/${encodeURIComponent(group)}`, undefined, options)
  }

  async createGroup (name: string, options: AbortOptions = {}): Promise<GroupInfo> {
    return this.call('POST', '/groups', { name }, options)
  }

  /** `group`: its id or (locally unique) name; `peers`: addresses, invites or contact names */
  async addToGroup (group: string, peers: string[], options: AbortOptions = {}): Promise<GroupInfo> {
    return this.call('POST', `/groups/${encodeURIComponent(group)}/members`, { peers }, options)
  }

  async removeFromGroup (group: string, peer: string, options: AbortOptions = {}): Promise<GroupInfo> {
    return this.call('DELETE', `/groups/${encodeURIComponent(group)}/members/${encodeURIComponent(peer)}`, undefined, options)
  }

  async promoteInGroup (group: string, peers: string[], options: AbortOptions = {}): Promise<GroupInfo> {
    return this.call('POST', `/groups/${encodeURIComponent(group)}/admins`, { peers }, options)
  }

  async renameGroup (group: string, name: string, options: AbortOptions = {}): Promise<GroupInfo> {
    return this.call('POST', `/groups/${encodeURIComponent(group)}/name`, { name }, options)
  }

  async leaveGroup (group: string, options: AbortOptions = {}): Promise<GroupInfo> {
    return this.call('POST', `/groups/${encodeURIComponent(group)}/leave`, {}, options)
  }

  async sendToGroup (group: string, text: string, options: AbortOptions & { replyTo?: MessageRef } = {}): Promise<PublicMessage & { delivered: number, members: number }> {
    const { replyTo, ...rest } = options
    return this.call('POST', `/groups/${encodeURIComponent(group)}/messages`, { text, ...(replyTo != null ? { replyTo } : {}) }, rest)
  }

  /** Offers the file at `path` (absolute, as the daemon sees it) to every member of a group */
  async sendFileToGroup (group: string, path: string, options: AbortOptions = {}): Promise<{ transfer: TransferInfo, message: PublicMessage }> {
    return this.call('POST', `/groups/${encodeURIComponent(group)}/files`, { path }, options)
  }

  /** Marks a group read (its authors learn it, with read receipts on); how many were unread */
  async markGroupRead (group: string, options: AbortOptions = {}): Promise<number> {
    return (await this.call<{ read: number }>('POST', `/groups/${encodeURIComponent(group)}/read`, {}, options)).read
  }

  /** Reacts to any member's message in a group ("" takes the reaction back) */
  async reactInGroup (group: string, message: MessageRef, emoji: string, options: AbortOptions = {}): Promise<PublicMessage> {
    return this.call('POST', `/groups/${encodeURIComponent(group)}/reactions`, { message, emoji }, options)
  }

  /** Replaces the text of one of this user's messages in a group */
  async editInGroup (group: string, id: string, text: string, options: AbortOptions = {}): Promise<PublicMessage> {
    return this.call('POST', `/groups/${encodeURIComponent(group)}/messages/${encodeURIComponent(id)}/edit`, { text }, options)
  }

  /** Deletes one of this user's messages in a group, for every member */
  async deleteInGroup (group: string, id: string, options: AbortOptions = {}): Promise<PublicMessage> {
    return this.call('POST', `/groups/${encodeURIComponent(group)}/messages/${encodeURIComponent(id)}/delete`, {}, options)
  }

  /** A group's history, oldest first, each message with its `sender` */
  async groupMessages (group: string, options: AbortOptions = {}): Promise<Array<PublicMessage & { sender: string }>> {
    return this.call('GET', `/groups/${encodeURIComponent(group)}/messages`, undefined, options)
  }

  async requests (options: AbortOptions = {}): Promise<MessageRequest[]> {
    return this.call('GET', '/requests', undefined, options)
  }

  async accept (peer: string, options: AbortOptions = {}): Promise<void> {
    await this.call('POST', '/accept', { peer }, options)
  }

  async block (peer: string, options: AbortOptions = {}): Promise<void> {
    await this.call('POST', '/block', { peer }, options)
  }

  async unblock (peer: string, options: AbortOptions = {}): Promise<void> {
    await this.call('POST', '/unblock', { peer }, options)
  }

  async mailbox (options: AbortOptions = {}): Promise<MailboxInfo> {
    return this.call('GET', '/mailbox', undefined, options)
  }

  async checkMailbox (options: AbortOptions = {}): Promise<CollectInfo> {
    return this.call('POST', '/mailbox/check', {}, options)
  }

  /** The call history, oldest first */
  async calls (options: AbortOptions = {}): Promise<CallEntry[]> {
    return this.call('GET', '/calls', undefined, options)
  }

  /** The calls ringing or under way */
  async activeCalls (options: AbortOptions = {}): Promise<CallInfo[]> {
    return this.call('GET', '/calls/active', undefined, options)
  }

  /** Declines a call ringing here */
  async declineCall (id: string, options: AbortOptions = {}): Promise<CallInfo> {
    return this.call('POST', `/calls/${encodeURIComponent(id)}/decline`, {}, options)
  }

  /** Ends a call (or calls one off that still rings) */
  async hangUp (id: string, options: AbortOptions = {}): Promise<CallInfo> {
    return this.call('POST', `/calls/${encodeURIComponent(id)}/hang-up`, {}, options)
  }

  /** The safety number with `peer`, and whether the user marked it as compared */
  async safetyNumber (peer: string, options: AbortOptions = {}): Promise<Verification> {
    return this.call('GET', `/safety-number?peer=${encodeURIComponent(peer)}`, undefined, options)
  }

  /** Marks the safety number with `peer` as compared, or (`verified` false) clears the mark */
  async setVerified (peer: string, verified: boolean, options: AbortOptions = {}): Promise<Verification> {
    return this.call('POST', '/verified', { peer, verified }, options)
  }

  /** An encrypted backup made by the daemon (see src/backup) */
  async backup (passphrase: string, options: AbortOptions = {}): Promise<Uint8Array> {
    const res = await this.open('POST', '/backup', { passphrase }, options)
    const chunks: Buffer[] = []
    for await (const chunk of res) chunks.push(chunk)
    const bytes = Buffer.concat(chunks)
    if (res.statusCode !== 200) {
      throw answerError(JSON.parse(bytes.toString('utf8')), '', res.statusCode ?? 0)
    }
    return new Uint8Array(bytes)
  }

  /** Offers the file at `path` (absolute: the daemon's working directory is not the caller's) */
  async sendFile (peer: string, path: string, options: AbortOptions = {}): Promise<{ transfer: TransferInfo, message: PublicMessage }> {
    return this.call('POST', '/files', { peer, path }, options)
  }

  async files (options: AbortOptions = {}): Promise<TransferInfo[]> {
    return this.call('GET', '/files', undefined, options)
  }

  async file (id: string, options: AbortOptions = {}): Promise<TransferInfo> {
    return this.call('GET', `/files/${encodeURIComponent(id)}`, undefined, options)
  }

  async cancelFile (id: string, options: AbortOptions = {}): Promise<TransferInfo> {
    return this.call('POST', `/files/${encodeURIComponent(id)}/cancel`, {}, options)
  }

  async resumeFile (id: string, options: AbortOptions = {}): Promise<TransferInfo> {
    return this.call('POST', `/files/${encodeURIComponent(id)}/resume`, {}, options)
  }

  async contacts (options: AbortOptions = {}): Promise<Contact[]> {
    return this.call('GET', '/contacts', undefined, options)
  }

  async addContact (peer: string, name: string, options: AbortOptions = {}): Promise<Contact> {
    return this.call('POST', '/contacts', { peer, name }, options)
  }

  async removeContact (peer: string, options: AbortOptions = {}): Promise<void> {
    await this.call('DELETE', `/contacts/${encodeURIComponent(peer)}`, undefined, options)
  }

  /**
   * Calls `onEvent` for every event of the daemon's node (NODE_EVENT_TYPES; a type this client
   * does not know is skipped) until `options.signal` aborts or the daemon goes away; resolves
   * then. Resolves `ready` once subscribed, so nothing after is missed.
   */
  async events (onEvent: (event: ControlEvent) => void, options: AbortOptions & { ready?: () => void } = {}): Promise<void> {
    const res = await this.open('GET', '/events', undefined, options)
    options.ready?.()
    let buffer = ''
    try {
      for await (const chunk of res) {
        buffer += chunk.toString()
        let end: number
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const type = /^event: (.+)$/m.exec(block)?.[1]
          const data = /^data: (.+)$/m.exec(block)?.[1]
          if (type != null && data != null && (NODE_EVENT_TYPES as readonly string[]).includes(type)) {
            onEvent({ type, detail: JSON.parse(data) } as ControlEvent)
          }
        }
      }
    } catch (err: any) {
      if (err.name !== 'AbortError' && err.code !== 'ECONNRESET' && err.code !== 'ABORT_ERR') throw err
    }
  }

  private async call<T> (method: string, path: string, body: unknown, options: AbortOptions): Promise<T> {
    const res = await this.open(method, path, body, options)
    const chunks: Buffer[] = []
    for await (const chunk of res) chunks.push(chunk)
    const text = Buffer.concat(chunks).toString('utf8')
    const parsed = text === '' ? {} : JSON.parse(text)
    if (res.statusCode !== 200) {
      throw answerError(parsed, text, res.statusCode ?? 0)
    }
    return parsed
  }

  private async open (method: string, path: string, body: unknown, options: AbortOptions): Promise<IncomingMessage> {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    return new Promise((resolve, reject) => {
      const req = request({
        socketPath: this.path,
        // a connection per request: the global agent keeps connections alive, and reusing one
        // just as the daemon's server closes it for idleness (5 s; a client's slow event loop
        // gets there) wrote into a closed socket (EPIPE). A local socket costs nothing to open.
        agent: false,
        path: `${API_PREFIX}${path}`,
        method,
        headers: payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        ...(options.signal != null ? { signal: options.signal } : {})
      }, resolve)
      req.once('error', (err: any) => {
        reject(err.code === 'ENOENT' || err.code === 'ECONNREFUSED'
          ? new DaemonNotRunningError(`no Parley daemon is running (nothing answers on ${this.path}); start one with \`parley daemon\` or \`parley start\``)
          : err)
      })
      req.end(payload)
    })
  }
}

/** The daemon's error answer `{"error": {name, code, kind, message}}` as an error to throw */
function answerError (parsed: any, fallbackMessage: string, status: number): ControlRequestError {
  const { name, code, kind, message } = parsed?.error ?? {}
  return new ControlRequestError(typeof name === 'string' ? name : 'Error', typeof message === 'string' ? message : fallbackMessage, status, {
    ...(typeof code === 'string' ? { code } : {}),
    ...(isErrorKind(kind) ? { kind } : {})
  })
}
