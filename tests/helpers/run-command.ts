import { spawn } from 'node:child_process';
import path from 'node:path';
import { FAKE_APP_ID, FAKE_MASTER_KEY } from './fake-parse-server';

export interface CommandRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/**
 * Runs `node <args>` in the project as an operator's command, against `databaseUrl` and a
 * fake Back4App at `back4appUrl` (with its keys), and collects its exit code and output.
 */
export function runProjectCommand(args: string[], databaseUrl: string, back4appUrl: string, env: Record<string, string> = {}): Promise<CommandRun> {
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      BACK4APP_URL: back4appUrl,
      BACK4APP_APP_ID: FAKE_APP_ID,
      BACK4APP_MASTER_KEY: FAKE_MASTER_KEY,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
