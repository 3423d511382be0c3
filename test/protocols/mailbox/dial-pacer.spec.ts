import assert from 'node:assert/strict'
import { DialPacer } from '../../../src/protocols/mailbox/dial-pacer.ts'

describe('the pacing of courier connections to one storer', () => {
  it('one handshake at a time, a burst of perSecond, then perSecond a second; other peers are not held up', async () => {
    const pacer = new DialPacer({ concurrent: 1, perSecond: 4 })
    const started: number[] = []
    const t0 = Date.now()
    const dial = async (peer: string): Promise<void> => {
      const done = await pacer.turn(peer)
      started.push(Date.now() - t0)
      await new Promise(resolve => setImmediate(resolve))
      done()
    }
    const other = pacer.turn('other')
    await Promise.all(Array.from({ length: 8 }, async () => dial('storer')))
    // the first four at once (one after another), the next four at 250 ms steps
    assert.ok(started.slice(0, 4).every(ms => ms < 150), `burst: ${started.join(', ')}`)
    for (let i = 4; i < 8; i++) assert.ok(started[i] >= (i - 3) * 250 - 20, `dial ${i} at ${started[i]} ms`)
    ;(await other)()
  })

  it('no two handshakes to one peer overlap', async () => {
    const pacer = new DialPacer({ concurrent: 1, perSecond: 100 })
    let running = 0
    let most = 0
    await Promise.all(Array.from({ length: 10 }, async () => {
      const done = await pacer.turn('storer')
      most = Math.max(most, ++running)
      await new Promise(resolve => setImmediate(resolve))
      running--
      done()
    }))
    assert.equal(most, 1)
  })

  it('a wait given up on leaves the line, and the others still get their turn', async () => {
    const pacer = new DialPacer({ concurrent: 1, perSecond: 100 })
    const first = await pacer.turn('storer')
    const controller = new AbortController()
    const givenUp = pacer.turn('storer', { signal: controller.signal })
    const next = pacer.turn('storer')
    controller.abort()
    await assert.rejects(givenUp)
    first()
    ;(await next)()
  })
})
