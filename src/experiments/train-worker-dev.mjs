// Entry of a training worker when the sources run as TypeScript (tests, tsx): registers tsx in
// this thread, then loads the worker. A built package starts train-worker.js directly.
import { register } from 'tsx/esm/api';

register();
await import('./train-worker.ts');
