/** How much each bench does, for a full run and for `--quick` */
export interface BenchConfig {
  quick: boolean
  /** Payload of one request/response round trip (bytes) */
  messageBytes: number
  rttWarmup: number
  rttIterations: number
  /** New-stream round trips cost more (stream open, protocol negotiation), so fewer */
  newStreamWarmup: number
  newStreamIterations: number
  dialWarmup: number
  dialIterations: number
  /** Bytes sent in the one-connection / one-stream throughput runs */
  bulkBytes: number
  chunkBytes: number
  /** Write size of the tuned libp2p runs: one file chunk, as the file protocol sends them */
  fileChunkBytes: number
  /** One file transfer of this size for the peak-RSS figures (0: none) */
  bigFileBytes: number
  /** Each throughput figure is the median of this many runs (load from elsewhere moves them most) */
  throughputRuns: number
  chatWarmup: number
  chatIterations: number
  /** Messages sent in the sustained chat throughput runs */
  chatBulkMessages: number
  chatConcurrency: number
  /** First messages of a new E2E session (PQXDH), crypto alone */
  sessionStarts: number
  startupSamples: number
  firstContactSamples: number
  /** Per cold scenario that does not stall (`cold-far`, `cold-near-lookup`) */
  firstContactColdSamples: number
  /** `cold-near` samples, each of which pays a ~5 s stall (none in --quick) */
  firstContactStallSamples: number
  /** How long a node runs before its memory is read */
  settleMs: number
  extraNodes: number
  connections: number
}

export const FULL: BenchConfig = {
  quick: false,
  messageBytes: 64,
  rttWarmup: 500,
  rttIterations: 2_000,
  newStreamWarmup: 100,
  newStreamIterations: 1_000,
  dialWarmup: 5,
  dialIterations: 50,
  bulkBytes: 256 * 1_048_576,
  chunkBytes: 64 * 1_024,
  fileChunkBytes: 256 * 1_024,
  bigFileBytes: 4 * 1_073_741_824,
  throughputRuns: 3,
  chatWarmup: 200,
  chatIterations: 2_000,
  chatBulkMessages: 2_000,
  chatConcurrency: 8,
  sessionStarts: 200,
  startupSamples: 5,
  firstContactSamples: 5,
  firstContactColdSamples: 3,
  firstContactStallSamples: 3,
  settleMs: 5_000,
  extraNodes: 20,
  connections: 40
}

export const QUICK: BenchConfig = {
  quick: true,
  messageBytes: 64,
  rttWarmup: 50,
  rttIterations: 200,
  newStreamWarmup: 10,
  newStreamIterations: 100,
  dialWarmup: 1,
  dialIterations: 5,
  bulkBytes: 16 * 1_048_576,
  chunkBytes: 64 * 1_024,
  fileChunkBytes: 256 * 1_024,
  bigFileBytes: 0,
  throughputRuns: 1,
  chatWarmup: 10,
  chatIterations: 100,
  chatBulkMessages: 100,
  chatConcurrency: 8,
  sessionStarts: 10,
  startupSamples: 1,
  firstContactSamples: 1,
  firstContactColdSamples: 1,
  firstContactStallSamples: 0,
  settleMs: 500,
  extraNodes: 2,
  connections: 4
}

/** Named figures; every value is a number, units in the name */
export type Figures = Record<string, number>
