// Preloaded (`node --import`) into a process the CLI bench measures: at exit, prints the
// process's peak RSS on stderr as `bench-peak-rss <KiB>`, for the bench to read
import { writeSync } from 'node:fs'
import process from 'node:process'

process.on('exit', () => {
  writeSync(2, `\nbench-peak-rss ${process.resourceUsage().maxRSS}\n`)
})
