import { Level } from 'level'
import { plainCodec } from './at-rest.ts'
import { upgradeAtRest } from './at-rest-format.ts'
import { LevelContactStore } from './contact-store.ts'
import { DataDirLockedError, StorageCorruptError } from './errors.ts'
import { LevelFileStore } from './file-store.ts'
import { KeyParts } from './key-parts.ts'
import { LevelKeyStore } from './key-store.ts'
import { LevelMessageStore } from './message-store.ts'
import { upgradeSchema } from './schema.ts'
import { LevelGroupMailboxStore } from './group-mailbox-store.ts'
import { LevelMailboxAddressStore } from './mailbox-address-store.ts'
import { LevelSenderChainStore } from './sender-chain-store.ts'
import { LevelGroupStore } from './group-store.ts'
import { LevelSettingsStore } from './settings-store.ts'
import { withAlso } from './table.ts'
import { SerialQueue } from '../utils/serial-queue.ts'
import type { AtRestCodec } from './at-rest.ts'
import type { StoredPaths } from './file-store.ts'
import type { UpgradeSchemaOptions } from './schema.ts'
import type { Db } from './tables.ts'
import type { WriteOp } from './types.ts'

export interface LevelStoreInit {
  /** How transfer paths are stored: relative inside a data directory (stored-paths.ts) */
  paths?: StoredPaths
  /** Passed to the layout upgrade on open (progress, tests) */
  upgrade?: Pick<UpgradeSchemaOptions, 'batchEntries' | 'onBatch' | 'signal'>
}

/**
 * The node's own database: message history, outbox and contacts in one LevelDB directory.
 * Open it before anything else, so a second daemon on the same data directory fails at once.
 */
export class LevelStore {
  readonly messages: LevelMessageStore
  readonly contacts: LevelContactStore
  readonly keys: LevelKeyStore
  readonly files: LevelFileStore
  readonly settings: LevelSettingsStore
  readonly senderChains: LevelSenderChainStore
  readonly groups: LevelGroupStore
  readonly groupMailbox: LevelGroupMailboxStore
  readonly mailboxAddresses: LevelMailboxAddressStore
  private readonly db: Db
  /**
   * Read-then-write operations run here one at a time: this process holds LevelDB's lock, so a
   * check and the write that depends on it are atomic
   */
  private readonly queue = new SerialQueue()

  private readonly location: string
  private readonly codec: AtRestCodec
  private readonly init: LevelStoreInit

  /**
   * `path` opens LevelDB there; a database instance (e.g. `memory-level`) is used as it is.
   * `codec` is how values and PeerIds are stored: plain, or encrypted under a data key.
   */
  constructor (path: string | Db, codec: AtRestCodec = plainCodec, init: LevelStoreInit = {}) {
    this.db = typeof path === 'string' ? new Level<string, unknown>(path, { valueEncoding: 'json' }) : path
    this.location = typeof path === 'string' ? path : 'memory'
    this.codec = codec
    this.init = init
    const keyParts = new KeyParts(this.db, codec)
    this.messages = new LevelMessageStore(this.db, this.queue, codec, keyParts)
    this.contacts = new LevelContactStore(this.db, this.queue, codec, keyParts)
    this.keys = new LevelKeyStore(this.db, codec, keyParts)
    this.files = new LevelFileStore(this.db, codec, init.paths)
    this.settings = new LevelSettingsStore(this.db, codec)
    this.senderChains = new LevelSenderChainStore(this.db, codec, keyParts)
    this.groups = new LevelGroupStore(this.db, codec)
    this.groupMailbox = new LevelGroupMailboxStore(this.db, codec)
    this.mailboxAddresses = new LevelMailboxAddressStore(this.db, codec, keyParts)
  }

  /**
   * Opens the database and brings what an earlier release wrote up to this one's layout (in
   * place, resumably: see schema.ts). Throws `DataDirLockedError` or `StorageCorruptError`,
   * each naming the path.
   */
  async open (): Promise<void> {
    try {
      await this.db.open()
    } catch (err: any) {
      const cause = err.cause ?? err
      if (cause.code === 'LEVEL_LOCKED' || /lock/i.test(String(cause.message))) {
        throw new DataDirLockedError(`${this.location} is in use by another Parley daemon`)
      }
      throw new StorageCorruptError(`cannot open the message database at ${this.location}: ${String(cause.message)}`)
    }
    try {
      await upgradeAtRest(this.db, this.codec)
      await upgradeSchema(this.db, this.codec, { ...this.init.upgrade, ...(this.init.paths != null ? { paths: this.init.paths } : {}) })
      await this.messages.load()
    } catch (err: any) {
      await this.db.close()
      if (err.name === 'AbortError' || err.name === 'StorageCorruptError') throw err
      throw new StorageCorruptError(`cannot read the message database at ${this.location} (encrypted under another key?): ${String(err.message)}`)
    }
  }

  async close (): Promise<void> {
    await this.queue.idle()
    await this.db.close()
  }

  /** The database itself, for services that keep their own sublevels (mailbox storage) */
  get database (): Db {
    return this.db
  }

  /** Writes `ops` (built by the stores' `*Write` methods) in one batch */
  async apply (ops: WriteOp[]): Promise<void> {
    await withAlso(this.db.batch(), ops).write()
  }
}
