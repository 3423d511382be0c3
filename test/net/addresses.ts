/** Address plans: public addresses on the bridge, /24 LANs behind routers */

import { MAX_PUBLIC_ADDRESSES, PUBLIC_HOSTS_PER_OCTET, PUBLIC_PREFIX } from './constants.ts'
import { AddressesExhaustedError, InvalidSubnetError } from './errors.ts'

/** The index-th public address, from 11.0.0.1 on */
export function publicIp (index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_PUBLIC_ADDRESSES) {
    throw new AddressesExhaustedError(`No public address number ${index}; the box has ${MAX_PUBLIC_ADDRESSES}`)
  }
  return `${PUBLIC_PREFIX}.${Math.floor(index / PUBLIC_HOSTS_PER_OCTET)}.${index % PUBLIC_HOSTS_PER_OCTET + 1}`
}

/** 'a.b.c.0/24' -> 'a.b.c', the prefix its hosts' addresses are built on */
export function lanPrefix (subnet: string): string {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.0\/24$/.exec(subnet)
  if (match == null || match.slice(1).some(octet => Number(octet) > 255)) {
    throw new InvalidSubnetError(`Not a /24 written as a.b.c.0/24: ${subnet}`)
  }
  return match.slice(1).join('.')
}
