// Loads the metadata pages in headless Chromium (Debian's package, driven by playwright-core),
// checks the text a reader sees, and saves screenshots under target/.
// scripts/client-tests.sh installs Chromium, starts the server and sets EVO_TEST_URL.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const baseUrl = process.env.EVO_TEST_URL;
assert.ok(baseUrl, 'EVO_TEST_URL must be set');

const repository = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const screenshots = path.join(repository, 'target', 'screenshots');
const seedPage = path.join(repository, 'crates/evo-integrations/tests/fixtures/NewIntegration.metadata.txt');

// The flags keep Chromium from contacting any outside host.
const chromiumFlags = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
];

let profile;
let context;

before(async () => {
    profile = await mkdtemp(path.join(tmpdir(), 'evo-chromium-'));
    await mkdir(screenshots, { recursive: true });
    context = await chromium.launchPersistentContext(profile, {
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: chromiumFlags,
    });
});

after(async () => {
    await context?.close();
    if (profile) {
        await rm(profile, { recursive: true, force: true });
    }
});

// The page's text without the Host line and the authentication and roles lines, with every
// whitespace character removed, as the Rust test compares it.
function comparable(text) {
    return text
        .split('\n')
        .filter((line) => !line.trim().startsWith('Host:') && !line.trim().startsWith('Requires'))
        .join('')
        .replace(/\s/g, '');
}

test('the index lists the operations and links their pages', async () => {
    const page = await context.newPage();
    const response = await page.goto(`${baseUrl}/metadata`);
    assert.equal(response.status(), 200);
    assert.equal(await page.title(), 'Evo Voice');

    const text = await page.locator('body').innerText();
    for (const heading of ['Integrations', 'Customers', 'Accounts', 'Endpoints', 'Auth']) {
        assert.ok(text.includes(heading), `no group ${heading}`);
    }
    const row = await page.locator('table.operations tr', { hasText: 'NewIntegration' }).first().innerText();
    assert.equal(row.replace(/\s+/g, ' ').trim(), 'NewIntegration JSON XML JSV CSV');
    await page.screenshot({ path: path.join(screenshots, 'metadata-index.png'), fullPage: true });

    await page.locator('table.operations tr', { hasText: 'NewIntegration' })
        .first()
        .getByRole('link', { name: 'JSV' })
        .click();
    await page.waitForURL(/\/jsv\/metadata\?op=NewIntegration$/);
    assert.equal(await page.locator('h2').first().innerText(), 'NewIntegration');
    await page.close();
});

test('the NewIntegration JSV page renders the original text', async () => {
    const page = await context.newPage();
    const response = await page.goto(`${baseUrl}/jsv/metadata?op=NewIntegration`);
    assert.equal(response.status(), 200);

    const rendered = await page.locator('body').innerText();
    const original = await readFile(seedPage, 'utf8');
    assert.equal(comparable(rendered), comparable(original));

    const accountId = await page.locator('table.parameters tr', { hasText: 'AccountId' }).first().innerText();
    assert.deepEqual(
        accountId.split('\t').map((cell) => cell.trim()),
        ['AccountId', 'body', 'string', 'No', 'The account ID to associate this integration with'],
    );
    const enumValues = await page.locator('h3:has-text("IntegrationTypes Enum:") + ul li').allInnerTexts();
    assert.deepEqual(enumValues, ['HostedSuite', 'OfficeRnd', 'Zoho']);
    assert.match(await page.locator('pre.request').innerText(), /^POST \/integrations HTTP\/1\.1/);

    await page.screenshot({ path: path.join(screenshots, 'metadata-NewIntegration-jsv.png'), fullPage: true });
    await page.close();
});
