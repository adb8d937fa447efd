#!/usr/bin/env node
import { runCreate } from './cli.js';

process.exitCode = runCreate(process.argv.slice(2), {
  cwd: process.cwd(),
  out: (text) => void process.stdout.write(text),
  error: (text) => void process.stderr.write(text),
});
