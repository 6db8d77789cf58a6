// Adds a TypeScript ServiceStack reference with the pinned @servicestack/cli (typescript-ref),
// compiles the DTOs with the pinned tsc --strict, and calls the server through them with
// @servicestack/client. Then updates the reference with IncludeTypes, as a user would after
// uncommenting that option. scripts/client-tests.sh starts the server and sets the environment.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const baseUrl = process.env.EVO_TEST_URL;
const apiKey = process.env.EVO_TEST_API_KEY;
assert.ok(baseUrl, 'EVO_TEST_URL must be set');
assert.ok(apiKey, 'EVO_TEST_API_KEY must be set');

// The folder is inside clients/npm so that tsc and node find @servicestack/client in its
// node_modules, and npx finds the pinned @servicestack/cli and typescript.
const npmRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const folder = mkdtempSync(path.join(npmRoot, '.typescript-ref-'));
const dtosPath = path.join(folder, 'dtos.ts');
// typescript-ref takes an argument that starts with "/" for a switch, so it gets a relative path.
const dtosArgument = path.relative(npmRoot, dtosPath);
after(() => rmSync(folder, { recursive: true, force: true }));

/** Runs a command from clients/npm and returns its output. A failed run's assertion shows it. */
function run(command, args, env = {}) {
    const result = spawnSync(command, args, {
        cwd: npmRoot,
        encoding: 'utf8',
        timeout: 180_000,
        env: { ...process.env, SERVICESTACK_TELEMETRY_OPTOUT: '1', ...env },
    });
    const output = `$ ${command} ${args.join(' ')}\n${result.stdout ?? ''}${result.stderr ?? ''}`;
    assert.equal(result.error, undefined, `${output}\n${result.error}`);
    assert.equal(result.status, 0, output);
    return output;
}

/** Lists the names of the types a DTO module exports, sorted. */
function exportedNames(source) {
    return [...source.matchAll(/^export (?:class|interface|enum) (\w+)/gm)]
        .map(match => match[1])
        .sort();
}

test('typescript-ref saves the DTOs with the Options header', () => {
    const output = run('npx', ['--no-install', '-p', '@servicestack/cli', 'typescript-ref', baseUrl, dtosArgument]);
    assert.match(output, /Saved to: /);

    const dtos = readFileSync(dtosPath, 'utf8');
    assert.match(dtos, /^\/\* Options:$/m, output);
    assert.match(dtos, new RegExp(`^BaseUrl: ${baseUrl}$`, 'm'));
    assert.match(dtos, /^\/\/IncludeTypes: $/m);
    for (const name of ['NewIntegration', 'GetIntegration', 'ListIntegrations', 'ListResponse',
        'ListRequest', 'IntegrationInfo', 'EntityInfo', 'Struct', 'NewCustomer', 'NewAccount']) {
        assert.ok(exportedNames(dtos).includes(name), `dtos.ts does not export ${name}`);
    }
});

