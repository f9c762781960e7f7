'use strict';
/**
 * Runs inside the password-hasher's worker threads (piscina), so bcrypt's CPU work never
 * blocks the event loop. Plain CommonJS on purpose: the same file serves ts-jest/ts-node
 * (src) and the compiled app (dist), which resolves it in the source tree like src/data.
 */
const bcrypt = require('bcryptjs');

module.exports = {
  hash: ({ password, rounds }) => bcrypt.hashSync(password, rounds),
  compare: ({ password, hash }) => bcrypt.compareSync(password, hash),
};
