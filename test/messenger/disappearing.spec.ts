import assert from 'node:assert/strict'
import { defaultLogger } from '@libp2p/logger'
import { MemoryLevel } from 'memory-level'
import { toString as toHex } from 'uint8arrays/to-string'
import { Disappearing } from '../../src/messenger/disappearing.ts'
import { LevelStore } from '../../src/storage/level-store.ts'
import type { Emit } from '../../src/messenger/events.ts'
import type { Db } from '../../src/storage/tables.ts'
import type { MessageRecord } from '../../src/storage/types.ts'

const PEER = '12D3KooWSomePeerIdValueForTheTestsOnly'

describe('Disappearing (on a real store)', () => {
  let store: LevelStore
  let disappearing: Disappearing
  let erased: string[]
  let onErased: (() => void) | undefined

  const add = async (text: string, expiresAt?: number, direction: 'in' | 'out' = 'in'): Promise<MessageRecord> => {
    const message = { id: toHex(crypto.getRandomValues(new Uint8Array(16)), 'base16'), peer: PEER, direction, text, timestamp: Date.now(), status: direction === 'in' ? 'delivered' : 'sending', ...(expiresAt != null ? { expiresAt } : {}) } as const
    return direction === 'in' ? (await store.messages.addIncoming(message)).record : store.messages.addOutgoing(message)
  }

  beforeEach(async () => {
    store = new LevelStore(new MemoryLevel<string, unknown>({ valueEncoding: 'json' }) as unknown as Db)
    await store.open()
    erased = []
    const emit: Emit = (type, detail) => {
      if (type !== 'erased') return
      erased.push((detail as { id: string }).id)
      onErased?.()
    }
    disappearing = new Disappearing(store.messages, emit, defaultLogger().forComponent('test'))
  })

  afterEach(async () => {
    await disappearing.stop()
    await store.close()
  })

  it('erases at start what came due while the node was off, from history, outbox and unread', async () => {
    const due = await add('due', Date.now() - 1_000)
    const sent = await add('unsent and due', Date.now() - 1_000, 'out')
    const kept = await add('kept')
    assert.equal((await store.messages.conversation(PEER))?.unread, 2)
    await disappearing.start()
    assert.deepEqual(erased.sort(), [due.id, sent.id].sort())
    assert.deepEqual((await store.messages.list()).map(m => m.id), [kept.id])
    assert.deepEqual(await store.messages.outbox(), [])
    assert.equal(await store.messages.envelope(PEER, sent.id), undefined)
    assert.equal((await store.messages.conversation(PEER))?.unread, 1, 'an erased unread message is no longer unread')
    assert.equal(await store.messages.nextExpiry(), undefined)
  })

  it('erases a message when its time comes, the soonest first, and waits for the next', async () => {
    await disappearing.start()
    const later = await add('later', Date.now() + 60_000)
    disappearing.scheduled(later.expiresAt)
    const soon = await add('soon', Date.now() + 50)
    const gone = new Promise<void>(resolve => { onErased = resolve })
    disappearing.scheduled(soon.expiresAt)
    await gone
    assert.deepEqual(erased, [soon.id])
    assert.deepEqual((await store.messages.list()).map(m => m.text), ['later'])
    assert.equal(await store.messages.nextExpiry(), later.expiresAt)
  })
})
