import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import ts from 'typescript';
import { FakeDbaas } from './fake-dbaas';

/*
 * Runs a k6 script's functions under Node, for tests: k6 itself cannot be installed here. The script is parsed with
 * the TypeScript compiler (syntax errors are reported, not swallowed), turned into CommonJS, and run in its own VM
 * context per VU (k6 runs the init code once per VU, so module state is not shared) with stand-ins for `k6` and
 * `k6/http`. Every body is validated with the project's real request schemas; requests go to an in-memory model of the
 * API (fake-dbaas.ts) or, given a transport, to a real system (smoke-run.ts).
 */

/** Sends one POST and answers as k6's http.post would: status and body text. */
export type Transport = (url: string, body: string, headers: Record<string, string>) => { status: number; body: string };

export interface RecordedRequest {
  url: string;
  body: unknown;
  headers: Record<string, string>;
  tags: Record<string, string>;
  /** Empty when the project's schema accepts the body. */
  invalid: string;
}

export interface CheckResult {
  name: string;
  pass: boolean;
  tags?: Record<string, string>;
}

export interface K6Sandbox {
  exports: Record<string, unknown>;
  requests: RecordedRequest[];
  checks: CheckResult[];
  /** The in-memory API the requests went to (also when a transport sent them on). */
  api: FakeDbaas;
  /** VU `n`'s own instance of the script (created on first use; 0 is setup's and teardown's), at iteration `iter`. */
  vu(n: number, iter: number): Record<string, unknown>;
}

/** Syntax errors of a JavaScript file, as the TypeScript parser reports them. */
export function syntaxErrors(file: string): string[] {
  const out = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
    fileName: file,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, allowJs: true },
  });
  return (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

export function loadK6Script(file: string, env: Record<string, string> = {}, transport?: Transport): K6Sandbox {
  const requests: RecordedRequest[] = [];
  const checks: CheckResult[] = [];
  const api = new FakeDbaas();

  const post = (url: string, raw: string, params: { headers?: Record<string, string>; tags?: Record<string, string> } = {}) => {
    const body = JSON.parse(raw);
    const answer = api.handle(url, body);
    requests.push({ url, body, headers: { ...params.headers }, tags: { ...params.tags }, invalid: answer.invalid });
    return transport ? transport(url, raw, { ...params.headers }) : { status: answer.status, body: answer.body };
  };
  const k6 = {
    check(value: unknown, sets: Record<string, (v: unknown) => boolean>, tags?: Record<string, string>) {
      let all = true;
      for (const [name, fn] of Object.entries(sets)) {
        const pass = Boolean(fn(value));
        checks.push({ name, pass, ...(tags ? { tags: { ...tags } } : {}) });
        all &&= pass;
      }
      return all;
    },
    sleep() {},
  };

  /** One VU's copy of the script: its own context, globals and module instances. */
  const instantiate = (vu: number) => {
    const context = vm.createContext({ __ENV: { ...env }, __VU: vu, __ITER: 0, console });
    const cache = new Map<string, Record<string, unknown>>();
    const load = (abs: string): Record<string, unknown> => {
      const hit = cache.get(abs);
      if (hit) return hit;
      const errors = syntaxErrors(abs);
      if (errors.length) throw new Error(`${path.basename(abs)}: ${errors.join('; ')}`);
      const js = ts.transpileModule(fs.readFileSync(abs, 'utf8'), {
        fileName: abs,
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, allowJs: true, esModuleInterop: true },
      }).outputText;
      const mod = { exports: {} as Record<string, unknown> };
      cache.set(abs, mod.exports);
      const requireFn = (spec: string) => {
        if (spec === 'k6/http') return { __esModule: true, default: { post }, post };
        if (spec === 'k6') return { __esModule: true, default: k6, ...k6 };
        if (spec.startsWith('./')) return load(path.resolve(path.dirname(abs), spec));
        throw new Error(`${path.basename(abs)} imports ${spec}, which k6 does not provide here`);
      };
      vm.runInContext(`(function (exports, require, module) {\n${js}\n})`, context, { filename: abs })(mod.exports, requireFn, mod);
      return mod.exports;
    };
    return { context, exports: load(path.resolve(file)) };
  };

  const vus = new Map<number, ReturnType<typeof instantiate>>([[0, instantiate(0)]]);
  return {
    exports: vus.get(0)!.exports,
    requests,
    checks,
    api,
    vu(n, iter) {
      if (!vus.has(n)) vus.set(n, instantiate(n));
      const v = vus.get(n)!;
      v.context.__ITER = iter;
      return v.exports;
    },
  };
}

type ScriptFn = (data?: unknown) => unknown;

/** What k6 would do for a few iterations: setup, each scenario's function on `vus` VUs × `iterations`, teardown. */
export function runIterations(box: K6Sandbox, vus = 2, iterations = 3): void {
  const ex = box.exports;
  const data = typeof ex.setup === 'function' ? (ex.setup as ScriptFn)() : undefined;
  const scenarios = (ex.options as { scenarios?: Record<string, { exec?: string }> }).scenarios ?? { default: {} };
  try {
    for (const [name, sc] of Object.entries(scenarios)) {
      const exec = sc.exec ?? 'default';
      if (typeof ex[exec] !== 'function') throw new Error(`scenario ${name} runs ${exec}, which the script does not export`);
      for (let vu = 1; vu <= vus; vu++) {
        for (let iter = 0; iter < iterations; iter++) (box.vu(vu, iter)[exec] as ScriptFn)(data);
      }
    }
  } finally {
    if (typeof ex.teardown === 'function') (ex.teardown as ScriptFn)(data);
  }
}
