// Entry of the load's worker thread: a worker does not inherit the parent's TypeScript loader, so register tsx here.
import { register } from 'tsx/esm/api';

register();
await import('./load-worker.ts');
