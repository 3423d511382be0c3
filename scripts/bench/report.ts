/** Ratios to the baselines of the same run, and the printed table */
import { round } from './stats.ts'
import type { Figures } from './config.ts'
import type { Machine } from './machine.ts'

interface Ratio {
  key: string
  of: string
  to: string
  /** Shown in the table */
  describe: string
  /** When the ratio is not simply `of / to` */
  compute?: (f: Figures) => number | undefined
}

/** Every performance claim as a ratio to a baseline measured in the same run */
export const RATIOS: Ratio[] = [
  { key: 'libp2p_rtt_ratio', of: 'libp2p_rtt_us', to: 'tcp_rtt_us', describe: 'bare libp2p RTT / raw TCP RTT' },
  { key: 'libp2p_new_stream_ratio', of: 'libp2p_new_stream_rtt_us', to: 'libp2p_rtt_us', describe: 'new stream + RTT / RTT on an open stream' },
  { key: 'libp2p_new_stream_disk_peerstore_ratio', of: 'libp2p_new_stream_disk_peerstore_rtt_us', to: 'libp2p_new_stream_rtt_us', describe: 'new stream with on-disk peer stores / in memory' },
  { key: 'libp2p_MiBps_ratio', of: 'libp2p_MiBps', to: 'tcp_MiBps', describe: 'libp2p throughput / raw TCP throughput' },
  { key: 'libp2p_tuned_MiBps_ratio', of: 'libp2p_tuned_MiBps', to: 'tcp_MiBps', describe: 'tuned libp2p (file settings) / raw TCP throughput (target >= 0.35)' },
  { key: 'libp2p_2proc_MiBps_ratio', of: 'libp2p_2proc_MiBps', to: 'tcp_2proc_MiBps', describe: 'same as libp2p_MiBps_ratio, each end in its own process' },
  { key: 'libp2p_tuned_2proc_MiBps_ratio', of: 'libp2p_tuned_2proc_MiBps', to: 'tcp_2proc_MiBps', describe: 'same as libp2p_tuned_MiBps_ratio, each end in its own process' },
  { key: 'file_ratio_tcp', of: 'file_MiBps', to: 'tcp_2proc_MiBps', describe: 'parley file transfer / raw TCP, two processes each (target >= 0.35)' },
  { key: 'file_ratio_libp2p', of: 'file_MiBps', to: 'libp2p_2proc_MiBps', describe: 'parley file transfer / bare libp2p stream (default Noise), two processes each' },
  { key: 'libp2p_tuned_2proc_cpu_ratio', of: 'tcp_2proc_cpu_us_per_MiB', to: 'libp2p_tuned_2proc_cpu_us_per_MiB', describe: 'raw TCP CPU per MiB / tuned libp2p CPU per MiB, both processes (the CPU twin of the throughput ratio)' },
  { key: 'file_cpu_ratio_tcp', of: 'tcp_2proc_cpu_us_per_MiB', to: 'file_cpu_us_per_MiB', describe: 'raw TCP CPU per MiB / parley file transfer CPU per MiB, both processes' },
  { key: 'file_cpu_ratio_libp2p', of: 'libp2p_tuned_2proc_cpu_us_per_MiB', to: 'file_cpu_us_per_MiB', describe: 'tuned libp2p stream CPU per MiB / parley file transfer CPU per MiB, both processes' },
  { key: 'file_ratio_libp2p_tuned', of: 'file_MiBps', to: 'libp2p_tuned_2proc_MiBps', describe: 'parley file transfer / bare libp2p stream with the same Noise crypto and 256 KiB writes, two processes each' },
  { key: 'file_big_ratio', of: 'file_big_MiBps', to: 'file_MiBps', describe: 'throughput of the big file / of the bulk-size file' },
  { key: 'chat_rtt_ratio', of: 'chat_rtt_us', to: 'libp2p_rtt_us', describe: 'chat send→delivered / bare libp2p RTT (target <= 2)' },
  { key: 'group_send_all_ratio', of: 'group_send_all_us', to: 'chat_rtt_us', describe: 'group send→stored by all 9 other members of a 10-member group / a 1:1 chat send→delivered' },
  { key: 'call_setup_ratio', of: 'call_setup_ms', to: 'bare_webrtc_setup_ms', describe: 'call accept -> first frame shown / a bare RTCPeerConnection pair in one page, p50' },
  { key: 'chat_rtt_vs_new_stream_ratio', of: 'chat_rtt_us', to: 'libp2p_new_stream_rtt_us', describe: 'chat send→delivered / bare new-stream RTT' },
  { key: 'session_setups_per_s', of: 'e2e_session_start_us', to: 'e2e_session_start_us', compute: f => f.e2e_session_start_us != null ? 1e6 / f.e2e_session_start_us : undefined, describe: 'new E2E sessions (PQXDH + first message both ways) per second' },
  { key: 'e2e_msgs_per_s', of: 'e2e_encrypt_us', to: 'e2e_decrypt_us', compute: f => f.e2e_encrypt_us != null && f.e2e_decrypt_us != null ? 1e6 / (f.e2e_encrypt_us + f.e2e_decrypt_us) : undefined, describe: 'sealed envelopes encrypted + decrypted per second (session exists)' },
  { key: 'store_send_path_vs_leveldb_ratio', of: 'store_send_path_us', to: 'leveldb_batch_us', describe: 'sender store calls per message / one raw LevelDB batch' },
  { key: 'e2e_key_conversion_vs_x25519_ratio', of: 'ed25519_public_to_x25519_us', to: 'x25519_us', describe: 'converting an Ed25519 public key / one X25519 agreement' },
  {
    key: 'chat_e2e_share',
    of: 'e2e_encrypt_us',
    to: 'chat_rtt_us',
    describe: 'share of the chat RTT spent in encrypt + decrypt (crypto bench)',
    compute: f => f.e2e_encrypt_us != null && f.e2e_decrypt_us != null && f.chat_rtt_us != null ? (f.e2e_encrypt_us + f.e2e_decrypt_us) / f.chat_rtt_us : undefined
  },
  { key: 'chat_protocol_persistent_vs_rtt_ratio', of: 'chat_protocol_persistent_rtt_us', to: 'libp2p_rtt_us', describe: 'prototype: chat frames on a long-lived stream / bare libp2p RTT' },
  { key: 'chat_protocol_vs_new_stream_ratio', of: 'chat_protocol_rtt_us', to: 'libp2p_new_stream_rtt_us', describe: 'breakdown: chat protocol alone / bare new-stream RTT' },
  {
    key: 'chat_msgs_per_s_ratio',
    of: 'chat_msgs_per_s',
    to: 'libp2p_rtt_us',
    describe: 'chat msgs/s (8 senders) / bare sequential request rate (1e6 / libp2p_rtt_us)',
    compute: f => f.chat_msgs_per_s != null && f.libp2p_rtt_us != null ? f.chat_msgs_per_s / (1e6 / f.libp2p_rtt_us) : undefined
  },
  { key: 'first_contact_vs_dial_ratio', of: 'first_contact_ms', to: 'libp2p_dial_ms', describe: 'first contact / bare dial of a known address' },
  { key: 'first_contact_cold_ratio', of: 'first_contact_cold_ms', to: 'first_contact_ms', describe: 'cold first contact (B nearer) / warm first contact' },
  { key: 'first_contact_cold_far_ratio', of: 'first_contact_cold_far_ms', to: 'first_contact_ms', describe: 'cold first contact (R nearer) / warm first contact' },
  { key: 'first_contact_cold_lookup_ratio', of: 'first_contact_cold_lookup_ms', to: 'first_contact_ms', describe: 'cold (B nearer) with findPeer first / warm first contact' },
  { key: 'startup_ratio', of: 'startup_ms', to: 'libp2p_startup_ms', describe: 'Parley startup / bare libp2p startup' },
  { key: 'cli_client_wall_ratio', of: 'cli_client_ms', to: 'node_bare_ms', describe: 'parley contacts --json against a daemon / node -e 0, wall time (target <= 3)' },
  { key: 'cli_client_rss_ratio', of: 'cli_client_rss_MB', to: 'node_bare_rss_MB', describe: 'parley contacts --json against a daemon / node -e 0, peak RSS (target <= 3)' },
  { key: 'cli_help_wall_ratio', of: 'cli_help_ms', to: 'node_bare_ms', describe: 'parley --help / node -e 0, wall time (target <= 3)' },
  { key: 'idle_rss_ratio', of: 'idle_rss_MB', to: 'libp2p_idle_rss_MB', describe: 'idle Parley process RSS / idle bare libp2p process RSS' },
  { key: 'heap_per_extra_node_ratio', of: 'heap_per_extra_node_MB', to: 'libp2p_heap_per_extra_node_MB', describe: 'heap per extra Parley node / per extra bare node' },
  { key: 'rss_per_connection_ratio', of: 'rss_per_connection_KB', to: 'libp2p_rss_per_connection_KB', describe: 'RSS per connection, Parley / bare libp2p' },
  { key: 'heap_per_connection_ratio', of: 'heap_per_connection_KB', to: 'libp2p_heap_per_connection_KB', describe: 'heap per connection, Parley / bare libp2p' }
]

