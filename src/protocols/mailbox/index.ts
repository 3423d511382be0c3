/**
 * @packageDocumentation
 *
 * Mailboxes: end-to-end encrypted envelopes held for an offline recipient by the peers closest,
 * in the DHT, to the recipient's mailbox key (`mailboxKey(recipient, epoch)`, which changes
 * weekly). A sender stores each envelope with `REPLICAS` storers, each of which signs a receipt;
 * the recipient fetches from the closest storers after proving it owns the key (a signed fresh
 * challenge) and acknowledges what it took, which the storers then delete. Storers keep what
 * they hold in LevelDB, enforce quotas, expire envelopes after `TTL_MS`, and hand copies on when
 * the closest set for a key changes.
 *
 * `/parley/mailbox/1.0.0` is served by hosting nodes only (relays by default, user nodes that
 * opt in); `/parley/mailbox-notice/1.0.0`, by which a storer tells a connecting recipient it
 * has mail, by every node.
 */
import { Mailbox as MailboxClass } from './mailbox.ts'
import type { AbortOptions, ComponentLogger, PeerId, PeerStore, PrivateKey, TypedEventTarget, Libp2pEvents } from '@libp2p/interface'
import type { CourierNodeFactory } from './couriers.ts'
import type { MailboxHostRouting } from './host-routing.ts'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'
import type { AtRestCodec } from '../../storage/at-rest.ts'
import type { AbstractLevel } from 'abstract-level'

export { PROTOCOL, NOTICE_PROTOCOL, REPLICAS, TTL_MS } from './constants.ts'
export * from './errors.ts'
export { mailboxKey, epochAt, recentEpochs, MAILBOX_EPOCH_MS } from './keys.ts'
export { envelopeHash } from './proofs.ts'
export { STAMP_BITS, mintStamp, verifyStamp } from './stamp.ts'
export type { Mailbox } from './mailbox.ts'
export type { CourierNodeFactory } from './couriers.ts'
export { mailboxHostsDHT, type MailboxHostRouting, type MailboxHostsDHT, type MailboxHostsDHTInit } from './host-routing.ts'

export interface MailboxHostInit {
  /** Where held envelopes live: the node's own LevelDB (sublevels `mailbox-*`) */
  db: AbstractLevel<any, string, any>
  /** How the data directory stores what it holds: under a passphrase, held mail is sealed too. @default plainCodec */
  atRest?: AtRestCodec
  /** Total bytes held for others. @default RELAY_BUDGET_BYTES */
  budgetBytes?: number
  /** @default MAX_ITEMS_PER_KEY */
  maxItemsPerKey?: number
  /** @default MAX_BYTES_PER_KEY */
  maxBytesPerKey?: number
  /** @default MAX_BYTES_PER_DEPOSITOR */
  maxBytesPerDepositor?: number
  /**
   * Proof-of-work difficulty a stamp needs to count here: an envelope with such a stamp is
   * held past the limits below (a stamp that falls short is kept for the recipient, but earns
   * nothing here). @default STAMP_BITS
   */
  stampBits?: number
  /** Once a key holds this many items, more need a stamp. @default STAMP_AFTER_ITEMS_PER_KEY (500) */
  stampAfterItemsPerKey?: number
  /** Once a key holds this many bytes, more need a stamp. @default STAMP_AFTER_BYTES_PER_KEY (8 MiB) */
  stampAfterBytesPerKey?: number
  /** Unstamped items one depositor may leave under one key. @default MAX_UNSTAMPED_ITEMS_PER_DEPOSITOR_KEY (100) */
  maxUnstampedItemsPerDepositorKey?: number
  /** Unstamped bytes one depositor may leave under one key. @default MAX_UNSTAMPED_BYTES_PER_DEPOSITOR_KEY (1 MiB) */
  maxUnstampedBytesPerDepositorKey?: number
  /** How long an envelope is kept if nobody fetches it. @default TTL_MS (14 days) */
  ttlMs?: number
  /** @default REPLICATE_INTERVAL_MS */
  replicateIntervalMs?: number
  /** @default SWEEP_INTERVAL_MS */
  sweepIntervalMs?: number
}

