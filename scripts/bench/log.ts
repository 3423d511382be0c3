/** Progress goes to stderr, so stdout carries only the table or the one JSON object */
export function progress (message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`)
}
