import { TypedEventEmitter } from 'main-event'
import type { TypedEventTarget } from 'main-event'
import { toString } from 'uint8arrays/to-string'
import { errorKind } from '../errors/index.ts'
import { parsePeerArgument } from '../identity/invite.ts'
import { fileOfferHandler, fileStatusHandler, offerState } from './file-content.ts'
import { FileUnavailableError, UnknownFileError } from '../protocols/file/index.ts'
import {
  AUTO_DOWNLOAD_MAX_BYTES, DOWNLOAD_RETRY_BASE_MS, DOWNLOAD_RETRY_MAX_MS, FILE_ID_BYTES, FILE_KEY_BYTES, KEPT_COPY_SUFFIX, MAX_DOWNLOADS,
  MAX_FILE_BYTES, MAX_TYPE_BYTES, PROGRESS_INTERVAL_MS, TREE_CACHE_SIZE
} from './constants.ts'
import { download } from './download.ts'
import { FileNotHereError, InvalidFileOfferError, NotAFileError, UnknownTransferError } from './errors.ts'
import { fileBlob, fileInfo, fileName, fullPath } from './file-source.ts'
import { treeOfFile } from './hash-file.ts'
import { keepBlob } from './keep-blob.ts'
import { mediaTypeOf } from './media-type.ts'
import { safeFileName } from './names.ts'
import { checkRoom, keptCopyPath, listPartialDir, makePartialDir, partialPath, removeFile } from './partial-file.ts'
import { openChunkSource } from './serve.ts'
import { emptyRoot } from './tree.ts'
import { RetrySchedule } from '../utils/retry-schedule.ts'
import { transferInfo } from '../events/public.ts'
import type { CryptoProvider } from '../crypto/provider/types.ts'
import type { Messenger } from '../messenger/messenger.ts'
import type { ParleyNode } from '../node/create-node.ts'
import type { HashTree } from './tree.ts'
import type { ChunkSource } from '../protocols/file/index.ts'
import type { FileStore, FileSummary, MessageRecord, TransferRecord, WriteOptions } from '../storage/types.ts'
import type { AbortOptions, IdentifyResult, Logger, PeerId, Startable } from '@libp2p/interface'
import type { TransferInfo } from '../events/public.ts'

export interface FileTransfersEvents {
  /** A transfer was created, changed state, or made progress (at most every PROGRESS_INTERVAL_MS) */
  transfer: CustomEvent<TransferRecord>
}

export interface FileTransfersComponents {
  node: ParleyNode
  messenger: Messenger
  files: FileStore
  provider: CryptoProvider
  /** Files offered in groups (src/groups/group-files.ts); without it, files go to peers only */
  groups?: GroupFileSharing
}

/** What file transfers need of groups to offer files in them */
export interface GroupFileSharing {
  /**
   * The id of the group `idOrName` names (whether this node may send to it is checked by `offer`)
   *
   * @throws {UnknownGroupError}
   */
  groupId: (idOrName: string, options: AbortOptions) => Promise<string>
  /** Whether `peer` and this node are both members of `group` now */
  isMember: (group: string, peer: string, options: AbortOptions) => Promise<boolean>
  /** Stores the message offering `file` in the group (with `options.also`), and publishes it */
  offer: (group: string, file: FileSummary, options: WriteOptions) => Promise<MessageRecord>
  /** Where a group message deleted for everyone, and a file offered in a group, are announced */
  events: TypedEventTarget<{ deleted: CustomEvent<MessageRecord>, transfer: CustomEvent<TransferRecord> }>
}

/** Whom a file is offered to: a peer, or every member of a group */
interface Recipient {
  /** The peer's PeerId, or the group's id */
  peer: string
  group?: string
}

export interface FileTransfersInit {
  /**
   * Where received files go, partial ones (and copies of files offered with `sendBlob`) in its
   * `.partial` folder: a folder on disk, or in browsers a folder of the origin private file
   * system (`parley/downloads`, say)
   */
  downloadDir: string
  /** @default DOWNLOAD_RETRY_BASE_MS */
  retryBaseMs?: number
  /** @default DOWNLOAD_RETRY_MAX_MS */
  retryMaxMs?: number
  /** A known peer's file offer up to this size downloads at once. @default AUTO_DOWNLOAD_MAX_BYTES */
  autoDownloadBytes?: number
}

