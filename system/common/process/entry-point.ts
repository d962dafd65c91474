import path from 'node:path';

/*
 * Where another entry point of the system lives, and how node runs it. Under `npm start` and the tests the system runs
 * from its TypeScript sources through the tsx loader; in the image it runs compiled JavaScript from dist/ (`npm run
 * build`), where there is neither a .ts file nor, needed, the loader. The running module's own extension says which.
 */
export interface EntryPoint {
  /** Absolute path of the entry module. */
  file: string;
  /** node's arguments before the file: the tsx loader for TypeScript sources, nothing for compiled JavaScript. */
  execArgv: string[];
}

/** `relative` is written without extension, from `fromDir` (pass `__dirname` of the caller). */
export function entryPoint(fromDir: string, relative: string, ownFile: string): EntryPoint {
  const ext = path.extname(ownFile) === '.ts' ? '.ts' : '.js';
  return { file: path.resolve(fromDir, relative + ext), execArgv: ext === '.ts' ? ['--import', 'tsx'] : [] };
}
