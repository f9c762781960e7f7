import { logger } from './logger';

type Level = 'info' | 'warn';

const last = new Map<string, { at: number; suppressed: number }>();

/**
 * Logs `msg` at most once a second, so an attack that trips a limit thousands of times a
 * second cannot flood the logs; the next line says how many were left out (`suppressed`).
 */
export function logAtMostEverySecond(level: Level, fields: Record<string, unknown>, msg: string): void {
  const now = Date.now();
  const state = last.get(msg);
  if (state && now - state.at < 1000) {
    state.suppressed += 1;
    return;
  }
  logger[level]({ ...fields, ...(state?.suppressed ? { suppressed: state.suppressed } : {}) }, msg);
  last.set(msg, { at: now, suppressed: 0 });
}