export interface SendBlobOptions extends AbortOptions {
  /**
   * The name offered, made safe as received names are (no path, no control characters, at most
   * MAX_NAME_BYTES). @default the `File`'s name, or `file` for a plain Blob
   */
  name?: string
  /** The media type offered (at most MAX_TYPE_BYTES). @default the Blob's type, else guessed from the name */
  type?: string
}


const FINISHED = new Set<TransferRecord['state']>(['done', 'cancelled', 'failed'])

interface Running {
  controller: AbortController
  run: Promise<void>
}

/**
 * File sharing: offers files (hashed into a tree, a fresh key each, the offer sent as an
 * end-to-end encrypted message through the outbox and, for an offline recipient, the mailbox;
 * or published to a group), serves them over `/parley/file/1.0.0` to the peer they were
 * offered to until it confirms or someone cancels (to a group's members until cancelled), and
 * downloads what peers offer (from accepted peers at once; from others once the user accepts
 * them) into the download folder, resuming from the verified chunks after any interruption.
 */
export class FileTransfers extends TypedEventEmitter<FileTransfersEvents> implements Startable {
  private readonly node: ParleyNode
  private readonly messenger: Messenger
  private readonly files: FileStore
  private readonly provider: CryptoProvider
  private readonly groups?: GroupFileSharing
  private readonly log: Logger
  private readonly downloadDir: string
  private readonly autoDownloadBytes: number
  private readonly running = new Map<string, Running>()
  /** Downloads waiting for a free slot, in arrival order */
  private readonly queued = new Set<string>()
  private readonly retries: RetrySchedule<string>
  /** Trees of offered files, most recently used last */
  private readonly trees = new Map<string, HashTree>()
  /** Outgoing transfers being served: cancelling aborts their streams */
  private readonly serving = new Map<string, { controller: AbortController, streams: number, served: Set<number>, bytes: number }>()
  private readonly lastProgress = new Map<string, number>()
  /** Ids of files `sendBlob` is copying now */
  private readonly copying = new Set<string>()
  private started = false

  constructor (components: FileTransfersComponents, init: FileTransfersInit) {
    super()
    this.node = components.node
    this.messenger = components.messenger
    this.files = components.files
    this.provider = components.provider
    this.groups = components.groups
    this.log = components.node.logger.forComponent('parley:files')
    this.downloadDir = fullPath(init.downloadDir)
    this.retries = new RetrySchedule({ baseMs: init.retryBaseMs ?? DOWNLOAD_RETRY_BASE_MS, maxMs: init.retryMaxMs ?? DOWNLOAD_RETRY_MAX_MS }, id => { this.enqueue(id) })
    this.autoDownloadBytes = init.autoDownloadBytes ?? AUTO_DOWNLOAD_MAX_BYTES
    // before the messenger starts: an offer may come with the first message
    this.messenger.content.register('file', fileOfferHandler(this.files, this.autoDownloadBytes))
    this.messenger.content.register('file-status', fileStatusHandler(this.files))
    this.onIdentify = this.onIdentify.bind(this)
    this.onTransfer = this.onTransfer.bind(this)
    this.onAccepted = this.onAccepted.bind(this)
    this.onDeleted = this.onDeleted.bind(this)
  }

  /** The folder received files go to */
  get folder (): string {
    return this.downloadDir
  }

  async start (): Promise<void> {
    this.started = true
    this.node.services.file.setResolver(this.resolve.bind(this))
    this.messenger.addEventListener('transfer', this.onTransfer)
    this.messenger.addEventListener('accepted', this.onAccepted)
    this.messenger.addEventListener('deleted', this.onDeleted)
    this.groups?.events.addEventListener('deleted', this.onDeleted)
    this.groups?.events.addEventListener('transfer', this.onTransfer)
    this.node.addEventListener('peer:identify', this.onIdentify)
    const transfers = await this.files.list()
    for (const transfer of transfers) {
      if (transfer.direction === 'in' && (transfer.state === 'waiting' || transfer.state === 'downloading' || transfer.state === 'paused')) {
        this.enqueue(transfer.id)
      } else if (transfer.direction === 'out' && transfer.state === 'sending') {
        // the stream that made it `sending` ended with the last run
        await this.files.put({ ...transfer, state: 'offered' })
      }
    }
    await this.dropStaleCopies(transfers).catch(err => { this.log('clearing old copies of offered files failed - %s', err.message) })
  }

