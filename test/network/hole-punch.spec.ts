import assert from 'node:assert/strict'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { logger } from '@libp2p/logger'
import { TempDirs } from '../helpers/temp-dir.ts'
import { InternetBox } from '../net/index.ts'
import { HolePunchCast, PAIRS, pairName } from './hole-punch.ts'
import type { NatKind } from '../net/index.ts'

const log = logger('parley:test:hole-punch')

/**
 * Attempts per NAT pair. The figures in docs/NETWORK.md come from a larger run of the same code
 * (scripts/hole-punch.ts); PARLEY_HOLE_PUNCH_RUNS raises it here too.
 */
const RUNS = Number(process.env.PARLEY_HOLE_PUNCH_RUNS ?? 1)

/**
 * Hole punching between two users behind NATs, on an internet in a box (test/net; needs root):
 * a public relay R answering STUN, and for each pair of NAT kinds a user A behind one and a user
 * B behind the other, each a `parley daemon` with default flags in its own namespace. A writes to
 * B for the first time; libp2p dials B's `/p2p-circuit/webrtc` address, WebRTC signals through R
 * and ICE, knowing each side's NAT-mapped address from R's STUN server, punches through.
 *
 * Where the NATs allow it (an endpoint-independent mapping on at least one side, and an
 * endpoint-independent filter on the side facing a symmetric NAT), A and B must end up on a
 * direct connection: A's router shows a UDP flow with the other router's WAN address carrying
 * packets both ways, and chat works with R stopped. Where they do not (symmetric against
 * port-restricted or symmetric), chat goes through R and no packet passes between the routers.
 */
describe('hole punching between users behind NATs, with their relay as STUN server', function () {
  this.timeout(RUNS * PAIRS.length * 90_000 + 120_000)
  const dirs = new TempDirs()
  let net: InternetBox
  let cast: HolePunchCast

  before(async function () {
    if (process.getuid?.() !== 0) this.skip()
    net = await InternetBox.create()
    cast = await HolePunchCast.create(net, dirs, { NODE_COMPILE_CACHE: join(tmpdir(), 'parley-test-compile-cache'), DEBUG: process.env.DEBUG ?? '' })
  })

  after(async () => {
    await cast?.stop()
    await net?.destroy()
    await dirs.cleanup()
  })

  for (const [kindA, kindB, direct] of PAIRS) {
    it(`${pairName(kindA, kindB)}: ${direct ? 'a direct connection, proven on the wire, and chat without the relay' : 'stays relayed, and chat works'}`, async () => {
      const times: number[] = []
      for (let run = 1; run <= RUNS; run++) {
        const result = await cast.attempt(kindA as NatKind, kindB as NatKind)
        log('%s run %d: %o', pairName(kindA, kindB), run, result)
        // the first message too: B is online, reachable through R (the cast waits until R can name B's relayed address)
        assert.equal(result.firstMessage, 'delivered', `run ${run}: A's first message to B (${JSON.stringify(result)})`)
        assert.equal(result.secondMessage, 'delivered', `run ${run}: chat between A and B (${JSON.stringify(result)})`)
        assert.equal(result.direct, direct, `run ${run}: ${direct ? 'no' : 'a'} UDP flow between the routers (${JSON.stringify(result)})`)
        if (direct) {
          assert.deepEqual(result.withoutRelay, ['delivered', 'delivered'], `run ${run}: chat both ways with R stopped`)
          times.push(result.msToDirect ?? NaN)
        }
      }
      if (times.length > 0) log('%s: ms to direct %o', pairName(kindA, kindB), times)
    })
  }
})
