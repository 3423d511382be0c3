import type { AbortOptions } from '@libp2p/interface'

/** Which way a message travelled, seen from this node. */
export type Direction = 'in' | 'out'

/**
 * Where an outgoing message is on its way to the recipient.
 *
 * - `sending`: a delivery attempt is under way
 * - `queued`: the recipient could not be reached; it stays in the outbox and is retried
 * - `stored`: held by mailbox storers for an offline recipient (`holders` says which)
 * - `delivered`: the recipient acknowledged it after storing it durably
 * - `read`: the recipient read it (only when both sides have read receipts on)
 * - `failed`: the recipient refused it, or it can never be sent (see `error`)
 *
 * Incoming messages are always `delivered`.
 */
export type DeliveryStatus = 'sending' | 'queued' | 'stored' | 'delivered' | 'read' | 'failed'

/** An earlier message of a conversation: its id and who wrote it (a PeerId) */
export interface MessageRef {
  id: string
  author: string
}

/** Content records that change something else rather than being history themselves */
export type ControlKind = 'receipt' | 'file-status' | 'read' | 'reaction' | 'edit' | 'delete' | 'typing' | 'group' | 'sender-key' | 'group-receipt' | 'call' | 'mailbox'

export interface MessageRecord {
  /** 16 random bytes chosen by the sender, as 32 lowercase hex characters */
  id: string
  /**
   * The conversation it belongs to: for a direct conversation, the other side's PeerId (a group,
   * later, has an id of its own, never a PeerId)
   */
  conversation: string
  /** The remote peer (base58 PeerId): the recipient of `out`, the sender of `in` messages */
  peer: string
  direction: Direction
  text: string
  /** The sender's clock when the message was written, ms since the epoch */
  timestamp: number
  status: DeliveryStatus
  /** Why a message `failed` */
  error?: string
  /** Local arrival order, assigned by the store; history is listed in this order */
  seq: number
  /**
   * Set on records that are not history but travel through the outbox like a message (control
   * records): `receipt`, an end-to-end delivery receipt for `delivers`; `read`, a read receipt
   * for `reads`; `file-status`, a transfer's end at this side (`fileStatus`); `reaction`, `edit`
   * and `delete`, a change to the earlier message `target` (`emoji`, or the new `text`);
   * `typing`, whether the user is typing (`typing`), sent only while the peer is connected;
   * `group`, a group's changes and secrets for a member, and `sender-key`, a member's sender key
   * or a request for one (each its encoded body in `payload`, src/groups); `call`, a call's
   * signalling (its encoded CallSignal in `payload`, src/calls)
   */
  kind?: ControlKind
  /** The ids of the messages a receipt confirms */
  delivers?: string[]
  /** The ids of the messages a read receipt says were read */
  reads?: string[]
  /** The message a control record changes */
  target?: MessageRef
  /** A reaction's emoji; empty takes the reaction back */
  emoji?: string
  /** A typing record: started (true) or stopped */
  typing?: boolean
  /** A `group` or `sender-key` record: the encoded body it hands over (GroupUpdate, SenderKey), base64 */
  payload?: string
  /** The message this one quotes */
  replyTo?: MessageRef
  /** Reactions to this message: one emoji per person (PeerId -> emoji, this node's own included) */
  reactions?: Record<string, string>
  /** The texts it had before each edit, oldest first, with when they were replaced */
  edits?: Array<{ text: string, editedAt: number }>
  /** Deleted for everyone: its content (text, file, reactions, edits) is erased, this tombstone stays */
  deleted?: true
  /** A timer change (a history entry): the conversation's messages disappear this many seconds after they are sent; 0 is off */
  timer?: number
  /** The message disappears at this time (ms since the epoch), from history, outbox and mailboxes */
  expiresAt?: number
  /** The mailbox storers (PeerIds) whose signed receipts say they hold a `stored` message */
  holders?: string[]
  /** This node's message in a group: the members (PeerIds) whose receipts say it reached them */
  deliveredTo?: string[]
  /** This node's message in a group: the members (PeerIds) whose receipts say they read it */
  readBy?: string[]
  /** A file offered in this message (`text` is then empty); the transfer has the same `id` */
  file?: FileSummary
  /**
   * For a `file-status` record (kept out of history, like receipts): the transfer it reports on
   * and what became of it at this end
   */
  fileStatus?: { id: string, state: 'received' | 'cancelled' }
  /**
   * An incoming message of a kind this release cannot read (`text` is empty): shown as an
   * unsupported message rather than dropped
   */
  unsupported?: true
  /**
   * A call (a history entry each side writes for itself, `id` the call's id, `text` empty): how
   * it went. Never sent as content: the signalling is (src/calls).
   */
  call?: CallSummary
  /**
   * A control record sent only while the peer answers, never left in a mailbox (a call's
   * negotiation: stale by the time the peer fetches its mail)
   */
  ephemeral?: true
}

