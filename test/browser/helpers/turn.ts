import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import type { ChildProcess } from 'node:child_process'

/** Debian's coturn (`apt-get install coturn`), as a relay operator would run it next to a relay */
export const TURNSERVER = process.env.PARLEY_TURNSERVER ?? '/usr/bin/turnserver'

export interface TurnServer {
  /** As config.json's `iceServers` takes it */
  iceServer: { urls: string[], username: string, credential: string }
  stop(): Promise<void>
}

/** A free TCP port on loopback (the server may take it a moment later: TURN listens on UDP and TCP at once) */
async function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => { resolve(port) })
    })
  })
}

/**
 * coturn on 127.0.0.1 with one long-term user, relaying between loopback peers only (no TLS, no
 * CLI, in the foreground): resolves once it listens
 */
export async function startTurn (): Promise<TurnServer> {
  const port = await freePort()
  const username = 'parley'
  const credential = 'call-relay-test'
  const child: ChildProcess = spawn(TURNSERVER, [
    '-n', '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1', `--listening-port=${port}`,
    '--lt-cred-mech', `--user=${username}:${credential}`, '--realm=parley.test', '--fingerprint',
    '--no-tls', '--no-dtls', '--no-cli', '--allow-loopback-peers', '--no-multicast-peers',
    '--min-port=49152', '--max-port=49408', '--log-file=stdout', '--simple-log'
  ], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`turnserver did not start listening: ${output}`)) }, 10_000)
    const onData = (chunk: Buffer): void => {
      output += chunk.toString()
      // one listener line per protocol; UDP's comes first
      if (/listener opened on.*127\.0\.0\.1:\d+/i.test(output) || /Total (UDP|General) servers/i.test(output)) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', code => {
      clearTimeout(timer)
      reject(new Error(`turnserver exited (${code}): ${output}`))
    })
  })
  return {
    iceServer: { urls: [`turn:127.0.0.1:${port}?transport=udp`], username, credential },
    stop: async () => {
      if (child.exitCode != null) return
      const exited = new Promise(resolve => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
  }
}
