// The example operations of docs/operations, with what their comment headers declare.
//
// Each file holds one named operation (plus its fragments) and a `#` comment header whose
// machine-read lines are `# account: EMAIL` (the demo account it is written for) and
// `# variables: {JSON}` (values that run it on the demo data). The Rust tests read the same
// header (tests/api/schema_contract.rs).

import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const OPERATIONS_DIR = join(ROOT, 'docs', 'operations');
export const DEMO_PASSWORD = 'demo-password';

/** Every docs/operations/*.graphql file, parsed. */
export function loadOperations() {
  return readdirSync(OPERATIONS_DIR)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((file) => {
      const source = readFileSync(join(OPERATIONS_DIR, file), 'utf8');
      // Only the leading comment block is the header (as in crates/server/src/graphiql.rs).
      const lines = source.split('\n');
      const headerLines = lines.slice(0, lines.findIndex((line) => !line.startsWith('#')));
      const header = (key) =>
        headerLines
          .map((line) => line.match(new RegExp(`^#\\s*${key}:\\s*(.*)$`)))
          .find(Boolean)?.[1]
          ?.trim();
      const document = parse(source);
      const operations = document.definitions.filter((d) => d.kind === 'OperationDefinition');
      if (operations.length !== 1) {
        throw new Error(`${file}: expected exactly one operation, found ${operations.length}`);
      }
      const account = header('account');
      return {
        file,
        source,
        document,
        name: operations[0].name?.value,
        type: operations[0].operation,
        account: account?.includes('@') ? account : undefined,
        variables: JSON.parse(header('variables') ?? '{}'),
      };
    });
}

/** The operation named `name`. */
export function operation(name) {
  const found = loadOperations().find((o) => o.name === name);
  if (!found) throw new Error(`no operation ${name} in docs/operations`);
  return found;
}
