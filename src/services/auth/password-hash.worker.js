'use strict';
/**
 * Runs inside the password-hasher's worker threads (piscina), so bcrypt's CPU work never
 * blocks the event loop. Plain CommonJS on purpose: the same file serves ts-jest/ts-node
 * (src) and the compiled app (`npm run build` copies it to dist/src/services).
 */
const os = require('node:os');
const bcrypt = require('bcryptjs');

/**
 * Below the event loop's priority, so reads are served first and bcrypt gets the CPU they
 * leave. On Linux a nice value belongs to the thread, so this lowers only this worker;
 * elsewhere (macOS) it would lower the whole process, so it is left alone there.
 */
const HASHER_NICE = 5;
if (process.platform === 'linux') {
  try {
    os.setPriority(Math.min(19, os.getPriority() + HASHER_NICE));
  } catch {
    // Not permitted in some sandboxes: the thread then runs at the process's priority.
  }
}

module.exports = {
  hash: ({ password, rounds }) => bcrypt.hashSync(password, rounds),
  compare: ({ password, hash }) => bcrypt.compareSync(password, hash),
};
