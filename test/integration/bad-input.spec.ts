import assert from 'node:assert/strict'
import { writeFile, readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { pbStream } from '@libp2p/utils'
import { pEvent } from 'p-event'
import { TempDirs } from '../helpers/temp-dir.ts'
import { startNode } from '../helpers/nodes.ts'
import { createParley } from '../../src/parley.ts'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { defaultProvider } from '../../src/crypto/provider/index.ts'
import { SessionCipher } from '../../src/crypto/session/session-cipher.ts'
import { PROTOCOL, MAX_ENVELOPE_BYTES, MAX_TEXT_BYTES } from '../../src/protocols/chat/index.ts'
import { ChatAck, ChatMessage } from '../../src/protocols/chat/pb/chat.ts'
import type { Parley } from '../../src/parley.ts'
import type { PeerId, Stream } from '@libp2p/interface'
import { encodeContent } from '../../src/messenger/content.ts'

const IDLE_MS = 500

describe('bad input', function () {
  const dirs = new TempDirs()
  let a: Parley
  let b: Parley

  const thirdSessions = new Map<string, Uint8Array>()
  let thirdParty: SessionCipher
  let thirdPeer: PeerId

  before(async () => {
    a = await startNode({ dataDir: await dirs.make() })
    b = await startNode({ dataDir: await dirs.make(), chat: { idleTimeoutMs: IDLE_MS } })
    const thirdKey = await generateKeyPair('Ed25519')
    thirdPeer = peerIdFromPrivateKey(thirdKey)
    thirdParty = new SessionCipher({
      provider: defaultProvider(),
      identity: thirdKey,
      sessions: { loadSession: async peer => thirdSessions.get(peer) },
      prekeys: { signedPrekey: async () => undefined, pqPrekey: async () => undefined, oneTimePrekey: async () => undefined },
      fetchBundle: async () => b.node.services.prekeys.bundle(true)
    })
    await a.node.dial(b.addresses()[0])
    assert.equal((await a.messenger.send(b.peerId, 'before')).status, 'delivered')
  })

  after(async () => {
    await a?.stop()
    await b?.stop()
    await dirs.cleanup()
  })

  /** B still answers and still has everything it stored */
  async function assertBUnharmed (): Promise<void> {
    const sent = await a.messenger.send(b.peerId, `still there ${Math.random()}`)
    assert.equal(sent.status, 'delivered')
    const texts = (await b.messenger.history()).map(m => m.text)
    assert.equal(texts[0], 'before')
    assert.ok(texts.includes(sent.text))
  }

  async function rawStream (): Promise<Stream> {
    return a.node.dialProtocol(b.peerId, PROTOCOL)
  }

  it('drops a stream of garbage bytes and keeps running', async () => {
    const stream = await rawStream()
    stream.send(crypto.getRandomValues(new Uint8Array(4096)))
    await pEvent(stream, 'close')
    await assertBUnharmed()
  })

  it('drops a frame whose length prefix exceeds the cap without reading it', async () => {
    const stream = await rawStream()
    // varint 10 MiB, then a little data
    stream.send(Uint8Array.from([0x80, 0x80, 0x80, 0x05, 1, 2, 3]))
    await pEvent(stream, 'close')
    await assertBUnharmed()
  })

  /** An envelope from a third identity, sealed to B with a session of its own */
  async function envelopeToB (text: string, id = crypto.getRandomValues(new Uint8Array(16))): Promise<{ id: Uint8Array<ArrayBuffer>, envelope: Uint8Array<ArrayBuffer> }> {
    const envelope = await thirdParty.encrypt(b.peerId, encodeContent({ id, timestamp: BigInt(Date.now()), text, delivers: [] }), async sealed => {
      thirdSessions.set(b.peerId.toString(), sealed.sessionRecord)
    })
    return { id, envelope: envelope as Uint8Array<ArrayBuffer> }
  }

  async function sendRaw (frame: { id: Uint8Array<ArrayBuffer>, envelope: Uint8Array<ArrayBuffer> }): Promise<ChatAck> {
    const pb = pbStream(await rawStream(), { maxDataLength: 2 * MAX_ENVELOPE_BYTES })
    await pb.write(frame, ChatMessage)
    const ack = await pb.read(ChatAck)
    await pb.unwrap().close()
    return ack
  }

  it('rejects an envelope over the size limit with a reason, storing nothing', async () => {
    const before = (await b.messenger.history()).length
    const ack = await sendRaw({ id: crypto.getRandomValues(new Uint8Array(16)), envelope: new Uint8Array(MAX_ENVELOPE_BYTES + 1) })
    assert.equal(ack.status, ChatAck.Status.REJECTED)
    assert.match(ack.reason, /envelope/)
    assert.equal((await b.messenger.history()).length, before)
  })

  it('rejects a message with a malformed id', async () => {
    const ack = await sendRaw({ id: new Uint8Array(3), envelope: new Uint8Array(10) })
    assert.equal(ack.status, ChatAck.Status.REJECTED)
    assert.match(ack.reason, /16 bytes/)
  })

  it('refuses envelopes it cannot decrypt, saying so, and stores nothing', async () => {
    const before = (await b.messenger.history()).length
    const garbage = await sendRaw({ id: crypto.getRandomValues(new Uint8Array(16)), envelope: crypto.getRandomValues(new Uint8Array(600)) })
    assert.equal(garbage.status, ChatAck.Status.REJECTED)
    assert.match(garbage.reason, /cannot decrypt/)
    const real = await envelopeToB('a genuine message')
    const mismatched = await sendRaw({ ...real, id: crypto.getRandomValues(new Uint8Array(16)) })
    assert.equal(mismatched.status, ChatAck.Status.REJECTED, 'the outer id must match the encrypted one')
    assert.equal((await b.messenger.history()).length, before)
  })

  it('acks a repeated envelope once more without storing it twice', async () => {
    const frame = await envelopeToB('said twice')
    for (let i = 0; i < 2; i++) {
      assert.equal((await sendRaw(frame)).status, ChatAck.Status.OK)
    }
    const stored = (await b.messenger.history()).filter(m => m.text === 'said twice')
    assert.equal(stored.length, 1)
    assert.equal(stored[0].peer, thirdPeer.toString(), 'the sealed sender, not the connection, names the sender')
  })

  it('closes streams that are opened and never written to, and serves others meanwhile', async () => {
    const silent = await Promise.all([rawStream(), rawStream()])
    const started = Date.now()
    await assertBUnharmed()
    await Promise.all(silent.map(async s => pEvent(s, 'close')))
    assert.ok(Date.now() - started >= IDLE_MS * 0.8, 'closed by the idle timeout, not at once')
  })

  it('keeps one chat stream for consecutive messages, and recovers when the recipient closes it', async () => {
    const chatStreams = (): Stream[] => a.node.getConnections(b.peerId).flatMap(c => c.streams).filter(s => s.protocol === PROTOCOL && s.direction === 'outbound')
    for (let i = 0; i < 3; i++) assert.equal((await a.messenger.send(b.peerId, `in a row ${i}`)).status, 'delivered')
    const kept = chatStreams()
    assert.equal(kept.length, 1, 'one stream carried all three')
    await pEvent(kept[0], 'close') // B's idle timeout ends it
    assert.equal((await a.messenger.send(b.peerId, 'after the idle close')).status, 'delivered')
    assert.equal(chatStreams().length, 1)
    assert.notEqual(chatStreams()[0], kept[0], 'on a new stream')
  })

  it('refuses bad message text and bad peers with typed errors', async () => {
    await assert.rejects(a.messenger.send(b.peerId, ''), { name: 'InvalidMessageTextError' })
    await assert.rejects(a.messenger.send(b.peerId, 'y'.repeat(MAX_TEXT_BYTES + 1)), { name: 'InvalidMessageTextError' })
    await assert.rejects(a.messenger.send('not-a-peer', 'hi'), { name: 'InvalidPeerError' })
    await assert.rejects(a.messenger.send(a.peerId, 'me'), { name: 'SelfMessageError' })
  })

  it('refuses a second node on the same data directory, leaving the first running', async () => {
    await assert.rejects(startNode({ dataDir: b.dataDir! }), { name: 'DataDirLockedError' })
    await assertBUnharmed()
  })

  it('reports a damaged message database clearly and leaves its files in place', async () => {
    const dir = await dirs.make()
    const node = await startNode({ dataDir: dir })
    await node.stop()
    const dbDir = join(dir, 'messages')
    const current = (await readFile(join(dbDir, 'CURRENT'), 'utf8')).trim()
    await writeFile(join(dbDir, current), 'this is not a LevelDB manifest')
    const filesBefore = await readdir(dbDir)
    const manifestBefore = await readFile(join(dbDir, current))
    await assert.rejects(createParley({ dataDir: dir, listen: [], mdns: false, lan: true }), (err: any) => {
      assert.equal(err.name, 'StorageCorruptError')
      assert.match(err.message, /messages/)
      return true
    })
    const filesAfter = await readdir(dbDir)
    assert.ok(filesBefore.every(f => filesAfter.includes(f)), 'no database file was removed')
    assert.deepEqual(await readFile(join(dbDir, current)), manifestBefore, 'nothing was repaired or overwritten')
  })
})
