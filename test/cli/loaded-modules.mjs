// Preloaded (`node --import`) into a CLI process under test: at exit, prints on stderr every
// module it loaded, one `loaded <url>` line each
import { registerHooks } from 'node:module'
import { writeSync } from 'node:fs'
import process from 'node:process'

const loaded = []
registerHooks({
  load (url, context, next) {
    loaded.push(url)
    return next(url, context)
  }
})
process.on('exit', () => {
  writeSync(2, loaded.map(url => `\nloaded ${url}`).join('') + '\n')
})
