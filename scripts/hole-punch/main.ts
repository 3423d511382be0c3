/**
 * `node --experimental-transform-types --disable-warning=ExperimentalWarning scripts/hole-punch/main.ts [--runs N] [--only full-cone:symmetric,...]`
 * (as root; `npm run hole-punch -- --runs 10`)
 *
 * The measurement behind docs/NETWORK.md's "Hole punching" table: the attempt of
 * test/network/hole-punch.spec.ts, N times per pair of NAT kinds, on one internet in a box.
 * Prints one line per attempt on stderr, then a Markdown table on stdout: per pair, how many
 * attempts ended direct on the wire, and the median and range of the time from A's first
 * message to that direct flow.
 */
import { parseArgs } from 'node:util'
import { TempDirs } from '../../test/helpers/temp-dir.ts'
import { InternetBox } from '../../test/net/index.ts'
import { HolePunchCast, PAIRS, pairName } from '../../test/network/hole-punch.ts'

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' }, only: { type: 'string' } } })
const runs = Number(values.runs)
const only = values.only?.split(',')
const pairs = PAIRS.filter(([a, b]) => only == null || only.includes(`${a}:${b}`))

const net = await InternetBox.create()
const dirs = new TempDirs()
const rows: string[] = []
try {
  const cast = await HolePunchCast.create(net, dirs)
  for (const [a, b, expected] of pairs) {
    const times: number[] = []
    let direct = 0
    let chat = 0
    for (let run = 1; run <= runs; run++) {
      const result = await cast.attempt(a, b)
      if (result.direct) direct++
      if (result.secondMessage === 'delivered' && (result.withoutRelay ?? []).every(s => s === 'delivered')) chat++
      if (result.msToDirect != null) times.push(result.msToDirect)
      process.stderr.write(`${pairName(a, b)} ${run}/${runs}: ${result.direct ? `direct after ${result.msToDirect} ms` : 'relayed'}; first message ${result.firstMessage} (${result.msFirstSend} ms), then ${result.secondMessage}${result.withoutRelay != null ? `, without R ${result.withoutRelay.join('/')}` : ''}\n`)
    }
    times.sort((x, y) => x - y)
    const median = times.length === 0 ? '-' : `${((times[(times.length - 1) >> 1] + times[times.length >> 1]) / 2 / 1_000).toFixed(1)} s`
    const range = times.length === 0 ? '-' : `${(times[0] / 1_000).toFixed(1)} to ${(times[times.length - 1] / 1_000).toFixed(1)} s`
    rows.push(`| ${pairName(a, b)} | ${expected ? 'direct' : 'relayed'} | ${direct}/${runs} | ${median} | ${range} | ${chat}/${runs} |`)
  }
  await cast.stop()
} finally {
  await net.destroy()
  await dirs.cleanup()
}
console.log('| NATs (A ↔ B) | expected | direct on the wire | median time to direct | range | chat delivered |')
console.log('| --- | --- | --- | --- | --- | --- |')
console.log(rows.join('\n'))
