import assert from 'node:assert/strict'
import { pbStream } from '@libp2p/utils'
import { MAX_WATCHES_PER_KEY } from '../../../src/protocols/mailbox/constants.ts'
import { MailboxRefusedError } from '../../../src/protocols/mailbox/errors.ts'
import { epochAt, mailboxKey } from '../../../src/protocols/mailbox/keys.ts'
import { MIN_ENVELOPE_BYTES } from '../../../src/protocols/mailbox/min-envelope.ts'
import { FetchChallenge, FetchProof, MailboxNotice, MailboxRequest, StoreResponse } from '../../../src/protocols/mailbox/pb/mailbox.ts'
import { startWatch } from '../../../src/protocols/mailbox/watch-stream.ts'
import { peer, startHost } from './host-harness.ts'
import type { TestHost } from './host-harness.ts'
import type { OpenWatch } from '../../../src/protocols/mailbox/watches.ts'
import type { PeerId, PrivateKey } from '@libp2p/interface'

const random = (bytes: number): Uint8Array<ArrayBuffer> => crypto.getRandomValues(new Uint8Array(bytes))

/** A watch on `recipient`'s mailbox of `epoch` at the test host, opened from `from` (a courier) */
async function watch (test: TestHost, recipient: { key: PrivateKey, id: PeerId }, epoch: number, from?: PeerId): Promise<OpenWatch> {
  const stream = await test.open(from ?? (await peer()).id)
  return startWatch(stream, { peerId: recipient.id, privateKey: recipient.key }, test.storer, [epoch], AbortSignal.timeout(5_000))
}

async function deposit (test: TestHost, key: Uint8Array): Promise<void> {
  const response = await test.store((await peer()).id, { key: key as Uint8Array<ArrayBuffer>, envelope: random(MIN_ENVELOPE_BYTES) })
  assert.equal(response.status, StoreResponse.Status.STORED, response.reason)
}

describe('mailbox watches (the storer tells an owner online of each deposit)', function () {
  this.timeout(30_000)

  it('tells the owner what its key holds when the watch starts, then after each deposit under it, and nothing for other keys', async () => {
    const test = await startHost()
    const recipient = await peer()
    const epoch = epochAt(Date.now())
    const key = mailboxKey(recipient.id, epoch)
    await deposit(test, key)
    const open = await watch(test, recipient, epoch)
    const signal = AbortSignal.timeout(5_000)
    assert.equal(await open.next(signal), 1, 'what it held when the watch began')
    await deposit(test, mailboxKey((await peer()).id, epoch))
    await deposit(test, key)
    assert.equal(await open.next(signal), 2, 'the deposit under its key, and only that one')
    open.end()
  })

  it('refuses a watch whose proof is not by the key\'s owner', async () => {
    const test = await startHost()
    const owner = await peer()
    const impostor = await peer()
    const epoch = epochAt(Date.now())
    const pb = pbStream(await test.open(impostor.id))
    await pb.write({ watch: { recipient: owner.id.toMultihash().bytes, epochs: [epoch] } }, MailboxRequest)
    await pb.read(FetchChallenge)
    await pb.write({ signature: random(64) }, FetchProof)
    const notice = await pb.read(MailboxNotice)
    assert.match(notice.refused, /proof/)
    assert.equal(test.host.watching, 0)
  })

  it('keeps MAX_WATCHES_PER_KEY watches on one key and refuses the next; one that ends makes room', async () => {
    const test = await startHost()
    const recipient = await peer()
    const epoch = epochAt(Date.now())
    const open = await Promise.all(Array.from({ length: MAX_WATCHES_PER_KEY }, async () => watch(test, recipient, epoch)))
    await assert.rejects(watch(test, recipient, epoch), (err: Error) => err instanceof MailboxRefusedError && /too many/.test(err.message))
    open[0].end()
    await until(() => test.host.watching === MAX_WATCHES_PER_KEY - 1)
    const again = await watch(test, recipient, epoch)
    for (const w of [again, ...open.slice(1)]) w.end()
    await until(() => test.host.watching === 0)
  })

  it('ends the watch when the node stops, and a watch request of garbage leaves the host serving', async () => {
    const controller = new AbortController()
    const test = await startHost({}, controller.signal)
    const recipient = await peer()
    const epoch = epochAt(Date.now())
    const open = await watch(test, recipient, epoch)
    assert.equal(await open.next(AbortSignal.timeout(5_000)), 0)
    const garbage = pbStream(await test.open((await peer()).id))
    await garbage.write(Uint8Array.from([0x22, 0x05, 0xff, 0xff, 0xff, 0xff, 0xff]), { encode: (bytes: Uint8Array) => bytes })
    await deposit(test, mailboxKey(recipient.id, epoch))
    assert.equal(await open.next(AbortSignal.timeout(5_000)), 1)
    controller.abort()
    await assert.rejects(open.next(AbortSignal.timeout(5_000)))
    assert.equal(test.host.watching, 0)
  })
})

/** Waits for `condition` over the event loop's turns (the host's bookkeeping follows a stream's close) */
async function until (condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise(resolve => setImmediate(resolve))
  }
}
