// Reads a JSON input file once for every option/target file: errors name the file, exit code 2 (UsageError).
import { readFileSync } from 'node:fs';
import { UsageError } from './usage-error.ts';

/** `label` says what the file is, e.g. `--options` or `target file`; it starts every error message. */
export function readJsonFile(path: string, label: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${label} ${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UsageError(`${label} ${path}: not valid JSON (${(e as Error).message})`);
  }
}
