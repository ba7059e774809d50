// One size of the scale bench in its own process (see measureSizeInChild):
// prints its results as one `SCALE <json>` line.
import 'fake-indexeddb/auto';
import { measureSize } from './search-scale';

const results = await measureSize(Number(process.argv[2]));
console.log(`SCALE ${JSON.stringify(results)}`);
process.exit(0);
