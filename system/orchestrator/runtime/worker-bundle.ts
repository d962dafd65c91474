import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import type { Logger } from '../../common/logging/logger';
import { entryPoint, type EntryPoint } from '../../common/process/entry-point';

/*
 * The worker as one JavaScript file. Run from its TypeScript sources through the tsx loader, every worker pays for
 * the loader (about 30 MB of memory and 0.7 s of start on this project's 2-core machine); that is much of a worker's
 * footprint, and the process runtime starts many. So when the orchestrator itself runs from sources, it bundles the
 * worker once at start (esbuild, well under a second) and starts every worker from the bundle. Compiled JavaScript
 * (dist/, the image) needs none of this: the worker's own main.js is run as it is.
 *
 * Packages stay outside the bundle (sqlite3 is native), each required by the absolute path it resolves to from the
 * sources, so the bundle may live in any directory (DATA_DIR) and still load this project's node_modules.
 */

export interface WorkerBundleOptions {
  /** Directory of the bundle (worker/main.js and its source map; the path keeps `worker/main`, which tools look for
   * in a worker's command line); created when missing. */
  dir: string;
  log: Logger;
}

const WORKER_SOURCES = entryPoint(__dirname, '../../worker/main', __filename);

/** Where workers start from: `ensure` runs before each start and says what to run. */
export interface WorkerEntry {
  entry: EntryPoint;
  ensure(): EntryPoint;
}

/** The worker's sources as they are (compiled JavaScript, or TypeScript through the tsx loader). */
export const WORKER_SOURCES_ENTRY: WorkerEntry = { entry: WORKER_SOURCES, ensure: () => WORKER_SOURCES };

/** A bundle written once, in a directory named by its content (two versions sharing a data directory do not overwrite
 * each other), and written again should it vanish before a later start. */
export class WorkerBundle implements WorkerEntry {
  private constructor(
    private readonly files: ReadonlyArray<{ file: string; text: string }>,
    readonly entry: EntryPoint,
    private readonly log: Logger,
  ) {}

  /** The entry to start workers from: the bundle when running from sources and it can be built, else the sources as they are. */
  static async create(o: WorkerBundleOptions): Promise<WorkerEntry> {
    if (!WORKER_SOURCES.file.endsWith('.ts')) return WORKER_SOURCES_ENTRY;
    try {
      const bundle = await WorkerBundle.build(o.dir, o.log);
      if (bundle.ensure() !== bundle.entry) return WORKER_SOURCES_ENTRY;
      o.log.info({ file: bundle.entry.file }, 'workers start from a bundle of their sources');
      return bundle;
    } catch (err) {
      o.log.warn({ err: (err as Error).message }, 'could not bundle the worker; workers run from the TypeScript sources (tsx loader)');
      return WORKER_SOURCES_ENTRY;
    }
  }

  private static async build(dir: string, log: Logger): Promise<WorkerBundle> {
    const esbuild = await import('esbuild');
    // Built for a directory as deep as the final one (the source map's relative paths stay right), then named by content.
    const file = path.join(dir, 'building', 'worker', 'main.js');
    // esbuild's service is a child process: it goes once the bundle is made, so that the orchestrator's only children
    // are its workers (a later call would start it again).
    const result = await esbuild.build({
      entryPoints: [WORKER_SOURCES.file],
      outfile: file,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: `node${process.versions.node.split('.')[0]}`,
      sourcemap: 'external',
      write: false,
      logLevel: 'silent',
      plugins: [
        {
          name: 'packages-by-absolute-path',
          setup(build) {
            build.onResolve({ filter: /^[^./]/ }, (args) => {
              if (isBuiltin(args.path)) return { path: args.path, external: true };
              return { path: require.resolve(args.path, { paths: [args.resolveDir] }), external: true };
            });
          },
        },
      ],
    }).finally(() => esbuild.stop());
    const js = result.outputFiles.find((f) => f.path === file)!.text;
    const final = path.join(dir, createHash('sha256').update(js).digest('hex').slice(0, 12));
    const files = result.outputFiles.map((f) => ({ file: path.join(final, path.relative(path.dirname(path.dirname(file)), f.path)), text: f.text }));
    // No --enable-source-maps: Sequelize takes a stack trace on every query, and mapping each one cost about 8 % of a
    // worker's CPU during replay (docs/performance.md). The map lies beside the bundle for `node --enable-source-maps`.
    return new WorkerBundle(files, { file: path.join(final, 'worker', 'main.js'), execArgv: [] }, log);
  }

  /** Writes the bundle unless it is there (atomic: rename), and returns it; when it cannot be written (a full or
   * read-only disk), the worker's sources, so that workers still start. */
  ensure(): EntryPoint {
    try {
      for (const { file, text } of this.files) {
        if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) continue;
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, text);
        fs.renameSync(tmp, file);
      }
      return this.entry;
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'could not write the worker bundle; this worker starts from the TypeScript sources (tsx loader)');
      return WORKER_SOURCES;
    }
  }
}
