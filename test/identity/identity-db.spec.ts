import assert from 'node:assert/strict'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { MemoryLevel } from 'memory-level'
import { identityLevel, loadOrCreateIdentityIn } from '../../src/identity/identity-db.ts'

/** The browser keeps its identity in IndexedDB through browser-level; memory-level is the same abstract-level API */
describe('identity in a database (the browser\'s)', () => {
  it('creates an Ed25519 identity once, then loads the same one', async () => {
    const db = new MemoryLevel<string, unknown>({ valueEncoding: 'json' })
    const created = await loadOrCreateIdentityIn(identityLevel(db), 'test')
    assert.equal(created.created, true)
    assert.equal(created.privateKey.type, 'Ed25519')
    const again = await loadOrCreateIdentityIn(identityLevel(db), 'test')
    assert.equal(again.created, false)
    assert.ok(again.peerId.equals(created.peerId))
    assert.deepEqual(privateKeyToProtobuf(again.privateKey), privateKeyToProtobuf(created.privateKey))
  })

  it('refuses a damaged record and leaves it as it is', async () => {
    const db = new MemoryLevel<string, unknown>({ valueEncoding: 'json' })
    const level = identityLevel(db)
    const garbage = new Uint8Array([8, 1, 18, 3, 1, 2, 3])
    await level.put('identity', garbage)
    await assert.rejects(loadOrCreateIdentityIn(level, 'test'), (err: Error) => err.name === 'IdentityCorruptError' && /NOT overwritten/.test(err.message))
    assert.deepEqual(new Uint8Array((await level.get('identity'))!), garbage)
  })

  it('refuses a key whose public half does not match its private half', async () => {
    const db = new MemoryLevel<string, unknown>({ valueEncoding: 'json' })
    const level = identityLevel(db)
    const bytes = privateKeyToProtobuf(await generateKeyPair('Ed25519'))
    bytes[bytes.length - 1] ^= 1 // the last byte belongs to the stored public key
    await level.put('identity', bytes)
    await assert.rejects(loadOrCreateIdentityIn(level, 'test'), { name: 'IdentityCorruptError' })
  })

  it('refuses a key of another type', async () => {
    const db = new MemoryLevel<string, unknown>({ valueEncoding: 'json' })
    const level = identityLevel(db)
    await level.put('identity', privateKeyToProtobuf(await generateKeyPair('secp256k1')))
    await assert.rejects(loadOrCreateIdentityIn(level, 'test'), (err: Error) => err.name === 'IdentityCorruptError' && /secp256k1/.test(err.message))
  })
})
