// The state file (outside any checkout): what a testbed made, written before it is made, so `down` can undo it all.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { STATE_FILE } from './paths.ts';

export const stateSchema = z.object({
  version: z.literal(1),
  cluster: z.string(),
  createdAt: z.string(),
  runnerPid: z.number(),
  runDir: z.string(),
  workDir: z.string(),
  namespaces: z.array(z.string()),
  links: z.array(z.string()),
  /** nft tables as `<netns or ''> <family> <name>`. */
  nftTables: z.array(z.string()),
  mounts: z.array(z.string()),
  netnsDirs: z.array(z.string()),
  routes: z.array(z.string()),
  supervisorPid: z.number().optional(),
  options: z.record(z.string(), z.unknown()),
});
export type TestbedState = z.infer<typeof stateSchema>;

export function readState(): TestbedState | undefined {
  if (!existsSync(STATE_FILE)) return undefined;
  const parsed = stateSchema.safeParse(JSON.parse(readFileSync(STATE_FILE, 'utf8')));
  if (!parsed.success) throw new Error(`state file ${STATE_FILE} is not a haproof state file: ${parsed.error.message}`);
  return parsed.data;
}

export function writeState(state: TestbedState): void {
  mkdirSync(dirname(STATE_FILE), { recursive: true });
  writeFileSync(`${STATE_FILE}.tmp`, JSON.stringify(state, null, 2));
  renameSync(`${STATE_FILE}.tmp`, STATE_FILE);
}

/** Records a resource in the state file before it is created. */
export function recordResource(state: TestbedState, kind: 'namespaces' | 'links' | 'nftTables' | 'mounts' | 'netnsDirs' | 'routes', value: string): void {
  if (!state[kind].includes(value)) state[kind].push(value);
  writeState(state);
}
