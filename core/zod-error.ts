// The one way a failed zod parse becomes text: `path: message` per issue (without values, for remote responses that
// may hold secrets), or with the value received (for a user's own flags and files, so the error names both).
import type { z } from 'zod';

/** `a.b: message; c: message` — never the values. `root` names an issue without a path. */
export function issuesText(error: z.ZodError, root = '(root)', separator = '; '): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : root}: ${i.message}`).join(separator);
}

/** One line per issue naming the source, the offending key and the value received (unknown keys are listed). */
export function describeZodError(error: z.ZodError, source: string, input: unknown): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.join('.');
      const value = issue.path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), input);
      const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
      const shown = issue.code === 'unrecognized_keys' ? '' : `: got ${JSON.stringify(value)}`;
      return `${source}${path ? ` ${path}` : ''}: ${issue.message}${keys}${shown}`;
    })
    .join('\n');
}
