// Runs a command and collects its output for the failure message.
import { spawn } from 'node:child_process';

export interface RunResult {
  code: number | null;
  /** Standard output alone, for commands that print JSON. */
  stdout: string;
  /** Standard output and error as they came. */
  output: string;
}

export function run(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, output }));
  });
}
