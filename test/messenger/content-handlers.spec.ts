import assert from 'node:assert/strict'
import { ContentHandlers, recordKind } from '../../src/messenger/content-handlers.ts'
import type { MessageRecord } from '../../src/storage/types.ts'

const record = (fields: Partial<MessageRecord> = {}): MessageRecord => ({ id: '00'.repeat(16), conversation: 'p', peer: 'p', direction: 'out', text: 'hi', timestamp: 1, status: 'sending', seq: 1, ...fields })

describe('ContentHandlers', () => {
  it('refuses a second handler for a kind', () => {
    const handlers = new ContentHandlers()
    handlers.register('text', { take: async () => {} })
    assert.throws(() => { handlers.register('text', { take: async () => {} }) }, { name: 'ContentKindTakenError' })
  })

  it('gives a kind nobody handles to the unsupported handler', () => {
    const handlers = new ContentHandlers()
    const unsupported = { take: async () => {} }
    handlers.register('unsupported', unsupported)
    assert.equal(handlers.forIncoming('reaction'), unsupported)
  })

  it('asks the handler of a record\'s kind for its fields, and refuses a kind nobody sends', async () => {
    const handlers = new ContentHandlers()
    handlers.register('text', { take: async () => {}, fieldsOf: async r => ({ text: r.text }) })
    assert.deepEqual(await handlers.fieldsOf(record()), { text: 'hi' })
    await assert.rejects(handlers.fieldsOf(record({ kind: 'receipt', delivers: [] })), { name: 'NoContentHandlerError' })
  })

  it('knows a record\'s kind from what it holds', () => {
    assert.equal(recordKind(record()), 'text')
    assert.equal(recordKind(record({ text: '', file: { id: 'f', name: 'n', size: 1, type: '' } })), 'file')
    assert.equal(recordKind(record({ kind: 'receipt' })), 'receipt')
    assert.equal(recordKind(record({ kind: 'file-status' })), 'file-status')
  })
})
