import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the console's files live: `apps/organizations/console` beside the
 * sources, and `dist/apps/organizations/console` after `npm run build`
 * (which copies them there), so both resolve from this module.
 */
export const CONSOLE_DIR = fileURLToPath(
  new URL('../../console/', import.meta.url),
);

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

// A flat folder of plain names: nothing can climb out of it.
const ASSET_NAME = /^[a-z][a-z0-9-]*\.(html|css|js)$/;

/** One console file, ready to send. */
export interface ConsoleAsset {
  readonly contentType: string;
  readonly body: Buffer;
}

/** The named file of the console, or `null` when there is none by that name. */
export async function readConsoleAsset(
  name: string,
  dir: string = CONSOLE_DIR,
): Promise<ConsoleAsset | null> {
  const contentType = CONTENT_TYPES[extname(name)];
  if (!ASSET_NAME.test(name) || contentType === undefined) return null;
  try {
    return { contentType, body: await readFile(join(dir, name)) };
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
