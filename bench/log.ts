/** Progress lines go to stderr so stdout holds only the results table. */
export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
