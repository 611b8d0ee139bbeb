// graphql-codegen generates TypeScript types from schema/schema.graphql and the example
// operations of docs/operations; `tsc --noEmit --strict` compiles a typed client using them
// and rejects a file that misuses them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { ROOT } from './lib/operations.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUTPUT = join(HERE, '.generated', 'operations.ts');
const TSC = join(HERE, 'node_modules', 'typescript', 'bin', 'tsc');

/** Runs tsc on `file`; returns its output and whether it passed. */
function tsc(file) {
  const args = [TSC, '--noEmit', '--strict', '--skipLibCheck', '--target', 'es2022',
    '--module', 'esnext', '--moduleResolution', 'bundler', '--pretty', 'false', file];
  try {
    return { ok: true, output: execFileSync(process.execPath, args, { cwd: HERE, encoding: 'utf8' }) };
  } catch (error) {
    return { ok: false, output: `${error.stdout}${error.stderr}` };
  }
}

test('graphql-codegen generates the operation types and tsc --strict compiles a typed client', async () => {
  rmSync(join(HERE, '.generated'), { recursive: true, force: true });
  await generate(
    {
      schema: join(ROOT, 'schema', 'schema.graphql'),
      documents: join(ROOT, 'docs', 'operations', '*.graphql'),
      generates: {
        [OUTPUT]: {
          plugins: ['typescript', 'typescript-operations'],
          config: {
            scalars: { Date: 'string', DateTime: 'string', JSON: 'unknown' },
            defaultScalarType: 'unknown',
            enumsAsTypes: true,
            avoidOptionals: { field: true, inputValue: false },
          },
        },
      },
      silent: true,
    },
    true,
  );
  assert.ok(existsSync(OUTPUT), 'codegen wrote the types');
  const usage = tsc(join('typed', 'usage.ts'));
  assert.ok(usage.ok, `typed/usage.ts does not compile:\n${usage.output}`);
});

test('the generated types reject misuse', { timeout: 120_000 }, async () => {
  assert.ok(existsSync(OUTPUT), 'run after the generation test');
  const misuse = tsc(join('typed', 'misuse.ts'));
  assert.equal(misuse.ok, false, 'typed/misuse.ts must not compile');
  const codes = [...misuse.output.matchAll(/error (TS\d+)/g)].map((m) => m[1]).sort();
  assert.deepEqual(codes, ['TS18047', 'TS2339', 'TS2339', 'TS2345'], misuse.output);
});
