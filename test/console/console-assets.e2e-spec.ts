import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { AppHarness } from '../support/app-harness.js';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
  "connect-src 'self'; font-src 'none'; object-src 'none'; base-uri 'none'; " +
  "form-action 'self'; frame-ancestors 'none'";

/** Every file a page loads: its script and style sheet, and their imports. */
function references(file: string, text: string): string[] {
  const found = file.endsWith('.html')
    ? [...text.matchAll(/(?:src|href)="\/console\/([^"]+)"/g)]
    : [...text.matchAll(/from '\.\/([^']+)'/g)];
  return found.map((match) => match[1] ?? '');
}

describe('the console files served by the service', () => {
  let app: AppHarness;
  const served = new Map<string, { type: string; text: string }>();

  beforeAll(async () => {
    app = await AppHarness.start();
    const pending = ['index.html'];
    while (pending.length > 0) {
      const file = pending.pop() ?? '';
      if (served.has(file)) continue;
      const path = file === 'index.html' ? '/console' : `/console/${file}`;
      const response = await fetch(`${app.baseUrl}${path}`);
      expect({ file, status: response.status }).toEqual({ file, status: 200 });
      expect(response.headers.get('content-security-policy')).toBe(CSP);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      const text = await response.text();
      served.set(file, {
        type: response.headers.get('content-type') ?? '',
        text,
      });
      pending.push(...references(file, text));
    }
  });

  afterAll(async () => {
    await app.stop();
  });

  it('serves the page, its style sheet and every module it imports, without a token', () => {
    expect([...served.keys()]).toEqual(
      expect.arrayContaining([
        'index.html',
        'console.css',
        'console.js',
        'api.js',
        'organization.js',
        'time-travel.js',
        'fleet-audit.js',
      ]),
    );
    for (const [file, { type }] of served) {
      const expected = file.endsWith('.html')
        ? 'text/html'
        : file.endsWith('.css')
          ? 'text/css'
          : 'text/javascript';
      expect({ file, type }).toEqual({
        file,
        type: expect.stringContaining(expected),
      });
    }
  });

  it('loads nothing from elsewhere and runs no inline script or style', () => {
    const page = served.get('index.html')?.text ?? '';
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page).not.toMatch(/\sstyle=|\son[a-z]+=/);
    for (const [file, { text }] of served) {
      expect({
        file,
        external: text.match(/\b(https?:)?\/\/[a-z0-9.-]+\.[a-z]/gi),
      }).toEqual({
        file,
        external: null,
      });
    }
  });

  it('renders through DOM APIs only, never parsing data as markup', () => {
    for (const [file, { text }] of served) {
      expect({
        file,
        markup: text.match(
          /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/g,
        ),
      }).toEqual({ file, markup: null });
    }
  });

  it('keeps the token in sessionStorage, never in localStorage or cookies', () => {
    const api = served.get('api.js')?.text ?? '';
    expect(api).toContain('sessionStorage');
    for (const [file, { text }] of served) {
      expect({
        file,
        stores: text.match(/localStorage|document\.cookie/g),
      }).toEqual({
        file,
        stores: null,
      });
    }
  });

  it('answers 404 for any other name, and serves no file outside its folder', async () => {
    for (const path of [
      '/console/missing.js',
      '/console/tsconfig.json',
      '/console/..%2Fsrc%2Fmain.ts',
      '/console/%2e%2e%2fpackage.json',
      '/console/.hidden.js',
    ]) {
      const reply = await app.get(null, path);
      expect({ path, status: reply.status }).toEqual({ path, status: 404 });
    }
  });

  it('adds no way around the API: its data still needs a token', async () => {
    expect((await app.get(null, '/v1/organizations')).status).toBe(401);
    expect((await fetch(`${app.baseUrl}/console`)).status).toBe(200);
  });
});