export interface MailboxInit {
  /** Hold envelopes for others; omitted, this node only uses other peers' mailboxes */
  host?: MailboxHostInit
  /** Storers per envelope. @default REPLICAS (5) */
  replicas?: number
  /** How far back a recipient reads (the storers' TTL). @default FETCH_WINDOW_MS */
  fetchWindowMs?: number
  /** Time per request to one storer when the caller gave no signal. @default REQUEST_TIMEOUT_MS */
  requestTimeoutMs?: number
  /**
   * Makes the throwaway nodes (`Couriers`) this node's own deposits and fetches go through, so
   * storers never see its PeerId on them. Without it they go over the node's own connections
   * (unit tests of the protocol).
   */
  couriers?: CourierNodeFactory
  /** How long one courier serves its mailbox. @default COURIER_LIFETIME_MS */
  courierLifetimeMs?: number
}

export interface MailboxComponents {
  peerId: PeerId
  privateKey: PrivateKey
  registrar: Registrar
  connectionManager: ConnectionManager
  /** Where the storers it found are reachable, for its couriers */
  peerStore: PeerStore
  /** The hosts' own DHT (`mailboxHostsDHT`), registered as the `mailboxHosts` service */
  mailboxHosts: MailboxHostRouting
  events: TypedEventTarget<Libp2pEvents>
  logger: ComponentLogger
}

/** A storer's signed promise to hold an envelope, checked against the storer's key */
export interface StoreReceipt {
  storer: PeerId
  expiresAt: number
  signature: Uint8Array
}

export interface DepositOptions extends AbortOptions {
  /** Storers that already hold it: they are skipped and count towards the replicas */
  holders?: string[]
  /**
   * Attach a proof-of-work stamp of this difficulty (a sender the recipient may not know).
   * Without one, or with one too weak, a storer that requires a stamp (a mailbox partly full)
   * names its difficulty, and the deposit mints one (up to `STAMP_BITS`) and stores again.
   */
  stampBits?: number
  /** A disappearing message's expiry (ms since the epoch): storers hold it no longer */
  expiresAt?: number
  /**
   * The mailbox to leave it in: the recipient's mailbox identity of an epoch, as the recipient
   * announced it (see identities.ts). Without one, the mailbox of the recipient's own PeerId and
   * the current epoch.
   */
  address?: { peerId: PeerId, epoch: number }
}

export interface DepositResult {
  /** New valid receipts, one per storer */
  receipts: StoreReceipt[]
  /** Storers that refused or failed, and why */
  failures: Array<{ storer: PeerId, error: string }>
}

/** An envelope fetched from one or more storers (the same bytes from each) */
export interface FetchedEnvelope {
  key: Uint8Array
  hash: Uint8Array
  envelope: Uint8Array
  stamp?: Uint8Array
  storedAt: number
}

/**
 * Takes fetched envelopes (each once, however many storers held it) and returns the hashes of
 * those the storers may delete: stored durably, or never decryptable. Anything else is fetched
 * again next time.
 */
export interface MailboxHandler {
  (envelopes: FetchedEnvelope[], options: AbortOptions): Promise<Uint8Array[]>
}

export interface CollectOptions extends AbortOptions {
  /** Storers to ask besides the closest hosts (one that sent a notice, say) */
  storers?: PeerId[]
  /** Also ask the closest hosts, known and looked up; `false` asks `storers` only. @default true */
  lookup?: boolean
}

/** Takes a batch of envelopes fetched from a shared mailbox; a rejection leaves them to be fetched again */
export interface SharedMailboxHandler {
  (envelopes: FetchedEnvelope[], options: AbortOptions): Promise<void>
}

export interface SharedCollectOptions extends CollectOptions {
  /**
   * Where this reader's last fetch from each storer ended (the storer's stored_at of the last
   * envelope it took), by the storer's PeerId: each is asked only for what it stored from then
   * on, and the map is updated as batches are taken
   */
  cursors: Map<string, number>
}

export interface CollectResult {
  /** Storers that answered (with or without mail) */
  storers: number
  /** Distinct envelopes fetched */
  fetched: number
  /** Envelopes acknowledged (deleted at the storers that sent them) */
  acked: number
}

export function mailbox (init: MailboxInit = {}): (components: MailboxComponents) => MailboxClass {
  return (components) => new MailboxClass(components, init)
}
