import { ContentKindTakenError, NoContentHandlerError } from './errors.ts'
import type { Body, BodyKind, Content } from './content.ts'
import type { Emit } from './events.ts'
import type { MessageRecord, NewMessage, WriteOp } from '../storage/types.ts'
import type { AbortOptions } from '@libp2p/interface'

/** A decrypted content on its way in, as a handler sees it */
export interface Incoming<B extends Body = Body> {
  /** The sender (base58 PeerId) */
  peer: string
  /** The conversation it belongs to (a direct one's id is the sender's PeerId) */
  conversation: string
  /** This node's own PeerId: the author of its outgoing messages */
  self: string
  content: Content
  body: B
  /** Whether the user knows the sender (a contact, or accepted) */
  known: boolean
  /**
   * In a group: everyone who has been a member, whose messages a reaction may name. A direct
   * conversation's are its two sides.
   */
  members?: ReadonlySet<string>
  /**
   * The session's new state (and a one-time prekey it used up): every handler lands them in the
   * same write as what it stores, or alone with `commitSession`, exactly once
   */
  sessionWrites: WriteOp[]
  /**
   * Stores a history entry with the session writes: a stranger's as a message request, after
   * the checks a stranger's message must pass (else it throws `MessageRefusedError`). `ifNew`
   * lands only with a new entry. Resolves undefined for a repeat of a stored one.
   */
  addMessage: (message: Omit<NewMessage, 'peer' | 'direction' | 'id' | 'timestamp' | 'status'>, options?: { ifNew?: WriteOp[] }) => Promise<MessageRecord | undefined>
  /** Commits the session writes alone (a content that changes nothing else here) */
  commitSession: () => Promise<void>
  /** What to announce: dispatched once the decrypt has committed */
  emit: Emit
}

/** What a feature adds for one kind of content */
export interface ContentHandler<K extends BodyKind = BodyKind> {
  /** Takes an incoming body of this kind, inside the decrypt's commit (a throw leaves the session as it was) */
  take: (incoming: Incoming<Extract<Body, { kind: K }>>, options: AbortOptions) => Promise<void>
  /** The content fields an outgoing record of this kind carries (for kinds this node sends) */
  fieldsOf?: (record: MessageRecord) => Promise<Partial<Content>>
}

/**
 * Content handlers by body kind: the messenger registers text and receipts, file transfers
 * register file offers and statuses, and later features (groups, calls) theirs, instead of the
 * messenger learning each kind.
 */
export class ContentHandlers {
  private readonly handlers = new Map<BodyKind, ContentHandler<any>>()

  /** @throws {ContentKindTakenError} when `kind` has a handler already */
  register<K extends BodyKind> (kind: K, handler: ContentHandler<K>): void {
    if (this.handlers.has(kind)) throw new ContentKindTakenError(`content of kind ${kind} has a handler already`)
    this.handlers.set(kind, handler)
  }

  /** The handler for `kind`; a kind nobody handles is taken as `unsupported` */
  forIncoming (kind: BodyKind): ContentHandler<any> | undefined {
    return this.handlers.get(kind) ?? this.handlers.get('unsupported')
  }

  /**
   * The content fields for an outgoing record
   *
   * @throws {NoContentHandlerError} when no handler sends records of its kind
   */
  async fieldsOf (record: MessageRecord): Promise<Partial<Content>> {
    const kind = recordKind(record)
    const fieldsOf = this.handlers.get(kind)?.fieldsOf
    if (fieldsOf == null) throw new NoContentHandlerError(`nothing here sends content of kind ${kind}`)
    return fieldsOf(record)
  }
}

/** The body kind an outgoing record carries */
export function recordKind (record: MessageRecord): BodyKind {
  if (record.kind != null) return record.kind
  return record.file != null ? 'file' : record.timer != null ? 'timer' : 'text'
}
