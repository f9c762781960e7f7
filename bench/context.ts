import path from 'node:path';
import { PROJECT_ROOT } from '../src/paths';
import { SERVER_STATEMENT_TIMEOUT_MS } from './env';
import { openBenchDatabase, prepareFixtures, type Database, type Fixtures } from './fixtures';
import { startChildServer, type ChildServer } from './processes';
import type { TargetCheck, TargetId } from './report';
import type { Timing } from './scenarios';

export const SERVER_ENTRY = path.join(PROJECT_ROOT, 'dist', 'src', 'index.js');
const REFERENCE_ENTRY = path.join(__dirname, 'reference-server.js');

/** A token for `/metrics` on every server the bench starts (the soak reads event-loop lag and RSS there). */
export const BENCH_METRICS_TOKEN = 'bench-metrics-token-0123456789';

/** The bench database with the catalogue, 200 users and our server, shared by most scenarios. */
export interface Shared {
  db: Database;
  fx: Fixtures;
  ours: ChildServer;
}

export type Cleanup = () => Promise<void>;

/**
 * What scenarios get: the timing, and the servers they need, each started on first use and
 * stopped at the end (or by `closeShared`, before a scenario that brings its own database).
 */
export class BenchContext {
  /** Figures one scenario leaves for another (C's logins/s for D's pacing). */
  readonly notes: { loginsPerSec?: number; bcryptSingleThreadPerSec?: number } = {};
  private databaseSetup?: Promise<{ db: Database; fx: Fixtures }>;
  private sharedSetup?: Promise<Shared>;
  private referenceServer?: Promise<ChildServer>;
  private readonly sharedCleanups: Cleanup[] = [];

  constructor(
    readonly timing: Timing,
    readonly serverLogLevel: string,
    readonly nodeArgs: string[],
    /** the run's own clean-up list, for what a scenario starts outside the shared setup */
    readonly cleanups: Cleanup[],
  ) {}

  /** Environment of every server of ours the bench starts. */
  serverEnv(databaseUrl: string): NodeJS.ProcessEnv {
    // E and the soak measure storing and acking, not the per-user chat limit.
    return {
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: this.serverLogLevel,
      CHAT_RATE_LIMIT: '1000000',
      METRICS_TOKEN: BENCH_METRICS_TOKEN,
      DB_STATEMENT_TIMEOUT_MS: SERVER_STATEMENT_TIMEOUT_MS,
    };
  }

  /** The bench database with its fixtures, without starting our server (scenarios that start their own). */
  database(): Promise<{ db: Database; fx: Fixtures }> {
    this.databaseSetup ??= (async () => {
      const db = await openBenchDatabase();
      this.sharedCleanups.push(db.stop);
      return { db, fx: await prepareFixtures(db.url) };
    })();
    return this.databaseSetup;
  }

  shared(): Promise<Shared> {
    this.sharedSetup ??= (async () => {
      const { db, fx } = await this.database();
      // BENCH_SERVER_NODE_ARGS profiles our server, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
      const ours = await startChildServer('api-server', SERVER_ENTRY, this.serverEnv(db.url), this.nodeArgs);
      this.sharedCleanups.unshift(ours.stop);
      return { db, fx, ours };
    })();
    return this.sharedSetup;
  }

  /** The node:http + pg floor for A and B, on the shared database. */
  reference(): Promise<ChildServer> {
    this.referenceServer ??= this.shared().then(async ({ db }) => {
      const env = { DATABASE_URL: db.url, LOG_LEVEL: this.serverLogLevel, DB_STATEMENT_TIMEOUT_MS: SERVER_STATEMENT_TIMEOUT_MS };
      const server = await startChildServer('reference-server', REFERENCE_ENTRY, env);
      this.sharedCleanups.unshift(server.stop);
      return server;
    });
    return this.referenceServer;
  }

  /** Another server of ours on the shared database (a fresh process, its own log file). */
  async freshServer(name: string): Promise<ChildServer> {
    const { db } = await this.shared();
    const server = await startChildServer(name, SERVER_ENTRY, this.serverEnv(db.url), this.nodeArgs);
    this.sharedCleanups.unshift(server.stop);
    return server;
  }

  /** Stops the shared servers and database: a scenario with its own database runs after. */
  async closeShared(): Promise<void> {
    for (const step of this.sharedCleanups.splice(0)) await step();
    this.databaseSetup = undefined;
    this.sharedSetup = undefined;
    this.referenceServer = undefined;
  }
}

/** What a scenario hands back: its figures (for results.json), its table rows and its target checks. */
export interface ScenarioOutcome {
  results: unknown;
  rows: string[][];
  targets: TargetCheck[];
}

/**
 * One entry of the registry (bench/scenario-list.ts). `needs`: `shared` the bench database
 * and our server, `reference` the node:http + pg server as well, `own-database` a database
 * of its own (the shared one is stopped first, so these run last).
 */
export interface Scenario {
  key: string;
  /** the targets of issue 17 it measures */
  ids: TargetId[];
  needs: 'shared' | 'reference' | 'own-database';
  run(ctx: BenchContext): Promise<ScenarioOutcome>;
}
