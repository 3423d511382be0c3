/**
 * `--netns`: the simnet on an internet in a box (test/net) instead of 127.0.0.1. The bootstrap
 * nodes' worker runs on a public host; each user worker on a host of its own, on a public address
 * or behind a NAT router of the kind `--nat` gives it. The nodes then meet what users meet on the
 * internet: public addresses, NATs, relays, a connection gater that refuses private addresses.
 */

import { INBOUND_CONNECTIONS_PER_IP_PER_S } from '../../src/node/constants.ts'
import { InternetBox, NAT_KINDS } from '../../test/net/index.ts'
import type { WhatIf } from './what-if/what-if.ts'
import type { Host, NatKind } from '../../test/net/index.ts'

/** What a user worker's host sits behind: nothing (a public address) or a NAT router */
export type Reach = 'public' | NatKind

const REACHES: readonly Reach[] = ['public', ...NAT_KINDS]

/** `--nat`'s default: the common home router first, the hardest NAT next, then the easiest */
export const DEFAULT_REACHES: readonly Reach[] = ['public', 'port-restricted', 'symmetric', 'full-cone']

export interface SimInternet {
  /** The bootstrap nodes' worker's host, then one per user worker */
  readonly hosts: Host[]
  /** One line per worker, for the report */
  readonly layout: string[]
  /** Kills what runs in the namespaces and deletes them all; idempotent */
  destroy(): Promise<void>
}

/** `--nat`'s comma-separated list; a RangeError names what it does not know */
export function parseReaches (text: string): Reach[] {
  const reaches = text.split(',').map(r => r.trim()).filter(r => r !== '')
  for (const reach of reaches) {
    if (!(REACHES as readonly string[]).includes(reach)) throw new RangeError(`--nat: unknown ${reach}; choose from ${REACHES.join(', ')}`)
  }
  if (reaches.length === 0) throw new RangeError('--nat needs at least one of ' + REACHES.join(', '))
  return reaches as Reach[]
}

/**
 * Builds the box: a public host for the bootstrap nodes and `userWorkers` more, the i-th behind
 * `reaches[i % reaches.length]`. Needs root. Leaves nothing behind when it fails.
 */
export async function buildInternet (userWorkers: number, reaches: readonly Reach[]): Promise<SimInternet> {
  const box = await InternetBox.create()
  try {
    const boot = await box.addPublicHost('boot')
    const hosts: Host[] = [boot]
    const layout = [`worker 0 (bootstrap nodes): public ${boot.ip}`]
    for (let i = 1; i <= userWorkers; i++) {
      const reach = reaches[(i - 1) % reaches.length]
      const name = `w${i}`
      const host = reach === 'public' ? await box.addPublicHost(name) : await box.addNattedHost(name, { nat: reach })
      hosts.push(host)
      layout.push(`worker ${i}: ${reach === 'public' ? `public ${host.ip}` : `${host.ip} behind a ${reach} NAT at ${host.publicIp}`}`)
    }
    return { hosts, layout, destroy: async () => box.destroy() }
  } catch (err) {
    await box.destroy()
    throw err
  }
}

/**
 * A worker's nodes share its one address, as users behind a carrier-grade NAT do, but far more
 * of them join and dial at once than real users would. Parley's per-IP limits then bind: the
 * report says so unless --what-if lifts them.
 */
export function sharedAddressNote (usersPerWorker: number, whatIf: WhatIf | undefined): string | undefined {
  if (whatIf?.inboundConnectionsPerIpPerS != null) return undefined
  return `--netns: each user worker's ~${usersPerWorker} nodes share one IP address. Parley accepts ${INBOUND_CONNECTIONS_PER_IP_PER_S} new inbound ` +
    'connections per second from one IP and counts every connection relayed to a NATted node against the relay\'s IP; ' +
    'gossipsub graylists peers that share an IP. With many nodes per worker, joins and relayed dials are refused ' +
    '(and redialled) and gossip can fail entirely: --what-if \'{"inboundConnectionsPerIpPerS":1000,"gossipIpColocationWeight":0}\' ' +
    'measures without these limits'
}