/**
 * How a call went, for its history entry: `answered` (connected; `durationMs` from then to the
 * end), `missed` (rang here unanswered, or was not rung: it came late or from someone not
 * accepted), `declined` (by the callee), `unanswered` (this side called, nobody answered or the
 * callee was busy), `cancelled` (this side called and gave up first), `failed` (accepted, but the
 * connection did not come up, or presented the wrong certificate: `reason`)
 */
export interface CallSummary {
  video: boolean
  outcome: 'answered' | 'missed' | 'declined' | 'unanswered' | 'cancelled' | 'failed'
  durationMs?: number
  /** Why it ended, as the signalling said (hangup, busy, fingerprint-mismatch, ...) */
  reason?: string
}

/** What a message shows of the file it offers */
export interface FileSummary {
  /** The transfer's id (32 hex characters) */
  id: string
  /** As the sender named it; received files are saved under a sanitised form of it */
  name: string
  size: number
  /** A media type as the sender's system guessed it, or empty */
  type: string
}

/** A message to store: its conversation is the peer's unless it says otherwise */
export type NewMessage = Omit<MessageRecord, 'seq' | 'conversation'> & { conversation?: string }

/** What the store keeps about a conversation, beside its messages */
export interface ConversationState {
  /** The conversation's id (for a direct conversation, the other side's PeerId) */
  id: string
  /** The other side of a direct conversation */
  peer: string
  /** Incoming history entries up to this `seq` have been read */
  readSeq: number
  /** Incoming history entries after `readSeq` */
  unread: number
  /** The disappearing-messages timer in seconds (absent or 0: off) */
  timer?: number
}

/** A conversation as listed: its state and its newest history entry */
export interface ConversationSummary extends ConversationState {
  last?: MessageRecord
  /** A group's conversation (its id is the group's): `peer` is then only who wrote first */
  group?: true
}

export interface Contact {
  peerId: string
  /** The user's own name for this contact (a petname): unique within this node */
  name: string
  addedAt: number
}

/**
 * A write that must land in the same atomic batch as a message change (a session's new state, a
 * used-up one-time prekey): build them with the `KeyStore`'s `*Write` methods.
 */
export interface WriteOp {
  type: 'put' | 'del'
  sublevel: unknown
  key: string
  value?: unknown
  /** Writes the store adds to whichever batch this one lands in (see key-parts.ts) */
  alongWith?: WriteOp[]
}

export interface WriteOptions extends AbortOptions {
  /** Other writes to commit atomically with this one */
  also?: WriteOp[]
}

export interface OutgoingWriteOptions extends WriteOptions {
  /**
   * Whether the message waits in the outbox for its pairwise delivery. A group message is
   * published to the group instead (src/groups): false. @default true
   */
  outbox?: boolean
}

export interface IncomingWriteOptions extends WriteOptions {
  /** Writes that belong with the message only if it is new (not a repeat of a stored one) */
  ifNew?: WriteOp[]
}

export interface ListMessagesOptions extends AbortOptions {
  /** One conversation's history (else every conversation's, interleaved in arrival order) */
  conversation?: string
  /** At most this many, the newest ones (still returned oldest first) */
  limit?: number
}

/**
 * Message history and the outbox, by conversation. Each method is one atomic write, so a crash
 * never leaves a message without its outbox entry or a delivered message still queued.
 */
export interface MessageStore {
  /**
   * Stores a message the user sends and puts it in the outbox. Throws `DuplicateMessageError` if
   * an outgoing message with the same id exists.
   */
  addOutgoing (message: NewMessage, options?: OutgoingWriteOptions): Promise<MessageRecord>

  /**
   * Stores a received message unless the same sender already delivered one with this id (a retry
   * after a lost ack): then the stored copy is returned with `added: false`.
   */
  addIncoming (message: NewMessage, options?: IncomingWriteOptions): Promise<{ record: MessageRecord, added: boolean }>

  get (conversation: string, direction: Direction, id: string, options?: AbortOptions): Promise<MessageRecord | undefined>

  /**
   * Changes the status of an outgoing message; `delivered`, `read` and `failed` also take it out
   * of the outbox. Returns the updated record, or undefined if there is no such message.
   */
  setStatus (conversation: string, id: string, status: DeliveryStatus, error?: string, options?: AbortOptions): Promise<MessageRecord | undefined>

