// Entry of the parse worker's bundle (see parse-pool.ts).
import { runParseWorker } from './parse-worker';

runParseWorker();
