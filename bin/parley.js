#!/usr/bin/env node
// Launcher for the `parley` command. libp2p 3 needs Node >= 22 and the sources are TypeScript run by
// Node's own type transform, so when started by an older Node (or without the flag) this re-executes
// itself on the Node binary pinned in this package's devDependencies.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import module from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const major = Number(process.versions.node.split('.')[0])
const transforming = process.execArgv.includes('--experimental-transform-types')

if (major >= 22 && transforming) {
  // V8's compiled code and Node's TypeScript transform of each module, kept between runs (a
  // client command took 2.5x as long without: most of it transforming and compiling the same
  // files again). Node checks each entry against the source's hash. In this package's own
  // node_modules rather than the shared temp directory, where another local user could plant
  // entries first; where it cannot be written, Node runs without a cache.
  module.enableCompileCache?.(join(root, 'node_modules', '.cache', 'parley-compile'))
  // the commands that run a node install the guard before they load it (src/cli/commands/node.ts;
  // see the guard's file for the libdatachannel bug it works around)
  const { heldUdpMuxListeners } = await import('../src/node/udp-mux-guard.ts')
  await import('../src/cli/main.ts')
  // the command is done; a kept WebRTC-Direct listener would hold the event loop open forever
  if (heldUdpMuxListeners() > 0) process.exit()
} else {
  const pinned = join(root, 'node_modules', 'node', 'bin', 'node')
  const nodeBin = major >= 22 ? process.execPath : pinned
  if (major < 22 && !existsSync(pinned)) {
    console.error(`parley needs Node >= 22 (this is ${process.version}); run \`npm install\` to fetch the pinned one`)
    process.exit(1)
  }
  const args = [
    '--experimental-transform-types', '--disable-warning=ExperimentalWarning',
    fileURLToPath(import.meta.url), ...process.argv.slice(2)
  ]
  // Replace this process where the platform can, so signals and exit codes need no relaying.
  if (typeof process.execve === 'function') process.execve(nodeBin, [nodeBin, ...args])
  const child = spawn(nodeBin, args, { stdio: 'inherit' })
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => { child.kill(signal) })
  }
  child.on('exit', (code, signal) => {
    if (signal != null) process.kill(process.pid, signal)
    else process.exit(code ?? 1)
  })
}
