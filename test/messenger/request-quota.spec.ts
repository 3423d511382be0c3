import assert from 'node:assert/strict'
import { join } from 'node:path'
import { defaultLogger } from '@libp2p/logger'
import { RequestQuota } from '../../src/messenger/request-quota.ts'
import { LevelStore } from '../../src/storage/level-store.ts'
import { TempDirs } from '../helpers/temp-dir.ts'
import type { NewMessage, TransferRecord } from '../../src/storage/types.ts'

const PEER = '12D3KooWSTRANGER'

const incoming = (text: string, extra: Partial<NewMessage> = {}): NewMessage => ({
  id: crypto.randomUUID().replaceAll('-', ''), peer: PEER, direction: 'in', text, timestamp: 1, status: 'delivered', ...extra
})

describe('request quota (on a real LevelStore)', () => {
  const dirs = new TempDirs()
  let store: LevelStore
  let quota: RequestQuota

  beforeEach(async () => {
    store = new LevelStore(join(await dirs.make(), 'messages'))
    await store.open()
    quota = new RequestQuota(store, defaultLogger().forComponent('test'), { maxMessagesPerStranger: 2 })
  })
  afterEach(async () => { await store.close() })
  after(async () => { await dirs.cleanup() })

  it('drops only messages since this node last wrote to the peer: the history before stays', async () => {
    await store.messages.addIncoming(incoming('before'))
    await store.messages.addOutgoing({ ...incoming('our reply'), direction: 'out', status: 'delivered' })
    let last
    for (const text of ['one', 'two', 'three']) {
      last = (await store.messages.addIncoming(incoming(text), { also: [store.contacts.requestWrite({ peerId: PEER, at: Date.now() })] })).record
      await quota.added(last)
    }
    assert.deepEqual((await store.messages.list({ conversation: PEER })).map(m => m.text), ['before', 'our reply', 'two', 'three'])
  })

  it('drops a file offer\'s transfer record with the message that offered it', async () => {
    const transfer = { id: 'ab'.repeat(16), peer: PEER, direction: 'in', name: 'a.txt', size: 1, type: 'text/plain', state: 'offered', createdAt: 1 } as unknown as TransferRecord
    const offer = incoming('offer', { file: { id: transfer.id, name: 'a.txt', size: 1, type: 'text/plain' } })
    await store.messages.addIncoming(offer, { also: [store.files.putWrite(transfer)] })
    for (const text of ['one', 'two']) await quota.added((await store.messages.addIncoming(incoming(text))).record)
    assert.equal(await store.files.get(transfer.id), undefined)
    assert.deepEqual((await store.messages.list({ conversation: PEER })).map(m => m.text), ['one', 'two'])
  })
})