  async stop (): Promise<void> {
    this.started = false
    this.node.removeEventListener('peer:identify', this.onIdentify)
    this.messenger.removeEventListener('transfer', this.onTransfer)
    this.messenger.removeEventListener('accepted', this.onAccepted)
    this.messenger.removeEventListener('deleted', this.onDeleted)
    this.groups?.events.removeEventListener('deleted', this.onDeleted)
    this.groups?.events.removeEventListener('transfer', this.onTransfer)
    this.retries.clear()
    this.queued.clear()
    for (const { controller } of this.serving.values()) controller.abort(new Error('stopping'))
    for (const { controller } of this.running.values()) controller.abort(new Error('stopping'))
    await Promise.allSettled([...this.running.values()].map(r => r.run))
  }

  /**
   * Offers the file at `path` to `peer` (a PeerId, invite or contact name): hashes it (one chunk
   * in memory at a time), then sends the offer. Resolves after the offer's first delivery attempt
   * with the transfer and the message carrying it.
   *
   * @throws {NotAFileError} when `path` is not a regular file
   */
  async send (peer: PeerId | string, path: string, options: AbortOptions = {}): Promise<{ transfer: TransferInfo, message: MessageRecord }> {
    return this.offerPath(await this.peerRecipient(peer, options), path, options)
  }

  /**
   * Offers the file at `path` to every member of `group` (its id or name), as `send` offers it
   * to a peer. Members fetch it from this node, each when it reads the offer; it stays offered
   * (to the members of the moment) until cancelled or its message is deleted.
   *
   * @throws {NotAFileError} when `path` is not a regular file
   * @throws {UnknownGroupError} or {NotGroupMemberError}
   */
  async sendToGroup (group: string, path: string, options: AbortOptions = {}): Promise<{ transfer: TransferInfo, message: MessageRecord }> {
    return this.offerPath(await this.groupRecipient(group, options), path, options)
  }

  /** Offers `file` to every member of `group` (its id or name), as `sendBlob` offers it to a peer */
  async sendBlobToGroup (group: string, file: Blob, options: SendBlobOptions = {}): Promise<{ transfer: TransferInfo, message: MessageRecord }> {
    return this.offerBlob(await this.groupRecipient(group, options), file, options)
  }

  private async peerRecipient (peer: PeerId | string, options: AbortOptions): Promise<Recipient> {
    const to = typeof peer === 'string' ? await this.messenger.resolvePeer(peer, options) : peer
    return { peer: to.toString() }
  }

  private async groupRecipient (group: string, options: AbortOptions): Promise<Recipient> {
    if (this.groups == null) throw new InvalidFileOfferError('this node has no groups')
    const id = await this.groups.groupId(group, options)
    return { peer: id, group: id }
  }

  /** Stores the offer of `transfer` and sends it: to its peer, or published to its group */
  private async offer (transfer: TransferRecord, options: AbortOptions): Promise<MessageRecord> {
    if (transfer.group == null) return this.messenger.sendFile(transfer, options)
    if (this.groups == null) throw new InvalidFileOfferError('this node has no groups')
    const file = { id: transfer.id, name: transfer.name, size: transfer.size, type: transfer.type }
    return this.groups.offer(transfer.group, file, { ...options, also: [this.files.putWrite(transfer)] })
  }