export function computeRatios (figures: Figures): Figures {
  const ratios: Figures = {}
  for (const ratio of RATIOS) {
    const value = ratio.compute != null
      ? ratio.compute(figures)
      : figures[ratio.of] != null && figures[ratio.to] != null ? figures[ratio.of] / figures[ratio.to] : undefined
    if (value != null && Number.isFinite(value)) ratios[ratio.key] = value
  }
  return ratios
}

/** What each figure measures, shown in the table */
export const DESCRIPTIONS: Record<string, string> = {
  tcp_rtt_us: 'node:net echo, open socket, p50',
  tcp_rtt_p99_us: 'node:net echo, p99',
  tcp_MiBps: 'node:net, one connection, at the receiver, median of 3 runs (1 with --quick)',
  libp2p_rtt_us: 'TCP+Noise+yamux echo, open stream, p50',
  libp2p_rtt_p99_us: 'same, p99',
  libp2p_new_stream_rtt_us: 'open stream + echo + close, open connection, p50',
  libp2p_new_stream_rtt_p99_us: 'same, p99',
  libp2p_new_stream_disk_peerstore_rtt_us: 'same, peer stores in LevelDB on disk (as in Parley), p50',
  libp2p_dial_ms: 'fresh connection: TCP + Noise + yamux, p50',
  libp2p_dial_p99_ms: 'same, p99',
  libp2p_MiBps: 'one yamux stream, at the receiver, median of 3 runs (1 with --quick)',
  libp2p_tuned_MiBps: 'same, Noise on src/node/noise-crypto.ts, 256 KiB writes (a file chunk)',
  tcp_2proc_MiBps: 'tcp_MiBps with sender and receiver in two processes',
  libp2p_2proc_MiBps: 'libp2p_MiBps in two processes',
  libp2p_tuned_2proc_MiBps: 'libp2p_tuned_MiBps in two processes',
  tcp_2proc_cpu_us_per_MiB: 'CPU time (user + system) of both processes per MiB, tcp_2proc_MiBps runs, median',
  libp2p_2proc_cpu_us_per_MiB: 'same, libp2p_2proc_MiBps runs',
  libp2p_tuned_2proc_cpu_us_per_MiB: 'same, libp2p_tuned_2proc_MiBps runs',
  file_cpu_us_per_MiB: 'same, file transfer (sender from send(), with its hashing; receiver from the offer to done), median',
  file_MiBps: 'parley send-file, two nodes in two processes: offer arrived → file done (fetched, decrypted, proven, synced, rehashed), median',
  file_send_MiBps: 'same, from send() (which hashes the file first) to done',
  file_receiver_peak_rss_MB: 'receiving process, peak RSS over those runs',
  file_big_GiB: 'size of the one big transfer',
  file_big_MiBps: 'the big file: offer arrived → done',
  file_big_send_MiBps: 'the big file: send() → done',
  file_big_sender_peak_rss_MB: 'sending process, peak RSS during the big transfer',
  file_big_receiver_peak_rss_MB: 'receiving process, peak RSS during the big transfer',
  file_big_sender_rss_before_MB: 'sending process RSS before the big transfer',
  file_big_receiver_rss_before_MB: 'receiving process RSS before the big transfer',
  leveldb_get_us: 'LevelDB get of a small JSON record, on disk, p50',
  leveldb_batch_us: 'LevelDB batch of 3 small puts, on disk, p50',
  store_send_path_us: 'Parley store calls per sent message (7 calls, see storage.ts), p50',
  store_receive_path_us: 'Parley store calls per received message (session + addIncoming), p50',
  x25519_us: 'one X25519 agreement (node:crypto provider), p50',
  ed25519_public_to_x25519_us: 'ed25519PublicToX25519 of an identity key, p50',
  ed25519_private_to_x25519_us: 'ed25519PrivateToX25519 of an identity key, p50',
  e2e_encrypt_us: 'SessionCipher.encrypt, session exists, in memory, p50',
  e2e_decrypt_us: 'SessionCipher.decrypt, session exists, in memory, p50',
  e2e_envelope_bytes: 'sealed envelope size for the bench\'s 64-byte text',
  e2e_session_start_us: 'first message of a session (PQXDH) encrypted + decrypted, p50',
  ratchet_msgs_per_s: 'Double Ratchet encrypt + decrypt of 256 B, sequential (target >= 20,000)',
  libp2p_startup_ms: 'createLibp2p (TCP+Noise+yamux) until started, median',
  chat_rtt_us: 'messenger.send → delivered, connected pair, p50',
  chat_rtt_p99_us: 'same, p99',
  chat_protocol_rtt_us: 'breakdown: chat service send of an opaque envelope, recipient stores nothing, p50',
  chat_protocol_persistent_rtt_us: 'prototype: same frames on one long-lived stream, p50',
  chat_rtt_not_delivered: 'sends in the RTT loop not delivered at once (expect 0)',
  group_send_all_us: 'group send until every other member stored it, p50 (one encryption, one gossip publish)',
  group_send_all_p99_us: 'same, p99',
  group_members: 'members of the benched group, the sender included',
  group_send_missed: 'members that did not get a message within 30 s (expect 0)',
  chat_msgs_per_s_sequential: 'one send at a time (from the RTT loop)',
  chat_msgs_per_s: '8 concurrent senders, to one peer',
  chat_bulk_not_delivered: 'sends in the 8-sender run not delivered at once (expect 0)',
  startup_ms: 'createParley, fresh data dir, until started, median',
  first_contact_ms: 'send → delivered to a peer known only via the relay, median',
  first_contact_max_ms: 'same, slowest sample',
  first_contact_connect_ms: 'of which: send until A and B were connected, median',
  first_contact_cold_connect_ms: 'cold: send until A and B were connected, median',
  first_contact_cold_far_connect_ms: 'cold-far: send until A and B were connected, median',
  first_contact_cold_lookup_connect_ms: 'cold with findPeer first: send until connected, median',
  first_contact_inbound_first: 'samples where B\'s own DHT self-query dialled A first',
  first_contact_cold_ms: 'sent before A\'s first self-query, B nearer to A than R (XOR), median',
  first_contact_cold_stalled: 'cold samples over 1 s (the self-query/dial stall)',
  first_contact_cold_far_ms: 'sent before A\'s first self-query, R nearer to A than B, median',
  first_contact_cold_far_stalled: 'cold-far samples over 1 s',
  first_contact_cold_lookup_ms: 'cold (B nearer), peerRouting.findPeer before send, median',
  first_contact_cold_lookup_stalled: 'cold with findPeer first, samples over 1 s',
  relay_connect_ms: 'createParley until connected to its bootstrap relay, median',
  node_empty_rss_MB: 'child process: the Node 24 runtime with TypeScript stripping, nothing loaded',
  node_process_rss_MB: 'child process with Parley\'s modules loaded, no node started',
  libp2p_process_rss_MB: 'child process with the bare libp2p modules loaded, no node started',
  idle_rss_MB: 'child process running one idle Parley node',
  libp2p_idle_rss_MB: 'child process running one idle bare libp2p node',
  rss_per_extra_node_MB: 'RSS growth per extra Parley node (on-disk data dir)',
  libp2p_rss_per_extra_node_MB: 'RSS growth per extra bare libp2p node',
  heap_per_extra_node_MB: 'V8 heap in use per extra Parley node (cross-check)',
  libp2p_heap_per_extra_node_MB: 'V8 heap in use per extra bare node (cross-check)',
  rss_per_connection_KB: 'Parley node RSS growth per connected Parley peer',
  libp2p_rss_per_connection_KB: 'bare libp2p node RSS growth per connection',
  heap_per_connection_KB: 'V8 heap in use per connected Parley peer (cross-check)',
  libp2p_heap_per_connection_KB: 'V8 heap in use per bare connection (cross-check)'
}