  /**
   * Records the storers holding a message for its offline recipient: status `stored` (unless it
   * was delivered or failed meanwhile). Returns the updated record.
   */
  setHolders (conversation: string, id: string, holders: string[], options?: AbortOptions): Promise<MessageRecord | undefined>

  /**
   * Marks the outgoing messages of a conversation with these ids `delivered` (an end-to-end
   * receipt) or `read` (a read receipt; never back from read to delivered), in one write with
   * `also` (the session state that decrypted the receipt). Returns those changed.
   */
  markDelivered (conversation: string, ids: string[], options?: WriteOptions & { status?: 'delivered' | 'read' }): Promise<MessageRecord[]>

  /** Whether `peer` ever sent this node a message */
  hasIncoming (peer: string, options?: AbortOptions): Promise<boolean>

  /**
   * Deletes these incoming messages of a conversation (ids it does not have are skipped), in one
   * write with `options.also`: a stranger's request over its quota loses its oldest messages
   */
  deleteIncoming (conversation: string, ids: string[], options?: WriteOptions): Promise<void>
  /** History, oldest first (control records are not history) */
  list (options?: ListMessagesOptions): Promise<MessageRecord[]>

  /** Outgoing messages not yet delivered, oldest first, optionally of one conversation */
  outbox (conversation?: string, options?: AbortOptions): Promise<MessageRecord[]>

  /**
   * Keeps the encrypted envelope of an outgoing message, so retries send the same bytes rather
   * than encrypting again. Removed when the message is delivered or fails.
   */
  setEnvelope (conversation: string, id: string, envelope: Uint8Array, options?: WriteOptions): Promise<void>
  envelope (conversation: string, id: string, options?: AbortOptions): Promise<Uint8Array | undefined>

  /**
   * Changes a stored message in place (a reaction, an edit, a deletion): `change` gets the record
   * and returns it changed, or undefined to leave it. `options.also` lands either way. Returns
   * the changed record, or undefined when there is none or `change` left it.
   */
  update (conversation: string, direction: Direction, id: string, change: (record: MessageRecord) => MessageRecord | undefined, options?: WriteOptions): Promise<MessageRecord | undefined>

  /** Erases messages entirely (history, outbox, envelope): disappearing messages whose time came */
  erase (records: MessageRecord[], options?: AbortOptions): Promise<void>

  /** Messages whose `expiresAt` is at or before `until`, soonest first, at most `limit` */
  expiring (until: number, limit: number, options?: AbortOptions): Promise<MessageRecord[]>

  /** The soonest `expiresAt` of any stored message */
  nextExpiry (options?: AbortOptions): Promise<number | undefined>

  /** A conversation's state; undefined before its first history entry */
  conversation (id: string, options?: AbortOptions): Promise<ConversationState | undefined>

  /** Every conversation with its newest history entry, the latest first */
  conversations (options?: AbortOptions): Promise<ConversationSummary[]>

  /**
   * Marks a conversation read up to its newest entry. Returns the incoming entries that were
   * unread (for read receipts), oldest first.
   */
  markRead (conversation: string, options?: AbortOptions): Promise<MessageRecord[]>
}

/** An X25519 or ML-KEM-768 key pair of this node's, with the identity key's signature if signed */
export interface StoredPrekey {
  id: number
  publicKey: Uint8Array
  privateKey: Uint8Array
  createdAt: number
  signature?: Uint8Array
}

export type PrekeyKind = 'signed' | 'pq' | 'one-time'

/** Sessions with peers and this node's own prekeys */
export interface KeyStore {
  loadSession (peer: string, options?: AbortOptions): Promise<Uint8Array | undefined>
  sessionWrite (peer: string, record: Uint8Array): WriteOp

  prekey (kind: PrekeyKind, id: number, options?: AbortOptions): Promise<StoredPrekey | undefined>
  putPrekey (kind: PrekeyKind, prekey: StoredPrekey, options?: AbortOptions): Promise<void>
  prekeyDelete (kind: PrekeyKind, id: number): WriteOp
  /** Every stored prekey of a kind, oldest first */
  prekeys (kind: PrekeyKind, options?: AbortOptions): Promise<StoredPrekey[]>
  /** The ids of the signed and ML-KEM prekeys now published */
  currentPrekeys (options?: AbortOptions): Promise<{ signed: number, pq: number } | undefined>
  setCurrentPrekeys (ids: { signed: number, pq: number }, options?: AbortOptions): Promise<void>
  deletePrekeys (kind: PrekeyKind, ids: number[], options?: AbortOptions): Promise<void>
}