  private async offerPath (to: Recipient, path: string, options: AbortOptions): Promise<{ transfer: TransferInfo, message: MessageRecord }> {
    const absolute = fullPath(path)
    const info = await fileInfo(absolute).catch((err: any) => { throw new NotAFileError(`cannot read ${absolute}: ${err.code ?? err.message}`) })
    if (!info.isFile) throw new NotAFileError(`${absolute} is not a regular file`)
    if (info.size > MAX_FILE_BYTES) throw new NotAFileError(`${absolute} is larger than the ${MAX_FILE_BYTES} bytes a file may have`)
    const { tree, sizeBytes } = await treeOfFile(absolute, options)
    const now = Date.now()
    const transfer: TransferRecord = {
      id: toString(this.provider.randomBytes(FILE_ID_BYTES), 'base16'),
      ...to,
      direction: 'out',
      name: fileName(absolute),
      size: sizeBytes,
      type: mediaTypeOf(absolute),
      root: toString(tree?.root() ?? emptyRoot(), 'base16'),
      key: toString(this.provider.randomBytes(FILE_KEY_BYTES), 'base64'),
      state: 'offered',
      path: absolute,
      bytes: 0,
      modifiedAt: info.modifiedAt,
      createdAt: now,
      updatedAt: now
    }
    if (tree != null) this.remember(transfer.id, tree)
    const message = await this.offer(transfer, options)
    this.emit(transfer)
    return { transfer: transferInfo(transfer), message }
  }

  /**
   * Offers `file` to `peer` like `send` does, for a file without a path of its own: a `File` a
   * user picked in a page, or bytes in memory. The file is first copied (streamed a chunk at a
   * time and hashed on the way, never whole in memory) into the download folder's `.partial`
   * folder, so it keeps being offered after a restart or a reload, whatever becomes of the
   * original; the copy is deleted when the transfer ends (done, cancelled or failed). Resolves
   * after the offer's first delivery attempt with the transfer and the message carrying it.
   *
   * @throws {NotAFileError} when the file is larger than a file may be, or cannot be read
   * @throws {InvalidFileOfferError} when `options.type` is longer than MAX_TYPE_BYTES
   * @throws {DiskFullError} when the copy does not fit (the disk, or the browser's quota)
   */
  async sendBlob (peer: PeerId | string, file: Blob, options: SendBlobOptions = {}): Promise<{ transfer: TransferInfo, message: MessageRecord }> {
    return this.offerBlob(await this.peerRecipient(peer, options), file, options)
  }

  private async offerBlob (to: Recipient, file: Blob, options: SendBlobOptions): Promise<{ transfer: TransferInfo, message: MessageRecord }> {
    const name = safeFileName(options.name ?? ('name' in file && typeof file.name === 'string' ? file.name : 'file'))
    const type = options.type ?? (file.type !== '' && new TextEncoder().encode(file.type).byteLength <= MAX_TYPE_BYTES ? file.type : mediaTypeOf(name))
    if (new TextEncoder().encode(type).byteLength > MAX_TYPE_BYTES) throw new InvalidFileOfferError(`a media type is at most ${MAX_TYPE_BYTES} bytes`)
    if (file.size > MAX_FILE_BYTES) throw new NotAFileError(`${name} is larger than the ${MAX_FILE_BYTES} bytes a file may have`)
    const id = toString(this.provider.randomBytes(FILE_ID_BYTES), 'base16')
    const path = keptCopyPath(this.downloadDir, id)
    this.copying.add(id)
    try {
      await makePartialDir(this.downloadDir)
      await checkRoom(this.downloadDir, file.size)
      const tree = await keepBlob(file, path, options)
      const now = Date.now()
      const transfer: TransferRecord = {
        id,
        ...to,
        direction: 'out',
        name,
        size: file.size,
        type,
        root: toString(tree?.root() ?? emptyRoot(), 'base16'),
        key: toString(this.provider.randomBytes(FILE_KEY_BYTES), 'base64'),
        state: 'offered',
        path,
        bytes: 0,
        modifiedAt: (await fileInfo(path)).modifiedAt,
        createdAt: now,
        updatedAt: now
      }
      if (tree != null) this.remember(id, tree)
      const message = await this.offer(transfer, options)
      this.emit(transfer)
      return { transfer: transferInfo(transfer), message }
    } catch (err) {
      // a copy whose offer was never stored serves nothing
      this.trees.delete(id)
      if (await this.files.get(id).catch(() => undefined) == null) await removeFile(path).catch(() => {})
      throw err
    } finally {
      this.copying.delete(id)
    }
  }