function formatValue (value: number): string {
  return round(value, 4).toLocaleString('en-US', { maximumFractionDigits: 3 })
}

function table (rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map(row => row[column].length)))
  const line = (row: string[]): string => row.map((cell, column) => column === 1 ? cell.padStart(widths[column]) : cell.padEnd(widths[column])).join('  ').trimEnd()
  return [line(rows[0]), widths.map(w => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n')
}

export function formatReport (machine: Machine, figures: Figures, ratios: Figures, quick: boolean): string {
  const header = [
    `Parley benchmarks${quick ? ' (--quick: few iterations, smoke check only)' : ''}`,
    `date: ${machine.date}`,
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGB} GB RAM, ${machine.os}, load ${machine.loadavg.join(' ')} at start, ${machine.loadavgEnd?.join(' ') ?? '?'} at end`,
    `node ${machine.node}, libp2p ${machine.libp2p}`,
    ''
  ]
  const figureRows = [['figure', 'value', 'what'], ...Object.entries(figures).map(([key, value]) => [key, formatValue(value), DESCRIPTIONS[key] ?? ''])]
  const ratioRows = [['ratio', 'value', 'what'], ...RATIOS.filter(r => ratios[r.key] != null).map(r => [r.key, formatValue(ratios[r.key]), r.describe])]
  const ratioTable = ratioRows.length > 1 ? table(ratioRows) : '(no ratios: their baselines were not run)'
  return [...header, table(figureRows), '', ratioTable, ''].join('\n')
}
