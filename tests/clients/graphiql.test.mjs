// The browser test: headless Chromium (Debian's, driven by playwright-core) opens GraphiQL at
// `/` with every request outside the server refused — so its assets must come from the server
// (`[graphiql] assets_dir`) — puts a demo token in the headers editor, runs a preloaded
// example tab and sees the answer in the result pane. Keeps a screenshot in artifacts/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { loadOperations } from './lib/operations.mjs';
import { BASE_URL, login } from './lib/server.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const SCREENSHOT = join(HERE, 'artifacts', 'graphiql.png');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

test('GraphiQL runs an example operation with a token from the headers editor, offline', { timeout: 120_000 }, async () => {
  const token = await login('hanoi.admin@demo.khuyenhoc.vn');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  try {
    const server = new URL(BASE_URL).host;
    const outside = [];
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.host === server) return route.continue();
      outside.push(url.href);
      return route.abort();
    });
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(`${BASE_URL}/`);
    await page.locator('.graphiql-container').waitFor({ timeout: 30_000 });

    // Every example operation is preloaded as a tab, named after the operation.
    const names = loadOperations().map((o) => o.name);
    const tabs = page.locator('.graphiql-tab');
    await tabs.first().waitFor();
    const titles = (await tabs.allInnerTexts()).map((t) => t.trim());
    for (const name of names) assert.ok(titles.some((t) => t.startsWith(name)), `tab ${name} in ${titles}`);

    // The documentation explorer opens and shows the schema GraphiQL loaded by introspection.
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.getByText('Query', { exact: true }).first().waitFor({ timeout: 30_000 });
    await docs.getByText('Query', { exact: true }).first().click();
    await docs.getByText('approvalQueue', { exact: true }).first().waitFor();

    // Open the OrganisationTree tab. Its headers editor (headers are per tab) is open on load;
    // replace its contents with the bearer token.
    await tabs.filter({ hasText: 'OrganisationTree' }).first().click();
    const headers = page.locator('section.graphiql-editor-tool[aria-label="Headers"]');
    await headers.locator('.graphiql-editor:not(.hidden) .CodeMirror').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${token}` }));

    // Run it.
    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.result-window');
    await result.getByText('Hội Khuyến học thành phố Hà Nội').first().waitFor({ timeout: 30_000 });
    const text = await result.innerText();
    assert.match(text, /"displayName": "Trần Thị Thu Hà"/);
    assert.doesNotMatch(text, /"errors"/);

    assert.deepEqual(outside, [], 'GraphiQL requested nothing outside the server');
    assert.deepEqual(pageErrors, []);
  } finally {
    // Kept whether the test passes or not: what the page showed is the first thing to look at.
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT }).catch(() => {});
    await browser.close();
  }
});