  /** Every transfer, oldest first */
  async list (options: AbortOptions = {}): Promise<TransferInfo[]> {
    return (await this.files.list(options)).map(transferInfo)
  }

  /** @throws {UnknownTransferError} */
  async get (id: string, options: AbortOptions = {}): Promise<TransferInfo> {
    return transferInfo(await this.record(id, options))
  }

  /**
   * The received file of transfer `id` (incoming, `done`), read from storage as it is read, never
   * loaded whole: what a page's save link points at (`URL.createObjectURL`). Its type is always
   * `application/octet-stream`, whatever the offer said, so a browser saves it rather than
   * showing it inside the app's origin.
   *
   * @throws {UnknownTransferError}
   * @throws {FileNotHereError} when the file is not received yet, or was deleted
   */
  async blob (id: string, options: AbortOptions = {}): Promise<Blob> {
    const transfer = await this.record(id, options)
    if (transfer.direction !== 'in' || transfer.state !== 'done' || transfer.path === '') {
      throw new FileNotHereError(`${transfer.name} is not here: ${transfer.direction === 'out' ? 'it was sent, not received' : transfer.state === 'done' ? 'it was deleted' : `it is ${transfer.state}`}`)
    }
    const file = await fileBlob(transfer.path).catch((err: any) => {
      throw new FileNotHereError(`${transfer.name} is not at ${transfer.path} any more: ${err.code ?? err.message}`)
    })
    return file.slice(0, file.size, 'application/octet-stream')
  }

  /**
   * Deletes the received file of a `done` incoming transfer from the download folder; the
   * transfer stays `done`, with an empty `path`. Any other transfer is left as it is (`cancel`
   * stops one under way).
   *
   * @throws {UnknownTransferError}
   */
  async deleteFile (id: string, options: AbortOptions = {}): Promise<TransferInfo> {
    const transfer = await this.record(id, options)
    if (transfer.direction !== 'in' || transfer.state !== 'done' || transfer.path === '') return transferInfo(transfer)
    await removeFile(transfer.path)
    return transferInfo(await this.update(transfer, { path: '' }))
  }

  /**
   * Stops a transfer for good at both ends: a download is abandoned and its partial file removed,
   * an offer is withdrawn; the peer is told. A finished transfer stays as it is.
   *
   * @throws {UnknownTransferError}
   */
  async cancel (id: string, options: AbortOptions = {}): Promise<TransferInfo> {
    const transfer = await this.record(id, options)
    if (FINISHED.has(transfer.state)) return transferInfo(transfer)
    const cancelled = await this.finish(transfer, { state: 'cancelled', error: 'cancelled here' })
    await this.report(transfer, 'cancelled')
    return transferInfo(cancelled)
  }

  /**
   * Starts or restarts a download now: one waiting for its sender, paused by a local problem, or
   * offered by a peer not accepted yet (resuming it is the user's consent).
   *
   * @throws {UnknownTransferError}
   */
  async resume (id: string, options: AbortOptions = {}): Promise<TransferInfo> {
    const transfer = await this.record(id, options)
    if (transfer.direction !== 'in' || FINISHED.has(transfer.state)) return transferInfo(transfer)
    const waiting = await this.update(transfer, { state: 'waiting' })
    this.retryNow(id)
    return transferInfo(waiting)
  }

  /**
   * A message deleted for everyone takes its file along: a received file is deleted from the
   * download folder, a transfer under way is cancelled at both ends, an offer withdrawn
   */
  private onDeleted (evt: CustomEvent<MessageRecord>): void {
    const id = evt.detail.file?.id
    if (id == null) return
    void (async () => {
      const transfer = await this.files.get(id)
      if (transfer == null) return
      if (transfer.direction === 'in' && transfer.state === 'done') await this.deleteFile(id)
      else await this.cancel(id)
    })().catch(err => { this.log.error('erasing the file of deleted message %s failed - %e', id, err) })
  }

