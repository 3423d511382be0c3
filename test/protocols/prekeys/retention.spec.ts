import assert from 'node:assert/strict'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { defaultLogger } from '@libp2p/logger'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { defaultProvider } from '../../../src/crypto/provider/index.ts'
import { prekeys } from '../../../src/protocols/prekeys/index.ts'
import { RETENTION_MS, ROTATION_INTERVAL_MS } from '../../../src/protocols/prekeys/constants.ts'
import { LevelStore } from '../../../src/storage/level-store.ts'
import { TempDirs } from '../../helpers/temp-dir.ts'

const DAY = 24 * 60 * 60 * 1_000
const provider = defaultProvider()

describe('signed prekeys kept after their replacement', () => {
  const dirs = new TempDirs()
  after(async () => { await dirs.cleanup() })

  it(`keeps a replaced signed or ML-KEM prekey for ${RETENTION_MS / DAY} days after it was replaced, not after it was made`, async () => {
    // a prekey made 35 days ago and replaced 25 days ago still opens messages sealed to it
    // just before its replacement, which may wait in a mailbox for 14 days
    const store = new LevelStore(join(await dirs.make(), 'messages'))
    await store.open()
    const now = Date.now()
    const made = { p1: now - 50 * DAY, p2: now - 35 * DAY, p3: now - 25 * DAY, p4: now - ROTATION_INTERVAL_MS - DAY }
    for (const [i, createdAt] of Object.values(made).entries()) {
      await store.keys.putPrekey('signed', { id: i + 1, ...await provider.x25519GenerateKeyPair(), createdAt, signature: new Uint8Array(64) })
      await store.keys.putPrekey('pq', { id: i + 101, ...await provider.mlKem768GenerateKeyPair(), createdAt, signature: new Uint8Array(64) })
    }
    await store.keys.setCurrentPrekeys({ signed: 4, pq: 104 })

    const privateKey = await generateKeyPair('Ed25519')
    const service = prekeys({ store: store.keys, provider })({
      peerId: peerIdFromPrivateKey(privateKey),
      privateKey,
      registrar: { handle: async () => {}, unhandle: async () => {} } as any,
      connectionManager: {} as any,
      contentRouting: {} as any,
      logger: defaultLogger()
    })
    // p4 is due for rotation: start makes p5 and drops what was replaced too long ago
    await service.start()
    await service.stop()

    const ids = (await store.keys.prekeys('signed')).map(p => p.id)
    assert.deepEqual(ids.slice(0, 3), [2, 3, 4], 'p1 (replaced 35 days ago) dropped; p2 (replaced 25 days ago) kept')
    assert.equal(ids.length, 4, 'and the new one')
    assert.deepEqual((await store.keys.prekeys('pq')).map(p => p.id).slice(0, 3), [102, 103, 104])
    await store.close()
  })
})
