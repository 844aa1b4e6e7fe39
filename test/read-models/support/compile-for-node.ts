import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import ts from 'typescript';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));

// What a child process needs: the libraries it imports, from source.
const SOURCE_DIRS = [
  'libs/domain/src',
  'libs/event-store/src',
  'libs/read-models/src',
];

/**
 * Transpiles the libraries and an entry module into `outDir` as ES modules
 * Node runs as they are, with `@org/*` imports rewritten to relative paths
 * and `node_modules` linked from the repository: a test can start a real
 * child process on the current sources without a build. Types are not
 * checked here; `tsc --noEmit` does that for the repository.
 */
export async function compileForNode(
  entry: string,
  outDir: string,
): Promise<string> {
  const aliases = pathAliases();
  const files = [
    ...(await Promise.all(SOURCE_DIRS.map((dir) => sourcesIn(dir)))).flat(),
    entry,
  ];
  await Promise.all(files.map((file) => transpile(file, outDir, aliases)));
  await writeFile(join(outDir, 'package.json'), '{ "type": "module" }\n');
  await symlink(
    join(REPO, 'node_modules'),
    join(outDir, 'node_modules'),
    'dir',
  );
  return join(outDir, entry.replace(/\.ts$/, '.js'));
}

async function sourcesIn(dir: string): Promise<string[]> {
  const entries = await readdir(join(REPO, dir), {
    recursive: true,
    withFileTypes: true,
  });
  return entries
    .filter(
      (e) =>
        e.isFile() &&
        e.name.endsWith('.ts') &&
        !e.name.endsWith('.spec.ts') &&
        !e.name.endsWith('.d.ts'),
    )
    .map((e) => relative(REPO, join(e.parentPath, e.name)))
    .filter((file) => !file.includes('/testing/'));
}

async function transpile(
  file: string,
  outDir: string,
  aliases: ReadonlyMap<string, string>,
): Promise<void> {
  const source = await readFile(join(REPO, file), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    fileName: file,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      isolatedModules: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
    },
  });
  const out = join(outDir, file.replace(/\.ts$/, '.js'));
  const rewritten = outputText.replace(
    /(from\s+|import\s*\(\s*)'(@org\/[^']+)'/g,
    (whole, lead: string, alias: string) => {
      const target = aliases.get(alias);
      if (target === undefined) return whole;
      const path = relative(dirname(file), target).replace(/\.ts$/, '.js');
      return `${lead}'${path.startsWith('.') ? path : `./${path}`}'`;
    },
  );
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, rewritten);
}

function pathAliases(): Map<string, string> {
  const { config } = ts.readConfigFile(join(REPO, 'tsconfig.json'), (path) =>
    ts.sys.readFile(path),
  ) as { config: { compilerOptions: { paths: Record<string, string[]> } } };
  return new Map(
    Object.entries(config.compilerOptions.paths).flatMap(([alias, [target]]) =>
      target === undefined ? [] : [[alias, target.replace(/^\.\//, '')]],
    ),
  );
}