  /**
   * Answers a peer's request for a file, while it is offered: only the peer it was offered to,
   * or for a group's file a member of the group now
   */
  private async resolve (fileId: Uint8Array, from: PeerId, options: AbortOptions): Promise<ChunkSource> {
    const id = fileId.byteLength === FILE_ID_BYTES ? toString(fileId, 'base16') : ''
    const transfer = await this.files.get(id, options)
    if (transfer?.direction !== 'out' || FINISHED.has(transfer.state) || !(await this.offeredTo(transfer, from.toString(), options))) {
      throw new UnknownFileError('no such file is offered to you')
    }
    const tree = await this.treeOf(transfer, options)
    const serving = this.serving.get(id) ?? { controller: new AbortController(), streams: 0, served: new Set<number>(), bytes: 0 }
    this.serving.set(id, serving)
    let source: ChunkSource
    try {
      source = await openChunkSource({
        provider: this.provider,
        transfer,
        tree,
        signal: serving.controller.signal,
        onChunk: (index, bytes) => {
          if (!serving.served.has(index)) {
            serving.served.add(index)
            serving.bytes += bytes
          }
          this.progress(transfer, serving.bytes, 'sending')
        }
      })
    } catch (err: any) {
      if (serving.streams === 0) this.serving.delete(id)
      await this.finish(transfer, { state: 'failed', error: `the file cannot be read: ${err.code ?? err.message}` })
      throw new FileUnavailableError('the sender cannot read the file any more')
    }
    serving.streams++
    if (transfer.state === 'offered') await this.update(transfer, { state: 'sending' })
    return {
      chunkCount: source.chunkCount,
      chunk: async (index, opts) => source.chunk(index, opts),
      close: async () => {
        await source.close()
        serving.streams--
        if (serving.streams > 0) return
        this.serving.delete(id)
        const now = await this.files.get(id)
        if (now != null) await this.update(now, { ...(now.state === 'sending' ? { state: 'offered' as const } : {}), bytes: serving.bytes })
      }
    }
  }

  private async offeredTo (transfer: TransferRecord, peer: string, options: AbortOptions): Promise<boolean> {
    if (transfer.group == null) return transfer.peer === peer
    return await this.groups?.isMember(transfer.group, peer, options) === true
  }

  /**
   * Tells a transfer's peer what became of it here. A group's author is not told: it serves
   * every member, and no one member's word ends its offer.
   */
  private async report (transfer: TransferRecord, state: 'received' | 'cancelled'): Promise<void> {
    if (transfer.group == null) await this.messenger.reportFile(transfer, state)
  }

  /**
   * The tree of an offered file: from memory, else hashed again from the file, which must still
   * hash to the root offered (an edited file fails the transfer: the recipient could never
   * verify it)
   */
  private async treeOf (transfer: TransferRecord, options: AbortOptions): Promise<HashTree> {
    // an edit since the offer shows in the modification time: then only hashing again can tell
    const modified = await fileInfo(transfer.path).then(s => s.modifiedAt !== transfer.modifiedAt || s.size !== transfer.size, () => true)
    if (modified) this.trees.delete(transfer.id)
    const cached = this.trees.get(transfer.id)
    if (cached != null) {
      this.remember(transfer.id, cached)
      return cached
    }
    let tree: HashTree | undefined
    try {
      const hashed = await treeOfFile(transfer.path, options)
      if (hashed.sizeBytes === transfer.size && toString(hashed.tree?.root() ?? emptyRoot(), 'base16') === transfer.root) tree = hashed.tree
    } catch (err: any) {
      if (err.name === 'AbortError') throw err
      await this.finish(transfer, { state: 'failed', error: `the file cannot be read: ${err.code ?? err.message}` })
      throw new FileUnavailableError('the sender cannot read the file any more')
    }
    if (tree == null) {
      await this.finish(transfer, { state: 'failed', error: 'the file changed since it was offered' })
      throw new FileUnavailableError('the file changed since it was offered')
    }
    this.remember(transfer.id, tree)
    return tree
  }

  private remember (id: string, tree: HashTree): void {
    this.trees.delete(id)
    this.trees.set(id, tree)
    for (const oldest of this.trees.keys()) {
      if (this.trees.size <= TREE_CACHE_SIZE) break
      this.trees.delete(oldest)
    }
  }

