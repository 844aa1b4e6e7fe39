import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { access, readdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import {
  ServiceBuild,
  ServiceProcess,
  writeSupportToken,
} from '../faults/support/service-process.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SOURCES = join(REPO, 'apps/organizations/console');
const SLOW = 180_000;

/**
 * The service as `npm run build` builds it, run as its own process: tsc
 * copies no files of the console, so the build's `build:console` step
 * must, and the service must find them in dist/.
 */
describe('the console of the built service', () => {
  let build: ServiceBuild;
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    build = await ServiceBuild.compile();
    dataDir = await makeTempDir('console-build-data');
    const { file } = await writeSupportToken(dataDir);
    env = { DATA_DIR: dataDir, AUTH_TOKENS_FILE: file, LOG_LEVEL: 'error' };
  }, SLOW);

  afterAll(async () => {
    await build.remove();
    await removeTempDir(dataDir);
  });

  async function withService(
    check: (url: string) => Promise<void>,
  ): Promise<void> {
    const service = await ServiceProcess.start(build, env);
    try {
      await check(service.url);
    } finally {
      await service.stop();
    }
  }

  it(
    'says in words that the console is missing from a build without its files',
    async () => {
      await withService(async (url) => {
        const page = await fetch(`${url}/console`);
        expect(page.status).toBe(503);
        expect(await page.text()).toContain(
          'The console is not installed with this build of the service',
        );
      });
    },
    SLOW,
  );

  it(
    'serves every file of the console from dist once the build copied them',
    async () => {
      const script = (
        JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as {
          scripts: Record<string, string>;
        }
      ).scripts['build:console'];
      await symlink(join(REPO, 'apps'), join(build.dir, 'apps'));
      await promisify(execFile)('sh', ['-c', script ?? 'false'], {
        cwd: build.dir,
      });

      const files = (await readdir(SOURCES)).filter(
        (f) => f !== 'tsconfig.json',
      );
      expect(files).toEqual(
        expect.arrayContaining(['index.html', 'console.js']),
      );
      await withService(async (url) => {
        expect((await fetch(`${url}/console`)).status).toBe(200);
        for (const file of files) {
          const served = await fetch(`${url}/console/${file}`);
          expect({ file, status: served.status }).toEqual({
            file,
            status: 200,
          });
          expect(await served.text()).toBe(
            await readFile(join(SOURCES, file), 'utf8'),
          );
        }
        expect((await fetch(`${url}/console/tsconfig.json`)).status).toBe(404);
      });
      await expect(
        access(
          join(build.dir, 'dist/apps/organizations/console/tsconfig.json'),
        ),
      ).rejects.toThrow('ENOENT');
    },
    SLOW,
  );
});
