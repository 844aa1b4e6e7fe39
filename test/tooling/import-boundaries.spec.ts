import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { ICruiseResult } from 'dependency-cruiser';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const DEPCRUISE = join(
  REPO,
  'node_modules/dependency-cruiser/bin/dependency-cruise.mjs',
);

type Files = Record<string, string>;

interface Violation {
  rule: string;
  from: string;
  to: string;
}

const violating: Files = {
  'libs/domain/src/index.ts': 'export {};\n',
  'libs/domain/src/uses-nest.ts':
    "import { Injectable } from '@nestjs/common';\n" +
    'export const decorate = Injectable;\n',
  'libs/domain/src/uses-fs.ts':
    "import { readFileSync } from 'node:fs';\n" +
    'export const read = readFileSync;\n',
  'libs/contracts/src/leak.ts':
    "import * as domain from '@org/domain';\n" +
    'export const leaked = domain;\n',
  'libs/bus/src/client/uses-nest.ts':
    "import { Injectable } from '@nestjs/common';\n" +
    'export const client = Injectable;\n',
  'test/cycle/a.ts':
    "import { b } from './b.js';\nexport const a = (): number => b() + 1;\n",
  'test/cycle/b.ts':
    "import { a } from './a.js';\nexport const b = (): number => a() - 1;\n",
};

const clean: Files = {
  'libs/domain/src/index.ts': "export { shout } from './shout.js';\n",
  'libs/domain/src/shout.ts':
    'export const shout = (text: string): string => text.toUpperCase();\n',
  'libs/domain/src/shout.spec.ts':
    "import { expect, it } from '@jest/globals';\n" +
    "import { shout } from './shout.js';\n" +
    "it('shouts', () => expect(shout('a')).toBe('A'));\n",
  'libs/event-store/src/store.ts':
    "import { shout } from '@org/domain';\n" +
    "export const stream = (id: string): string => shout('org-' + id);\n",
  'apps/organizations/src/main.ts':
    "import { Injectable } from '@nestjs/common';\n" +
    "import { stream } from '../../../libs/event-store/src/store.js';\n" +
    'export const parts = [Injectable, stream];\n',
};

const roots: string[] = [];

interface Fixture {
  root: string;
  folders: string[];
}

function writeFixture(files: Files): Fixture {
  const root = mkdtempSync(join(tmpdir(), 'import-boundaries-'));
  roots.push(root);

  copyFileSync(join(REPO, 'package.json'), join(root, 'package.json'));
  copyFileSync(join(REPO, 'tsconfig.json'), join(root, 'tsconfig.json'));
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'), 'dir');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  const tops = Object.keys(files).map((path) => path.split('/')[0] ?? path);
  return { root, folders: [...new Set(tops)] };
}

function cruise({ root, folders }: Fixture): Promise<Violation[]> {
  const args = [DEPCRUISE, ...folders];
  args.push('--config', join(REPO, '.dependency-cruiser.cjs'));
  args.push('--output-type', 'json');

  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve(violationsOf(Buffer.concat(out).toString()));
      } catch (error) {
        const stderr = Buffer.concat(err).toString();
        reject(new Error(`depcruise failed: ${stderr}`, { cause: error }));
      }
    });
  });
}

function violationsOf(json: string): Violation[] {
  const result = JSON.parse(json) as ICruiseResult;
  return result.summary.violations.map(({ rule, from, to }) => ({
    rule: rule.name,
    from,
    to,
  }));
}

describe('import boundaries (.dependency-cruiser.cjs)', () => {
  let broken: Violation[];
  let fine: Violation[];

  beforeAll(async () => {
    [broken, fine] = await Promise.all([
      cruise(writeFixture(violating)),
      cruise(writeFixture(clean)),
    ]);
  }, 60_000);

  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true });
  });

  it('refuses a domain import of @nestjs/common', () => {
    expect(broken).toContainEqual({
      rule: 'domain-is-pure',
      from: 'libs/domain/src/uses-nest.ts',
      to: expect.stringContaining('node_modules/@nestjs/common/'),
    });
  });

  it('refuses a domain import of a node core module', () => {
    expect(broken).toContainEqual({
      rule: 'domain-is-pure',
      from: 'libs/domain/src/uses-fs.ts',
      to: 'fs',
    });
  });

  it('refuses an import cycle', () => {
    expect(broken).toContainEqual(
      expect.objectContaining({ rule: 'no-circular', from: 'test/cycle/a.ts' }),
    );
  });

  it('resolves the @org/* aliases and refuses contracts importing domain', () => {
    expect(broken).toContainEqual({
      rule: 'contracts-imports-only-itself',
      from: 'libs/contracts/src/leak.ts',
      to: 'libs/domain/src/index.ts',
    });
  });

  it('refuses Nest in the bus client that other services import', () => {
    expect(broken).toContainEqual({
      rule: 'bus-client-needs-no-nest',
      from: 'libs/bus/src/client/uses-nest.ts',
      to: expect.stringContaining('@nestjs/common'),
    });
  });

  it('reports nothing for imports that follow the layout', () => {
    expect(fine).toEqual([]);
  });
});
