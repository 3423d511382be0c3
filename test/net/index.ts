/**
 * A test harness that builds "the internet in a box" from Linux network namespaces (needs root,
 * iproute2, nftables, conntrack and util-linux's setpriv):
 *
 *   const net = await InternetBox.create()
 *   const relay = await net.addPublicHost('relay')                      // 11.0.0.1
 *   const alice = await net.addNattedHost('alice', { nat: 'symmetric' }) // 192.168.1.2 behind 11.0.0.2
 *   const daemon = alice.spawn(process.execPath, [PARLEY_BIN, 'daemon'])
 *   const flows = await alice.router.flows()                            // direct, or via the relay?
 *   await net.destroy()
 */

export { InternetBox } from './internet-box.ts'
export type { InternetBoxInit, NattedHostInit } from './internet-box.ts'
export { Host, NattedHost, Router } from './hosts.ts'
export { Namespace } from './namespace.ts'
export type { NamespaceInit } from './namespace.ts'
export { NAT_KINDS } from './nft-rules.ts'
export type { NatKind } from './nft-rules.ts'
export type { Flow, FlowTuple } from './conntrack.ts'
export type { CollectOptions as ExecOptions, ExecResult } from './command.ts'
export * from './errors.ts'
export { NAMESPACE_PREFIX, PUBLIC_PREFIX, PUBLIC_PREFIX_LENGTH } from './constants.ts'
