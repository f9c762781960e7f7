import { PASSWORD, type Fixtures } from './fixtures';
import { cycle, LoadTally, probe, runLoad, type LoadResult, type LoadSpec } from './load';
import { log } from './log';

export interface Timing {
  /** seconds measured per scenario (and per server, for A and B) */
  duration: number;
  /** seconds of unmeasured load before each measured run (JIT, pools, caches) */
  warmup: number;
  /** A and B alternate between our server and the reference this many times */
  rounds: number;
}

/** A server under test: where it listens and its process (for CPU per response). */
export interface Target {
  url: string;
  pid?: number;
}

/** A: `GET /cars/:id`, car ids and tokens cycling. */
export function carById({ url, pid }: Target, fx: Fixtures, connections: number, duration: number): LoadSpec {
  const car = cycle(fx.carIds);
  const user = cycle(fx.users);
  return { url, pid, connections, duration, next: () => ({ path: `/cars/${car()}`, headers: { access_token: user().token } }) };
}

/** B: `GET /cars?make=…&limit=20`, one page and the total count, makes and tokens cycling. */
export function carsByMake({ url, pid }: Target, fx: Fixtures, connections: number, duration: number): LoadSpec {
  const make = cycle(fx.makes);
  const user = cycle(fx.users);
  return {
    url,
    pid,
    connections,
    duration,
    next: () => ({ path: `/cars?make=${encodeURIComponent(make())}&limit=20`, headers: { access_token: user().token } }),
  };
}

/** C: `POST /login` with the right password, users cycling. */
export function logins({ url, pid }: Target, fx: Fixtures, connections: number, duration: number): LoadSpec {
  const user = cycle(fx.users);
  return {
    url,
    pid,
    connections,
    duration,
    method: 'POST',
    next: () => ({
      path: '/login',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user().email, password: PASSWORD }),
    }),
  };
}

type SpecBuilder = (target: Target, fx: Fixtures, connections: number, duration: number) => LoadSpec;

/** Probes once (a failed probe is a broken harness, not a slow server), then warms up unmeasured. */
async function prepare(build: SpecBuilder, target: Target, fx: Fixtures, connections: number, timing: Timing): Promise<void> {
  await probe(build(target, fx, connections, 1));
  if (timing.warmup > 0) await runLoad(build(target, fx, connections, timing.warmup));
}

export async function measure(
  label: string,
  build: SpecBuilder,
  target: Target,
  fx: Fixtures,
  connections: number,
  timing: Timing,
): Promise<LoadResult> {
  await prepare(build, target, fx, connections, timing);
  log(`${label}: ${connections} connections for ${timing.duration} s`);
  return (await runLoad(build(target, fx, connections, timing.duration))).result();
}

export interface Pair {
  ours: LoadResult;
  reference: LoadResult;
}

/**
 * Our server and the reference, measured in alternating slices (ours first, then the
 * reference first, …) so that a burst of load from elsewhere on the machine falls on both.
 */
export async function measurePair(
  label: string,
  build: SpecBuilder,
  targets: { ours: Target; reference: Target },
  fx: Fixtures,
  timing: Timing,
): Promise<Pair> {
  const connections = 50;
  await prepare(build, targets.ours, fx, connections, timing);
  await prepare(build, targets.reference, fx, connections, timing);
  log(`${label}: ${connections} connections for ${timing.duration} s on each server, in ${timing.rounds} alternating slices`);
  const tallies = { ours: new LoadTally(connections), reference: new LoadTally(connections) };
  for (let round = 0; round < timing.rounds; round += 1) {
    const order = round % 2 === 0 ? (['ours', 'reference'] as const) : (['reference', 'ours'] as const);
    for (const side of order) await runLoad(build(targets[side], fx, connections, timing.duration / timing.rounds), tallies[side]);
  }
  return { ours: tallies.ours.result(), reference: tallies.reference.result() };
}

export interface StormResult {
  alone: LoadResult;
  underStorm: LoadResult;
  storm: LoadResult;
  /** the logins per second the storm was paced at */
  stormRate: number;
}

/**
 * D: A at 20 connections alone, then again while logins arrive at `stormRate` per second
 * (half of what C measured the server can do: see bench/README.md, "D").
 */
export async function readsUnderLoginStorm(target: Target, fx: Fixtures, timing: Timing, stormRate: number): Promise<StormResult> {
  const alone = await measure('D: A alone', carById, target, fx, 20, timing);
  log(`D: A at 20 connections while logins arrive at ${stormRate}/s, ${timing.duration} s`);
  // No CPU per response here: the two loads share the process.
  const shared = { url: target.url };
  const [underStorm, storm] = await Promise.all([
    runLoad(carById(shared, fx, 20, timing.duration)),
    runLoad({ ...logins(shared, fx, 10, timing.duration), overallRate: stormRate }),
  ]);
  return { alone, underStorm: underStorm.result(), storm: storm.result(), stormRate };
}
