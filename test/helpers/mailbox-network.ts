import { join } from 'node:path'
import { Level } from 'level'
import { TempDirs } from './temp-dir.ts'
import { untilAsync } from './events.ts'
import { connectedTo, startNode, LOOPBACK_TCP } from './nodes.ts'
import { MESSAGES_DIR } from '../../src/storage/constants.ts'
import type { Parley } from '../../src/parley.ts'
import type { TestNodeInit } from './nodes.ts'
import type { MessageRecord } from '../../src/storage/types.ts'

/** Low stamps keep the tests quick; the stamp check itself is what is tested */
export const STAMP_BITS = 8
export const REPLICAS = 3

/**
 * Storers (relays, which host mailboxes) and user nodes that know them only as bootstrap
 * nodes, all on loopback. Storer data directories are kept so a storer can come back.
 */
export class MailboxNetwork {
  readonly dirs = new TempDirs()
  storers: Parley[] = []
  readonly storerDirs: string[] = []
  readonly running = new Set<Parley>()

  async startStorers (n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const dir = await this.dirs.make()
      this.storerDirs.push(dir)
      this.storers.push(await this.startStorer(dir))
    }
  }

  async startStorer (dir: string): Promise<Parley> {
    const first = this.storers.find(s => this.running.has(s))
    const storer = await startNode({
      dataDir: dir,
      relay: true,
      listen: [LOOPBACK_TCP],
      ...(first != null ? { bootstrap: first.addresses() } : {})
    })
    this.running.add(storer)
    if (first != null) await connectedTo(storer, first.peerId)
    return storer
  }

  async restartStorer (index: number): Promise<Parley> {
    this.storers[index] = await this.startStorer(this.storerDirs[index])
    return this.storers[index]
  }

  async startUser (dataDir: string, extra: Partial<TestNodeInit> = {}): Promise<Parley> {
    const live = this.storers.filter(s => this.running.has(s))
    const node = await startNode({
      dataDir,
      bootstrap: live.flatMap(s => s.addresses()),
      mailbox: { replicas: REPLICAS },
      messenger: { stampBits: STAMP_BITS },
      ...extra
    })
    this.running.add(node)
    await Promise.all(live.map(async s => connectedTo(node, s.peerId)))
    return node
  }

  async stop (node: Parley): Promise<void> {
    this.running.delete(node)
    await node.stop()
  }

  async cleanup (): Promise<void> {
    await Promise.all([...this.running].map(async n => this.stop(n)))
    await this.dirs.cleanup()
  }
}

/** Resolves once `count` messages from `peer` are in `node`'s history */
export async function inboxHas (node: Parley, peer: Parley, count: number): Promise<MessageRecord[]> {
  let found: MessageRecord[] = []
  await untilAsync(node.messenger, ['message'], async () => {
    found = await node.messenger.history({ peer: peer.peerId.toString() })
    return found.filter(m => m.direction === 'in').length >= count
  }, 30_000, `${count} messages in the inbox`)
  return found
}

export async function stored (node: Parley, recipient: Parley, count: number): Promise<MessageRecord[]> {
  let found: MessageRecord[] = []
  await untilAsync(node.messenger, ['status'], async () => {
    found = (await node.messenger.history({ peer: recipient.peerId.toString() })).filter(m => m.direction === 'out')
    return found.length >= count && found.every(m => m.status === 'stored' && (m.holders?.length ?? 0) >= REPLICAS)
  }, 30_000, `${count} messages stored with ${REPLICAS} replicas`)
  return found
}

/** The mailbox keys (hex) a stopped storer's tables hold mail under */
export async function heldKeys (storerDir: string): Promise<Set<string>> {
  const db = new Level<string, Uint8Array>(join(storerDir, MESSAGES_DIR), { valueEncoding: 'view' })
  try {
    const keys = await db.sublevel<string, Uint8Array>('mailbox-index', { valueEncoding: 'view' }).keys().all()
    return new Set(keys.map(k => k.split('!')[0]))
  } finally {
    await db.close()
  }
}

/** Resolves once the message `id` from `from` is held by REPLICAS storers */
export async function heldByReplicas (from: Parley, to: Parley, id: string): Promise<MessageRecord> {
  let found: MessageRecord | undefined
  await untilAsync(from.messenger, ['status'], async () => {
    found = (await from.messenger.history({ peer: to.peerId.toString() })).find(m => m.id === id)
    return (found?.holders?.length ?? 0) >= REPLICAS
  }, 30_000, 'the message held by its replicas')
  return found!
}