/** What the user decided about a peer: accepted (a contact, or someone they wrote to) or blocked */
export type Standing = 'accepted' | 'blocked'

/** A peer whose safety number the user compared (in person, or over a call it trusts), and when */
export interface Verified {
  peerId: string
  at: number
}

/** A peer the user has not accepted who sent messages: shown as a message request */
export interface MessageRequest {
  peerId: string
  /** When its latest message arrived */
  at: number
}

export interface ContactStore {
  standing (peerId: string, options?: AbortOptions): Promise<Standing | undefined>
  /** Every peer with a standing (a backup takes them along) */
  standings (options?: AbortOptions): Promise<Array<{ peerId: string, standing: Standing }>>
  /** Sets (or with undefined clears) a peer's standing; it also settles the peer's request */
  setStanding (peerId: string, standing: Standing | undefined, options?: AbortOptions): Promise<void>
  /** A write recording a message request, for the batch that stores the message */
  requestWrite (request: MessageRequest): WriteOp
  /** A write removing a peer's pending request (its standing stays), for a batch */
  requestDelete (peerId: string): WriteOp
  /** Pending requests, oldest first */
  requests (options?: AbortOptions): Promise<MessageRequest[]>

  /** When the user marked the safety number with `peerId` as compared, if it did */
  verifiedAt (peerId: string, options?: AbortOptions): Promise<number | undefined>
  /** Marks the safety number with `peerId` as compared at `at` (undefined clears the mark) */
  setVerified (peerId: string, at: number | undefined, options?: AbortOptions): Promise<void>
  /** Every peer marked as verified (a backup takes them along) */
  verifiedPeers (options?: AbortOptions): Promise<Verified[]>

  /** Adds or renames a contact. Throws `ContactNameTakenError` if another contact has the name. */
  put (contact: Contact, options?: AbortOptions): Promise<void>
  get (peerId: string, options?: AbortOptions): Promise<Contact | undefined>
  getByName (name: string, options?: AbortOptions): Promise<Contact | undefined>
  delete (peerId: string, options?: AbortOptions): Promise<void>
  list (options?: AbortOptions): Promise<Contact[]>
}

/**
 * Where a file transfer is.
 *
 * Incoming: `offered` (from a peer not accepted yet: waits for the user), `waiting` (the sender is
 * unreachable, or reachable only through a relay: retried), `downloading`, `paused` (stopped by a
 * local problem such as a full disk, see `error`: retried later or on `resume`), `done` (every
 * chunk verified and the whole file checked against its root; `path` is the file),
 * `cancelled` (by either side), `failed` (the sender can never serve it, see `error`).
 *
 * Outgoing: `offered` (served whenever the recipient asks), `sending` (being fetched), `done`
 * (the recipient confirmed it has the whole file), `cancelled`, `failed` (the file is gone or
 * changed since it was offered).
 */
export type TransferState = 'offered' | 'waiting' | 'downloading' | 'paused' | 'sending' | 'done' | 'cancelled' | 'failed'

export interface TransferRecord extends FileSummary {
  /**
   * Incoming: the sender, who serves it. Outgoing: the recipient, or for a file offered to a
   * group the group's id (any member may fetch it)
   */
  peer: string
  direction: Direction
  /** The group the file was offered in (absent for a direct conversation's) */
  group?: string
  /** The root of the file's hash tree, hex */
  root: string
  /** The file's AES-256-GCM key, base64: never shown or logged */
  key: string
  state: TransferState
  /**
   * Outgoing: the file served. Incoming: the partial file while it downloads, the file in the
   * download folder once `done`
   */
  path: string
  /** Bytes verified and kept (incoming), or served (outgoing, this run) */
  bytes: number
  /** Incoming: the chunks verified, as a base64 bitfield (see ChunkSet) */
  have?: string
  /** Why a transfer is paused or failed */
  error?: string
  /** Outgoing: the file's modification time when offered; a later one makes the sender check it again */
  modifiedAt?: number
  createdAt: number
  updatedAt: number
}

/** File transfers, by id */
export interface FileStore {
  get (id: string, options?: AbortOptions): Promise<TransferRecord | undefined>
  /** Stores `record`, atomically with `options.also` */
  put (record: TransferRecord, options?: WriteOptions): Promise<void>
  /** A write storing `record`, for the batch that stores the message offering it */
  putWrite (record: TransferRecord): WriteOp
  /** A write removing a transfer's record, for the batch that deletes the message offering it */
  deleteWrite (id: string): WriteOp
  /** Every transfer, oldest first */
  list (options?: AbortOptions): Promise<TransferRecord[]>
}

