/** Parsing `conntrack -L` output into flows, so tests can ask which way a connection really went */

/** One direction of a tracked connection, as the kernel saw its headers */
export interface FlowTuple {
  src: string
  dst: string
  /** TCP/UDP only */
  sport?: number
  dport?: number
  /** Counted because the harness enables nf_conntrack_acct in every namespace */
  packets: number
  bytes: number
}

export interface Flow {
  /** 'tcp', 'udp', 'icmp', ... */
  proto: string
  /** Seconds until the entry expires */
  timeoutS: number
  /** TCP state ('SYN_SENT', 'ESTABLISHED', 'TIME_WAIT', ...); undefined for other protocols */
  state?: string
  /** The first packet's direction. Behind a NAT, `reply.dst`/`reply.dport` is the mapped address. */
  original: FlowTuple
  reply: FlowTuple
  /** Nothing came back yet */
  unreplied: boolean
  /** Seen in both directions enough for the kernel to keep it under pressure */
  assured: boolean
}

/** Parses the default (non-extended) text output of `conntrack -L`, one entry per line */
export function parseConntrack (text: string): Flow[] {
  const flows: Flow[] = []
  for (const line of text.split('\n')) {
    const flow = parseLine(line.trim())
    if (flow != null) flows.push(flow)
  }
  return flows
}

function parseLine (line: string): Flow | undefined {
  const tokens = line.split(/\s+/)
  // "<proto> <proto number> <timeout> [state] key=value ... [FLAGS]"
  if (tokens.length < 4 || !/^\d+$/.test(tokens[1]) || !/^\d+$/.test(tokens[2])) return undefined
  const tuples: Array<Record<string, string>> = []
  let state: string | undefined
  const flags = new Set<string>()
  for (const token of tokens.slice(3)) {
    const eq = token.indexOf('=')
    if (eq < 0) {
      if (token.startsWith('[')) flags.add(token.slice(1, -1))
      else state = token
      continue
    }
    const key = token.slice(0, eq)
    // `src` opens a direction: the first is the original, the second the reply
    if (key === 'src') tuples.push({})
    const current = tuples.at(-1)
    if (current != null && tuples.length <= 2 && !(key in current)) current[key] = token.slice(eq + 1)
  }
  if (tuples.length !== 2) return undefined
  return {
    proto: tokens[0],
    timeoutS: Number(tokens[2]),
    state,
    original: toTuple(tuples[0]),
    reply: toTuple(tuples[1]),
    unreplied: flags.has('UNREPLIED'),
    assured: flags.has('ASSURED')
  }
}

function toTuple (fields: Record<string, string>): FlowTuple {
  const tuple: FlowTuple = {
    src: fields.src,
    dst: fields.dst,
    packets: Number(fields.packets ?? 0),
    bytes: Number(fields.bytes ?? 0)
  }
  if (fields.sport != null) tuple.sport = Number(fields.sport)
  if (fields.dport != null) tuple.dport = Number(fields.dport)
  return tuple
}