test('the DTOs compile with tsc --strict and drive JsonServiceClient', () => {
    writeFileSync(path.join(folder, 'app.ts'), `
import { JsonServiceClient } from '@servicestack/client';
import {
    NewAccount, NewCustomer, NewIntegration, GetIntegration, ListIntegrations,
    IntegrationInfo, IntegrationTypes, ListResponse, Struct, Value,
} from './dtos.js';

// Node's own types are not installed, so the one global this script reads is declared here.
declare const process: { env: { [name: string]: string | undefined } };

const client = new JsonServiceClient(process.env.EVO_TEST_URL!);
client.bearerToken = process.env.EVO_TEST_API_KEY!;
const suffix = Math.random().toString(36).slice(2);

const account = await client.post(new NewAccount({ name: \`TypeScript \${suffix}\` }));
const customer = await client.post(new NewCustomer({
    accountId: account.id,
    name: \`Typed \${suffix}\`,
    data: new Struct({ tier: new Value({ stringValue: 'gold' }) }),
}));
const created: IntegrationInfo = await client.post(new NewIntegration({
    accountId: account.id,
    customerId: customer.id,
    type: IntegrationTypes.Zoho,
    name: \`Zoho \${suffix}\`,
}));
const read: IntegrationInfo = await client.get(new GetIntegration({ integrationId: created.id }));
const list: ListResponse<IntegrationInfo> = await client.get(new ListIntegrations({
    accountIds: [account.id!],
    countPerPage: 10,
}));
console.log(JSON.stringify({ suffix, account, customer, created, read, list }));
`);
    writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(path.join(folder, 'tsconfig.json'), JSON.stringify({
        compilerOptions: {
            strict: true,
            target: 'ES2022',
            module: 'ES2022',
            moduleResolution: 'bundler',
            lib: ['ES2022', 'DOM'],
            outDir: 'out',
        },
        files: ['app.ts', 'dtos.ts'],
    }));

    run('npx', ['--no-install', 'tsc', '--strict', '--noEmit', '--target', 'ES2022', '--module', 'ES2022', dtosPath]);
    run('npx', ['--no-install', 'tsc', '--strict', '-p', folder]);

    const output = run(process.execPath, [path.join(folder, 'out', 'app.js')],
        { EVO_TEST_URL: baseUrl, EVO_TEST_API_KEY: apiKey });
    const lastLine = output.trim().split('\n').at(-1);
    const { suffix, account, customer, created, read, list } = JSON.parse(lastLine);

    assert.equal(account.name, `TypeScript ${suffix}`);
    assert.equal(customer.accountId, account.id);
    assert.equal(customer.data.tier.stringValue, 'gold');

    assert.ok(created.id, output);
    assert.equal(created.name, `Zoho ${suffix}`);
    assert.equal(created.type, 'Zoho');
    assert.equal(created.status, 'NotConfigured');
    assert.equal(created.accountId, account.id);
    assert.equal(created.customerId, customer.id);

    assert.equal(read.id, created.id);
    assert.equal(read.name, created.name);
    assert.equal(read.customerName, `Typed ${suffix}`);
    assert.deepEqual(read.customerBreadcrumb.map(crumb => crumb.id), [customer.id]);

    assert.equal(list.totalCount, 1);
    assert.deepEqual(list.items.map(item => item.id), [created.id]);
});

test('typescript-ref updates the DTOs with the uncommented IncludeTypes', () => {
    const saved = readFileSync(dtosPath, 'utf8');
    const edited = saved.replace(/^\/\/IncludeTypes: .*$/m, 'IncludeTypes: NewIntegration.*');
    assert.notEqual(edited, saved, 'dtos.ts has no //IncludeTypes line to uncomment');
    writeFileSync(dtosPath, edited);

    const output = run('npx', ['--no-install', '-p', '@servicestack/cli', 'typescript-ref', dtosArgument]);
    assert.match(output, /Updated: /);

    const dtos = readFileSync(dtosPath, 'utf8');
    assert.match(dtos, /^IncludeTypes: NewIntegration\.\*$/m, output);
    assert.match(dtos, new RegExp(`^BaseUrl: ${baseUrl}$`, 'm'));
    // NewIntegration, its response IntegrationInfo and every type either one uses, with the
    // two ServiceStack interfaces NewIntegration implements.
    assert.deepEqual(exportedNames(dtos), [
        'CustomerBreadcrumb', 'DataField', 'DataFieldUniqueness', 'DataType', 'EntityInfo',
        'IPost', 'IReturn', 'IntegrationFeatures', 'IntegrationInfo', 'IntegrationStatuses',
        'IntegrationTypes', 'NewIntegration', 'Struct', 'UIHints', 'UserDataFieldModes',
        'Value', 'ValueTypes',
    ]);
    run('npx', ['--no-install', 'tsc', '--strict', '--noEmit', '--target', 'ES2022', '--module', 'ES2022', dtosPath]);
});
