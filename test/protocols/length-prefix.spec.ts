import assert from 'node:assert/strict'
import { pbStream, streamPair } from '@libp2p/utils'
import { framing } from '../../src/protocols/length-prefix.ts'
import { ChatAck } from '../../src/protocols/chat/pb/chat.ts'
import { TestNetwork } from '../helpers/nodes.ts'
import { TempDirs } from '../helpers/temp-dir.ts'
import { PROTOCOL as CHAT } from '../../src/protocols/chat/index.ts'
import { PROTOCOL as PREKEYS } from '../../src/protocols/prekeys/constants.ts'
import { HOST_DHT_PROTOCOL, NOTICE_PROTOCOL, PROTOCOL as MAILBOX } from '../../src/protocols/mailbox/constants.ts'
import { DHT_PROTOCOL } from '../../src/node/constants.ts'

/** A length prefix that never ends: every byte says "more follows" */
const ENDLESS = new Uint8Array(256 * 1_024).fill(0x80)

describe('length prefixes that never end', function () {
  this.timeout(60_000)

  it('are refused as soon as they are longer than a frame under the cap needs', async () => {
    const [outbound, inbound] = await streamPair()
    outbound.send(ENDLESS)
    const read = pbStream(inbound, framing(1_024)).read(ChatAck, { signal: AbortSignal.timeout(5_000) })
    await assert.rejects(read, { name: 'InvalidLengthPrefixError' })
    // a prefix under the cap still reads
    const [a, b] = await streamPair()
    await pbStream(a, framing(1_024)).write({ id: new Uint8Array(16), status: ChatAck.Status.OK, reason: 'x'.repeat(500), newSession: false }, ChatAck)
    assert.equal((await pbStream(b, framing(1_024)).read(ChatAck)).reason.length, 500)
  })

  describe('sent to a real node', () => {
    const dirs = new TempDirs()
    const net = new TestNetwork()
    // the relay hosts mail, so it answers the mailbox protocol
    before(async () => { await net.startRelay(await dirs.make(), true) })
    after(async () => {
      await net.stopAll()
      await dirs.cleanup()
    })

    // the DHTs are kad-dht's, which reads frames of any length: their streams are guarded
    // (src/protocols/frames); both serve on the relay
    const servedByRelay = new Set([MAILBOX, DHT_PROTOCOL, HOST_DHT_PROTOCOL])
    for (const protocol of [CHAT, PREKEYS, MAILBOX, NOTICE_PROTOCOL, DHT_PROTOCOL, HOST_DHT_PROTOCOL]) {
      it(`${protocol}: the node drops the stream at once, not after its idle timeout`, async () => {
        // before, the handler swallowed 2 MiB of it and waited for the varint to end until its
        // own timeout (10 to 30 s), holding CPU and memory
        // a storer answers the mailbox protocol, any user the notice protocol
        const victim = servedByRelay.has(protocol) ? net.relay : await net.start(await dirs.make())
        const attacker = await net.start(await dirs.make())
        const stream = await attacker.node.dialProtocol(victim.peerId, protocol)
        const closed = new Promise<void>(resolve => { stream.addEventListener('close', () => { resolve() }, { once: true }) })
        stream.send(ENDLESS)
        const started = Date.now()
        await closed
        assert.ok(Date.now() - started < 5_000, `closed after ${Date.now() - started} ms`)
      })
    }
  })
})