  private enqueue (id: string): void {
    if (!this.started || this.running.has(id)) return
    this.queued.add(id)
    this.pump()
  }

  /** Starts queued downloads while there are free slots */
  private pump (): void {
    for (const id of this.queued) {
      if (this.running.size >= MAX_DOWNLOADS) return
      this.queued.delete(id)
      const controller = new AbortController()
      const entry: Running = { controller, run: Promise.resolve() }
      entry.run = this.runDownload(id, controller.signal)
        .catch(err => { this.log.error('download %s failed unexpectedly - %e', id, err) })
        .finally(() => {
          this.running.delete(id)
          this.pump()
        })
      this.running.set(id, entry)
    }
  }

  private async runDownload (id: string, signal: AbortSignal): Promise<void> {
    const transfer = await this.files.get(id)
    if (transfer?.direction !== 'in' || !['waiting', 'downloading', 'paused'].includes(transfer.state)) return
    let current = await this.update(transfer, { state: 'downloading' })
    try {
      const done = await download({
        exchange: this.node.services.file,
        provider: this.provider,
        log: this.log,
        downloadDir: this.downloadDir,
        transfer: current,
        sender: parsePeerArgument(transfer.peer),
        signal,
        checkpoint: async saved => {
          // a cancellation meanwhile wins over progress
          if ((await this.files.get(id))?.state !== 'downloading') return
          current = saved
          await this.files.put(saved)
        },
        progress: bytes => { this.progress(current, bytes, 'downloading') }
      })
      if ((await this.files.get(id))?.state !== 'downloading') return
      this.retries.reset(id)
      await this.files.put(done)
      this.emit(done)
      this.log('received %s (%d bytes) into %s', id, done.size, done.path)
      await this.report(done, 'received')
    } catch (err: any) {
      const now = await this.files.get(id)
      if (now?.state !== 'downloading') return
      if (signal.aborted && !this.started) return // stopping: it resumes at the next start
      this.log('download %s stopped - %s', id, err.message)
      // the sender said no for good (a busy sender is transient); anything else is tried again,
      // even a corrupt or mismatching file: a new download starts over from what is verified
      if (errorKind(err) === 'refused') {
        // from inside the download: finishing must not wait for it
        await this.finish(now, { state: 'failed', error: `the sender refused: ${err.message}` }, false)
        return
      }
      const local = err.name === 'DiskFullError' || err.code === 'EACCES' || err.code === 'EROFS' || err.code === 'ENOSPC'
      await this.update(now, { state: local ? 'paused' : 'waiting', error: err.message })
      this.scheduleRetry(id)
    }
  }

  /**
   * Ends a transfer (cancelled, failed, or done by the peer's word): stops its download (and
   * waits for it to let go of the partial file, unless called from it) or its streams, and
   * drops its partial file
   */
  private async finish (transfer: TransferRecord, change: Pick<TransferRecord, 'state' | 'error'>, waitForDownload = true): Promise<TransferRecord> {
    // stored first, so the download, stopping, sees it ended and leaves the state alone; announced
    // last, once the partial file is gone
    const ended = await this.update(transfer, change, false)
    this.retries.reset(transfer.id)
    this.queued.delete(transfer.id)
    this.trees.delete(transfer.id)
    this.serving.get(transfer.id)?.controller.abort(new Error(change.error ?? change.state))
    const running = this.running.get(transfer.id)
    if (running != null) {
      running.controller.abort(new Error(change.error ?? change.state))
      if (waitForDownload) await running.run
    }
    if (transfer.direction === 'in' && transfer.state !== 'done') {
      await removeFile(partialPath(this.downloadDir, transfer.id)).catch(() => {})
    }
    if (this.isKeptCopy(transfer)) {
      await removeFile(transfer.path).catch(err => { this.log('deleting the copy of %s failed - %s', transfer.id, err.message) })
    }
    this.emit(ended)
    return ended
  }

  /** An offer served from a copy `sendBlob` made (never a file of the user's) */
  private isKeptCopy (transfer: TransferRecord): boolean {
    return transfer.direction === 'out' && transfer.path === keptCopyPath(this.downloadDir, transfer.id)
  }

