/**
 * Preloaded into the storm bench's server (`node --expose-gc -r dist/bench/heap-probe.js`):
 * on SIGUSR2 it runs a full garbage collection and writes `process.memoryUsage()` to the
 * file named by HEAP_PROBE_FILE, so M can be read as live memory per socket rather than
 * RSS growth (which counts garbage not yet collected and allocator slack). Bench only.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.HEAP_PROBE_FILE;
const collect = (globalThis as { gc?: () => void }).gc;

if (file && collect) {
  process.on('SIGUSR2', () => {
    collect();
    collect();
    writeFileSync(file, JSON.stringify(process.memoryUsage()));
  });
}
