import { entryPoint } from './entry-point';

describe('entryPoint', () => {
  it('runs a TypeScript source through the tsx loader', () => {
    expect(entryPoint('/app/system/orchestrator/runtime', '../../worker/main', '/app/system/orchestrator/runtime/process-runtime.ts')).toEqual({
      file: '/app/system/worker/main.ts',
      execArgv: ['--import', 'tsx'],
    });
  });

  it('runs compiled JavaScript with plain node', () => {
    expect(entryPoint('/app/dist/system/orchestrator/runtime', '../../worker/main', '/app/dist/system/orchestrator/runtime/process-runtime.js')).toEqual({
      file: '/app/dist/system/worker/main.js',
      execArgv: [],
    });
  });
});
