import assert from 'node:assert/strict'
import { gatedNetLookup } from '../../src/node/gated-lookup.ts'
import type { LookupHost } from '../../src/node/host-lookup.ts'

/** Calls the lookup as net.connect does, and gives what it answered */
async function ask (lookup: ReturnType<typeof gatedNetLookup>, name: string, all: boolean): Promise<unknown> {
  return new Promise((resolve, reject) => {
    lookup(name, { all }, (err, address, family) => {
      if (err != null) reject(err)
      else resolve(all ? address : [address, family])
    })
  })
}

describe('the TCP transport\'s resolver outside LAN mode', () => {
  const answers: Record<string, string[]> = {
    'public.parley.test': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
    'mixed.parley.test': ['93.184.216.34', '10.0.0.1'],
    'v6-loopback.parley.test': ['::1']
  }
  const lookupHost: LookupHost = async (name) => {
    const found = answers[name]
    if (found == null) throw new Error(`getaddrinfo ENOTFOUND ${name}`)
    return found
  }
  const lookup = gatedNetLookup(lookupHost)

  it('answers public names in both of net.connect\'s shapes', async () => {
    assert.deepEqual(await ask(lookup, 'public.parley.test', true), [
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 }
    ])
    assert.deepEqual(await ask(lookup, 'public.parley.test', false), ['93.184.216.34', 4])
  })

  it('refuses a name with any local answer, or none', async () => {
    for (const name of ['mixed.parley.test', 'v6-loopback.parley.test', 'nowhere.parley.test']) {
      await assert.rejects(ask(lookup, name, true), Error, name)
    }
  })

  it('refuses a resolver that does not answer in time', async () => {
    const slow = gatedNetLookup(async () => new Promise<string[]>(() => {}), 50)
    await assert.rejects(ask(slow, 'public.parley.test', true))
  })
})