/** What the user chose about what their node tells others */
export interface Settings {
  /** Send read receipts, and show others': off means neither (as in Signal). @default true */
  readReceipts: boolean
  /** Send typing indicators, and show others': off means neither. @default false */
  typingIndicators: boolean
}

export const DEFAULT_SETTINGS: Settings = { readReceipts: true, typingIndicators: false }

export interface SettingsStore {
  get (options?: AbortOptions): Promise<Settings>
  /** Changes some settings; returns them all as they are now */
  set (change: Partial<Settings>, options?: AbortOptions): Promise<Settings>
}

/** The groups this node is a member of, each as opaque bytes (src/groups/group-record.ts encodes them) */
export interface GroupStore {
  get (group: string, options?: AbortOptions): Promise<Uint8Array | undefined>
  /** Stores a group, with `also` in the same batch */
  put (group: string, record: Uint8Array, options?: WriteOptions): Promise<void>
  /** A write storing a group, for the batch that goes with it */
  putWrite (group: string, record: Uint8Array): WriteOp
  list (options?: AbortOptions): Promise<Array<{ group: string, record: Uint8Array }>>
  /** Lands writes of other tables alone (what went with a group update that changed nothing) */
  commit (writes: WriteOp[], options?: AbortOptions): Promise<void>
}

/** A message of this node's to a group that fewer storers of the group's mailbox hold than should */
export interface PendingGroupDeposit {
  group: string
  /** The message's id, hex */
  id: string
  /** The epoch (its change's id) and the chooser of the secret the envelope was sealed under */
  epoch: string
  from: string
  envelope: Uint8Array
  /** Storers (PeerIds) that hold it already */
  holders: string[]
  /** When it was sent, ms since the epoch: one the storers would have dropped by now is given up */
  sentAt: number
}

/** A peer's mailbox identity for one epoch, as it announced it */
export interface MailboxAddress {
  epoch: number
  /** The epoch's Ed25519 public key, 32 bytes raw */
  publicKey: Uint8Array
}

/** The mailbox identities peers announced, and how far this node's own were announced to each (src/messenger/mailbox-addresses.ts) */
export interface MailboxAddressStore {
  /** The identities `peer` announced, newest epoch first (none: empty) */
  theirs (peer: string, options?: AbortOptions): Promise<MailboxAddress[]>
  /** A write storing them, for the batch it goes with (a decrypt's commit) */
  theirsWrite (peer: string, addresses: MailboxAddress[]): WriteOp
  /** Every peer that announced identities */
  announcers (options?: AbortOptions): Promise<string[]>
  /** The key (raw Ed25519) of `peer`'s requests mailbox, from its prekey record or response */
  requests (peer: string, options?: AbortOptions): Promise<Uint8Array | undefined>
  setRequests (peer: string, publicKey: Uint8Array, options?: AbortOptions): Promise<void>
  /** The last epoch this node's own announcements to `peer` covered */
  announcedThrough (peer: string, options?: AbortOptions): Promise<number | undefined>
  setAnnouncedThrough (peer: string, epoch: number, options?: AbortOptions): Promise<void>
}

/** What the group mailbox keeps (src/groups/group-mailbox.ts) */
export interface GroupMailboxStore {
  /** Where this node's last fetch from each storer (PeerId) of a group's mailbox (its PeerId) ended */
  cursors (group: string, mailbox: string, options?: AbortOptions): Promise<Map<string, number>>
  setCursors (group: string, mailbox: string, cursors: Map<string, number>, options?: AbortOptions): Promise<void>
  pending (options?: AbortOptions): Promise<PendingGroupDeposit[]>
  putPending (deposit: PendingGroupDeposit, options?: AbortOptions): Promise<void>
  deletePending (group: string, id: string, options?: AbortOptions): Promise<void>
}

/**
 * Group members' sender chains, as opaque bytes (src/groups/sender-keys/stored-chains.ts
 * encodes them): per group and member, this node's own included
 */
export interface SenderChainStore {
  get (group: string, member: string, options?: AbortOptions): Promise<Uint8Array | undefined>
  /** A write storing a member's chains, for the batch that goes with it */
  putWrite (group: string, member: string, chains: Uint8Array): WriteOp
  /** A write dropping a member's chains (a removal, a leave) */
  deleteWrite (group: string, member: string): WriteOp
}
