import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { defaultLogger } from '@libp2p/logger'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { MailboxWatches } from '../../../src/protocols/mailbox/watches.ts'
import type { OpenWatch, WatchTarget } from '../../../src/protocols/mailbox/watches.ts'
import type { PeerId } from '@libp2p/interface'

/** A storer's side of watches in memory: each open one can be sent counts, and is seen ending */
class FakeStorer {
  readonly opened: string[] = []
  readonly ended: string[] = []
  readonly live = new Map<string, (count: number) => void>()
  private readonly drops = new Map<string, () => void>()
  private readonly waiters: Array<() => void> = []

  async open (target: WatchTarget): Promise<OpenWatch> {
    this.opened.push(target.id)
    const queue: number[] = []
    let wake: (() => void) | undefined
    let dropped = false
    this.live.set(target.id, count => { queue.push(count); wake?.() })
    this.drops.set(target.id, () => { dropped = true; wake?.() })
    for (const w of this.waiters.splice(0)) w()
    return {
      next: async (signal) => {
        while (queue.length === 0) {
          signal.throwIfAborted()
          if (dropped) throw new Error('the storer ended the watch')
          await new Promise<void>(resolve => {
            wake = resolve
            signal.addEventListener('abort', () => { resolve() }, { once: true })
          })
        }
        return queue.shift()!
      },
      end: () => {
        this.live.delete(target.id)
        this.ended.push(target.id)
      }
    }
  }

  /** Ends watch `id` from the storer's side (it restarted) */
  drop (id: string): void {
    this.drops.get(id)?.()
  }

  /** Resolves once `n` watches have been opened in all */
  async openedCount (n: number): Promise<void> {
    while (this.opened.length < n) await new Promise<void>(resolve => this.waiters.push(resolve))
  }
}

describe('MailboxWatches (the watches a recipient keeps)', () => {
  let storer: PeerId
  let fake: FakeStorer
  let mail: PeerId[]

  beforeEach(async () => {
    storer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    fake = new FakeStorer()
    mail = []
  })

  const watches = (renewMs = 60_000): MailboxWatches<WatchTarget> => new MailboxWatches({
    open: async (target) => fake.open(target),
    onMail: s => { mail.push(s) },
    log: defaultLogger().forComponent('test'),
    renewMs
  })

  it('opens each target once, tells of mail only for a count above zero, and ends those no longer wanted', async () => {
    const w = watches()
    const a = { id: 'a', storer }
    const b = { id: 'b', storer }
    w.keep([a, b])
    w.keep([a, b])
    await fake.openedCount(2)
    assert.deepEqual(fake.opened, ['a', 'b'])
    fake.live.get('a')!(0)
    fake.live.get('a')!(2)
    await new Promise(resolve => setImmediate(resolve))
    assert.equal(mail.length, 1)
    assert.ok(mail[0].equals(storer))
    w.keep([a])
    await new Promise(resolve => setImmediate(resolve))
    assert.deepEqual(fake.ended, ['b'])
    assert.equal(w.size, 1)
    await w.stop()
    assert.deepEqual(fake.ended, ['b', 'a'])
    w.keep([a])
    assert.equal(fake.opened.length, 2, 'nothing opens once stopped')
  })

  it('renews a watch older than renewMs at the next keep', async () => {
    const w = watches(0)
    w.keep([{ id: 'a', storer }])
    await fake.openedCount(1)
    w.keep([{ id: 'a', storer }])
    await fake.openedCount(2)
    assert.deepEqual(fake.opened, ['a', 'a'])
    await w.stop()
    assert.equal(fake.ended.length, 2)
  })

  it('opens again, on restore, a watch of the last keep that ended (its storer is back)', async () => {
    const w = watches()
    w.keep([{ id: 'a', storer }, { id: 'b', storer }])
    await fake.openedCount(2)
    w.restore()
    assert.equal(fake.opened.length, 2, 'nothing to restore while both are open')
    // the storer restarted: its side of watch a is gone
    fake.drop('a')
    while (w.size > 1) await new Promise(resolve => setImmediate(resolve))
    w.restore()
    await fake.openedCount(3)
    assert.deepEqual(fake.opened, ['a', 'b', 'a'])
    await w.stop()
  })

  it('drops a watch that failed to open, and the next keep tries again', async () => {
    let fail = true
    const w = new MailboxWatches<WatchTarget>({
      open: async (target) => { if (fail) throw new Error('refused'); return fake.open(target) },
      onMail: () => {},
      log: defaultLogger().forComponent('test')
    })
    w.keep([{ id: 'a', storer }])
    while (w.size > 0) await new Promise(resolve => setImmediate(resolve))
    fail = false
    w.keep([{ id: 'a', storer }])
    await fake.openedCount(1)
    await w.stop()
  })
})
