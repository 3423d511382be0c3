/** Defaults of the network-namespace harness, in one place */

/**
 * Every namespace the harness makes is named `<prefix><pid>-<box>-<role>`, so a later run can
 * tell its own leftovers (a creator pid that is gone) from a live run's namespaces
 */
export const NAMESPACE_PREFIX = 'pl'

/**
 * The "internet": one bridge, one L2 segment, so no gateway is needed. 11/8 is outside every
 * range @libp2p/utils calls private (RFC 1918, CGNAT, benchmarking, TEST-NETs), so libp2p
 * treats these addresses as public, which is the point of the box.
 */
export const PUBLIC_PREFIX = '11.0'
export const PUBLIC_PREFIX_LENGTH = 16
/** Host numbers 1..254 in each /24 of the /16, skipping .0 and .255 that look like network/broadcast */
export const PUBLIC_HOSTS_PER_OCTET = 254
export const MAX_PUBLIC_ADDRESSES = 256 * PUBLIC_HOSTS_PER_OCTET

/** Behind a NAT: 192.168.<n>.0/24, router .1, host .2; n counts routers from 1 unless given */
export const DEFAULT_LAN_PREFIX = '192.168'
export const ROUTER_LAN_HOST = 1
export const NATTED_HOST_LAN_HOST = 2

/** Interface names (the kernel limit is 15 characters) */
export const BRIDGE_IFNAME = 'br0'
export const HOST_IFNAME = 'eth0'
export const WAN_IFNAME = 'wan'
export const LAN_IFNAME = 'lan'
/** A bridge port in the internet namespace is this plus the host's name */
export const PORT_IFNAME_PREFIX = 'p-'

/**
 * Host names become part of namespace and interface names; 12 characters keep a bridge port's
 * name within the kernel's 15
 */
export const HOST_NAME_PATTERN = /^[a-z][a-z0-9]{0,11}$/
export const INTERNET_ROLE = 'inet'
export const ROUTER_ROLE_SUFFIX = '-nat'

/** How long a full-cone NAT keeps a port open after the inside host last sent from it */
export const FULL_CONE_MAPPING_TIMEOUT_S = 120

/** One `ip`/`nft`/`sysctl` call of the harness itself */
export const COMMAND_TIMEOUT_MS = 10_000
/** `host.exec()` when the caller gives no signal */
export const EXEC_TIMEOUT_MS = 60_000
/** After SIGKILL, how long destroy() waits for a spawned process to be reaped */
export const KILL_WAIT_MS = 5_000
