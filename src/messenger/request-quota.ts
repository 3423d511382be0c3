import { SerialQueue } from '../utils/serial-queue.ts'
import { MAX_REQUEST_BYTES, MAX_REQUEST_BYTES_PER_STRANGER, MAX_REQUEST_MESSAGES, MAX_REQUEST_MESSAGES_PER_STRANGER } from './constants.ts'
import type { ContactStore, FileStore, MessageRecord, MessageStore } from '../storage/types.ts'
import type { AbortOptions, Logger } from '@libp2p/interface'

export interface RequestQuotaInit {
  /** @default MAX_REQUEST_MESSAGES_PER_STRANGER */
  maxMessagesPerStranger?: number
  /** @default MAX_REQUEST_BYTES_PER_STRANGER */
  maxBytesPerStranger?: number
  /** @default MAX_REQUEST_MESSAGES */
  maxMessages?: number
  /** @default MAX_REQUEST_BYTES */
  maxBytes?: number
}

export interface RequestQuotaStores {
  messages: MessageStore
  contacts: ContactStore
  files: FileStore
}

interface Usage {
  count: number
  bytes: number
}

const encoder = new TextEncoder()

/** A stored message's share of a quota: its text, its file offer's name and type, and a record's keys */
export function requestCost (record: MessageRecord): number {
  return 128 + encoder.encode(record.text).byteLength + (record.file != null ? record.file.name.length + record.file.type.length : 0)
}

/**
 * Keeps what strangers' message requests take on disk bounded. Anyone may write to anyone
 * (a request waits for the user to accept or block it), and each message may be 64 KiB, so
 * without a bound one peer, or many made up for it, could fill the disk. Per stranger, its
 * oldest messages go past `maxMessagesPerStranger` or `maxBytesPerStranger`; over all requests,
 * the requests quiet longest go whole past `maxMessages` or `maxBytes`. A dropped file offer
 * loses its transfer record with it. Each drop is logged (how many, from whom, why).
 */
export class RequestQuota {
  private readonly maxMessagesPerStranger: number
  private readonly maxBytesPerStranger: number
  private readonly maxMessages: number
  private readonly maxBytes: number
  /** Each pending request's use, read from storage at the first check after start */
  private usage?: Map<string, Usage>
  private readonly queue = new SerialQueue()

  constructor (private readonly stores: RequestQuotaStores, private readonly log: Logger, init: RequestQuotaInit = {}) {
    this.maxMessagesPerStranger = init.maxMessagesPerStranger ?? MAX_REQUEST_MESSAGES_PER_STRANGER
    this.maxBytesPerStranger = init.maxBytesPerStranger ?? MAX_REQUEST_BYTES_PER_STRANGER
    this.maxMessages = init.maxMessages ?? MAX_REQUEST_MESSAGES
    this.maxBytes = init.maxBytes ?? MAX_REQUEST_BYTES
  }

  /** A stranger's new message is stored: drops what is over the quotas now (one check at a time) */
  async added (record: MessageRecord, options: AbortOptions = {}): Promise<void> {
    return this.queue.run(async () => this.check(record.peer, options))
  }

  private async check (peer: string, options: AbortOptions): Promise<void> {
    const usage = this.usage ?? await this.load(options)
    this.usage = usage
    usage.set(peer, await this.trimStranger(peer, options))
    let total = sum(usage)
    if (total.count <= this.maxMessages && total.bytes <= this.maxBytes) return
    // accepted or blocked since: no longer requests
    const pending = await this.stores.contacts.requests(options)
    const stillPending = new Set(pending.map(r => r.peerId))
    for (const key of usage.keys()) if (!stillPending.has(key)) usage.delete(key)
    total = sum(usage)
    for (const request of pending) {
      if (total.count <= this.maxMessages && total.bytes <= this.maxBytes) break
      if (request.peerId === peer) continue
      const incoming = await this.incoming(request.peerId, options)
      await this.drop(request.peerId, incoming, true, options)
      this.log('dropped the request from %s (%d messages): all requests together were over %d messages or %d bytes', request.peerId, incoming.length, this.maxMessages, this.maxBytes)
      const gone = usage.get(request.peerId)
      usage.delete(request.peerId)
      total = { count: total.count - (gone?.count ?? 0), bytes: total.bytes - (gone?.bytes ?? 0) }
    }
  }

  /** Drops `peer`'s oldest messages past the per-stranger quotas; returns what is left */
  private async trimStranger (peer: string, options: AbortOptions): Promise<Usage> {
    const incoming = await this.incoming(peer, options)
    let { count, bytes } = usageOf(incoming)
    let cut = 0
    while (cut < incoming.length - 1 && (count > this.maxMessagesPerStranger || bytes > this.maxBytesPerStranger)) {
      count--
      bytes -= requestCost(incoming[cut])
      cut++
    }
    if (cut > 0) {
      await this.drop(peer, incoming.slice(0, cut), false, options)
      this.log('dropped the %d oldest messages of the request from %s: over %d messages or %d bytes per stranger', cut, peer, this.maxMessagesPerStranger, this.maxBytesPerStranger)
    }
    return { count, bytes }
  }

  private async drop (peer: string, messages: MessageRecord[], whole: boolean, options: AbortOptions): Promise<void> {
    const offers = messages.flatMap(m => m.file != null ? [this.stores.files.deleteWrite(m.file.id)] : [])
    await this.stores.messages.deleteIncoming(peer, messages.map(m => m.id), {
      ...options,
      also: [...offers, ...(whole ? [this.stores.contacts.requestDelete(peer)] : [])]
    })
  }

  /**
   * The messages of `peer`'s request: those since this node last wrote to it (a peer unblocked,
   * say, had a conversation before, and that history is not the request's to drop)
   */
  private async incoming (peer: string, options: AbortOptions): Promise<MessageRecord[]> {
    const history = await this.stores.messages.list({ ...options, conversation: peer })
    const lastOut = history.findLastIndex(m => m.direction === 'out')
    return history.slice(lastOut + 1)
  }

  private async load (options: AbortOptions): Promise<Map<string, Usage>> {
    const usage = new Map<string, Usage>()
    for (const request of await this.stores.contacts.requests(options)) {
      usage.set(request.peerId, usageOf(await this.incoming(request.peerId, options)))
    }
    return usage
  }
}

function usageOf (messages: MessageRecord[]): Usage {
  return { count: messages.length, bytes: messages.reduce((n, m) => n + requestCost(m), 0) }
}

function sum (usage: Map<string, Usage>): Usage {
  let count = 0
  let bytes = 0
  for (const u of usage.values()) {
    count += u.count
    bytes += u.bytes
  }
  return { count, bytes }
}
