#!/usr/bin/env node
// The haproof command: loads the TypeScript CLI through tsx (no build step).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
// Exit as soon as the command is done: kept-alive API connections and the like must not hold the process open.
process.exit(await main(process.argv.slice(2)));
