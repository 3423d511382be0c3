import { readFile } from 'node:fs/promises'
import { createInterface } from 'node:readline'

/** Where a passphrase comes from: a file, $PARLEY_PASSPHRASE, or the terminal (not echoed) */
export async function readPassphrase (options: { file?: string, prompt: string, confirm?: boolean, envVar?: string }): Promise<string> {
  if (options.file != null) {
    return (await readFile(options.file, 'utf8')).replace(/\r?\n$/, '')
  }
  const fromEnv = process.env[options.envVar ?? 'PARLEY_PASSPHRASE']
  if (fromEnv != null && fromEnv !== '') {
    return fromEnv
  }
  if (process.stdin.isTTY !== true) {
    throw new Error(`no passphrase: give a passphrase file, set ${options.envVar ?? 'PARLEY_PASSPHRASE'}, or run in a terminal`)
  }
  const first = await askHidden(options.prompt)
  if (options.confirm === true && await askHidden('Again: ') !== first) {
    throw new Error('the passphrases differ')
  }
  return first
}

async function askHidden (prompt: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true })
  // echo the prompt only, never the typed characters
  const output = rl as unknown as { _writeToOutput: (s: string) => void }
  output._writeToOutput = (s: string) => { if (s.includes(prompt)) process.stdout.write(prompt) }
  try {
    return await new Promise(resolve => { rl.question(prompt, resolve) })
  } finally {
    rl.close()
    process.stdout.write('\n')
  }
}
