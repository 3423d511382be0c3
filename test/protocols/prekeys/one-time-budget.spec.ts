import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { ONE_TIME_PREKEYS_PER_REQUESTER, ONE_TIME_REQUESTS_PER_IP, ONE_TIME_REQUESTS_PER_PEER } from '../../../src/protocols/prekeys/constants.ts'
import { OneTimeBudget } from '../../../src/protocols/prekeys/one-time-budget.ts'
import type { Connection } from '@libp2p/interface'

const RELAY = '12D3KooWGzt4wPiQNPTsagv2GvKJx658ed2ReYofPjfWKx4hYjeR'

async function connection (address: string): Promise<Connection> {
  return { remotePeer: peerIdFromPrivateKey(await generateKeyPair('Ed25519')), remoteAddr: multiaddr(address) } as unknown as Connection
}

/** Asks `times` times for `conn`, each one-time prekey given then used at once; how many were allowed */
async function ask (budget: OneTimeBudget, conn: Connection, times: number, keptUnused = false): Promise<number> {
  let allowed = 0
  let id = 0
  for (let i = 0; i < times; i++) {
    if (await budget.allows(conn, async () => keptUnused)) {
      allowed++
      budget.gave(conn, ++id)
    }
  }
  return allowed
}

describe('one-time prekeys: who gets one', () => {
  it(`a peer holds at most ${ONE_TIME_PREKEYS_PER_REQUESTER} unused, and gets more as it uses them, up to its rate`, async () => {
    const budget = new OneTimeBudget()
    const hoarder = await connection('/ip4/11.0.0.5/tcp/4001')
    assert.equal(await ask(budget, hoarder, 20, true), ONE_TIME_PREKEYS_PER_REQUESTER)
    const user = await connection('/ip4/11.0.0.6/tcp/4001')
    assert.equal(await ask(budget, user, 20, false), ONE_TIME_REQUESTS_PER_PEER)
  })

  it(`one IP address gets at most ${ONE_TIME_REQUESTS_PER_IP} a window, however many identities it uses; a relay's address is not counted`, async () => {
    const budget = new OneTimeBudget()
    let fromOneIp = 0
    for (let i = 0; i < ONE_TIME_REQUESTS_PER_IP * 2; i++) fromOneIp += await ask(budget, await connection('/ip4/11.0.0.7/tcp/4001'), 1)
    assert.equal(fromOneIp, ONE_TIME_REQUESTS_PER_IP)
    assert.equal(await ask(budget, await connection('/ip4/11.0.0.8/tcp/4001'), 1), 1, 'another address is not held back')
    let relayed = 0
    for (let i = 0; i < ONE_TIME_REQUESTS_PER_IP * 2; i++) relayed += await ask(budget, await connection(`/ip4/11.0.0.1/tcp/4001/p2p/${RELAY}/p2p-circuit`), 1)
    assert.equal(relayed, ONE_TIME_REQUESTS_PER_IP * 2, 'peers behind one relay are not one IP')
  })
})
