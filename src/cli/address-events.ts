import type { Libp2p } from '@libp2p/interface'

/**
 * Calls `onChange` with the node's addresses each time the list differs from the one it was last
 * given (first `initial`, what the ready line printed): for `daemon --json`, whose `addresses`
 * events tell scripts when a relay reservation or an autonat-confirmed address makes the node
 * reachable.
 *
 * libp2p's `self:peer:update` alone is not enough: it fires when the node's record in the peer
 * store changes, and that record survives a restart, so a node behind a NAT that gets the same
 * relayed address as in its last run never saw the event. Listeners starting or closing (a
 * reservation made or lost) are checked too.
 */
export function onAddressChange (node: Pick<Libp2p, 'getMultiaddrs' | 'addEventListener'>, initial: string[], onChange: (addresses: string[]) => void): void {
  let last = key(initial)
  const check = (): void => {
    const addresses = node.getMultiaddrs().map(String)
    if (key(addresses) === last) return
    last = key(addresses)
    onChange(addresses)
  }
  node.addEventListener('self:peer:update', check)
  node.addEventListener('transport:listening', check)
  node.addEventListener('transport:close', check)
}

function key (addresses: string[]): string {
  return [...addresses].sort().join(' ')
}