  /**
   * Deletes the copies of offered files whose transfer ended (a stop came between the end and the
   * deletion) or was never stored (interrupted while copying)
   */
  private async dropStaleCopies (transfers: TransferRecord[]): Promise<void> {
    const live = new Set(transfers.filter(t => this.isKeptCopy(t) && !FINISHED.has(t.state)).map(t => t.id))
    for (const name of await listPartialDir(this.downloadDir)) {
      const id = name.endsWith(KEPT_COPY_SUFFIX) ? name.slice(0, -KEPT_COPY_SUFFIX.length) : undefined
      if (id == null || live.has(id) || this.copying.has(id)) continue
      this.log('deleting %s, the copy of a file no longer offered', name)
      await removeFile(keptCopyPath(this.downloadDir, id))
    }
  }

  private async update (transfer: TransferRecord, change: Partial<TransferRecord>, announce = true): Promise<TransferRecord> {
    // a new state without an error clears the old state's error
    const { error: _error, ...withoutError } = transfer
    const updated: TransferRecord = { ...(change.state != null && change.error == null ? withoutError : transfer), ...change, updatedAt: Date.now() }
    await this.files.put(updated)
    if (announce) this.emit(updated)
    return updated
  }

  /** A progress event, at most every PROGRESS_INTERVAL_MS per transfer */
  private progress (transfer: TransferRecord, bytes: number, state: TransferRecord['state']): void {
    const now = Date.now()
    if (now - (this.lastProgress.get(transfer.id) ?? 0) < PROGRESS_INTERVAL_MS && bytes < transfer.size) return
    this.lastProgress.set(transfer.id, now)
    this.emit({ ...transfer, state, bytes, updatedAt: now })
  }

  private emit (transfer: TransferRecord): void {
    try {
      this.safeDispatchEvent('transfer', { detail: transfer })
    } catch (err) {
      this.log.error('a transfer listener threw - %e', err)
    }
  }

  private async record (id: string, options: AbortOptions): Promise<TransferRecord> {
    const transfer = /^[0-9a-f]{32}$/.test(id) ? await this.files.get(id, options) : undefined
    if (transfer == null) throw new UnknownTransferError(`no transfer has the id ${id.slice(0, 40)}`)
    return transfer
  }

  /** The messenger stored a new offer, or a peer's status changed one of ours */
  private onTransfer (evt: CustomEvent<TransferRecord>): void {
    const transfer = evt.detail
    if (transfer.state === 'waiting' || transfer.state === 'offered') {
      this.emit(transfer)
      this.enqueue(transfer.id)
    } else if (transfer.state === 'cancelled' || transfer.state === 'done') {
      this.finish(transfer, { state: transfer.state, ...(transfer.error != null ? { error: transfer.error } : {}) })
        .catch(err => { this.log('ending %s failed - %s', transfer.id, err.message) })
    }
  }

  /** Offers from a peer the user just accepted may now be fetched, up to the automatic size */
  private onAccepted (evt: CustomEvent<string>): void {
    void this.files.list().then(async transfers => {
      for (const transfer of transfers) {
        if (transfer.peer === evt.detail && transfer.direction === 'in' && transfer.state === 'offered' &&
          offerState(true, transfer.size, this.autoDownloadBytes) === 'waiting') {
          await this.update(transfer, { state: 'waiting' })
          this.enqueue(transfer.id)
        }
      }
    }).catch(err => { this.log('starting the downloads of %s failed - %s', evt.detail, err.message) })
  }

  /** A sender we wait for is back: try at once */
  private onIdentify (evt: CustomEvent<IdentifyResult>): void {
    const peer = evt.detail.peerId.toString()
    void this.files.list().then(transfers => {
      for (const transfer of transfers) {
        if (transfer.peer === peer && transfer.direction === 'in' && (transfer.state === 'waiting' || transfer.state === 'downloading')) this.retryNow(transfer.id)
      }
    }).catch(err => { this.log('listing transfers failed - %s', err.message) })
  }

  private retryNow (id: string): void {
    this.retries.reset(id)
    this.enqueue(id)
  }

  private scheduleRetry (id: string): void {
    if (this.started) this.retries.schedule(id)
  }
}
