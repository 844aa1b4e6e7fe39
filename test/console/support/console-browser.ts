import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  type Browser,
  type BrowserContext,
  chromium,
  type Locator,
  type Page,
} from 'playwright-core';

import { waitFor } from '../../support/wait-for.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));

/** Where the tests leave a screenshot of every page, for a reviewer. */
export const SCREENSHOTS = join(REPO, 'test-output/console');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Debian's Chromium, headless, quiet on the network. Playwright gives every
 * launch a fresh temporary profile (user data folder) of its own.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** One browser tab on the console, recording what would show a fault. */
export class ConsoleTab {
  /** Requests that left the service's origin. */
  readonly foreignRequests: string[] = [];
  /** Console errors: CSP violations, failed scripts, uncaught errors. */
  readonly errors: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  static async open(browser: Browser, baseUrl: string): Promise<ConsoleTab> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    const tab = new ConsoleTab(context, page, baseUrl);
    const origin = new URL(baseUrl).origin;
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(origin) && !url.startsWith('blob:')) {
        tab.foreignRequests.push(url);
      }
    });
    page.on('console', (message) => {
      if (message.type() === 'error') tab.errors.push(message.text());
    });
    page.on('pageerror', (error) => tab.errors.push(error.message));
    await page.goto(`${baseUrl}/console`);
    return tab;
  }

  /** Goes to a console route, e.g. `/fleet`, as a typed address would. */
  async go(route: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}/console#${route}`);
  }

  async signIn(token: string): Promise<void> {
    await this.go('/sign-in');
    await this.page.getByLabel('Bearer token').fill(token);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
    await this.heading('Fleet');
  }

  /** Waits until the page's heading is this text. */
  async heading(text: string | RegExp): Promise<Locator> {
    const heading = this.page.getByRole('heading', { level: 1, name: text });
    await heading.waitFor();
    return heading;
  }

  /** The text of the element, once it holds `expected`. */
  async textOnceContains(locator: Locator, expected: string): Promise<string> {
    let text = '';
    await waitFor(
      async () => {
        text = (await locator.first().textContent()) ?? '';
        return text.includes(expected);
      },
      {
        timeoutMs: 10_000,
        intervalMs: 25,
        description: `"${expected}" in ${locator.toString()} (last: "${text}")`,
      },
    );
    return text;
  }

  async screenshot(name: string): Promise<void> {
    await mkdir(SCREENSHOTS, { recursive: true });
    await this.page.screenshot({
      path: join(SCREENSHOTS, `${name}.png`),
      fullPage: true,
    });
  }

  /** Form controls that no label names: none, if the page is accessible. */
  async unlabelledControls(): Promise<string[]> {
    // In the page's own JavaScript: the test's compiler knows no DOM.
    return this.page.evaluate<string[]>(`
      [...document.querySelectorAll('input, select, textarea')]
        .filter((control) =>
          control.labels.length === 0 &&
          !control.hasAttribute('aria-label') &&
          !control.hasAttribute('aria-labelledby'))
        .map((control) => control.outerHTML)
    `);
  }

  /**
   * Visible text whose contrast with its background is below WCAG AA: 4.5
   * to 1, or 3 to 1 for large text. None, if the page is readable.
   */
  async lowContrastText(): Promise<string[]> {
    return this.page.evaluate<string[]>(`(() => {
      const parse = (color) => {
        const parts = (color.match(/rgba?\\(([^)]+)\\)/) ?? [, ''])[1]
          .split(/[\\s,\\/]+/).filter(Boolean).map(Number);
        return { r: parts[0], g: parts[1], b: parts[2], a: parts[3] ?? 1 };
      };
      const channel = (v) => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      };
      const luminance = ({ r, g, b }) =>
        0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
      const background = (element) => {
        for (let e = element; e !== null; e = e.parentElement) {
          const color = parse(getComputedStyle(e).backgroundColor);
          if (color.a > 0) return color;
        }
        return { r: 255, g: 255, b: 255, a: 1 };
      };
      const failures = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        const text = walker.currentNode.textContent.trim();
        const element = walker.currentNode.parentElement;
        if (text === '' || element === null || !element.checkVisibility()) continue;
        const style = getComputedStyle(element);
        const [light, dark] = [luminance(parse(style.color)), luminance(background(element))]
          .sort((a, b) => b - a);
        const ratio = (light + 0.05) / (dark + 0.05);
        const size = parseFloat(style.fontSize);
        const large = size >= 24 || (Number(style.fontWeight) >= 700 && size >= 18.66);
        if (ratio < (large ? 3 : 4.5)) {
          failures.push(element.tagName + ' "' + text.slice(0, 40) + '" ' + ratio.toFixed(2));
        }
      }
      return failures;
    })()`);
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
