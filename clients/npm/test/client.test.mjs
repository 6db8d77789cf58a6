// Drives a running server with the official @servicestack/client package, as existing Evo
// Voice clients do. scripts/client-tests.sh starts the server and sets the environment.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonServiceClient, JsonApiClient } from '@servicestack/client';
import {
    NewIntegration, GetIntegration, ListIntegrations, PatchIntegration, DeleteIntegration,
    NewCustomer, Authenticate,
} from '../dtos.mjs';

const baseUrl = process.env.EVO_TEST_URL;
const apiKey = process.env.EVO_TEST_API_KEY;
const password = process.env.EVO_TEST_PASSWORD;
assert.ok(baseUrl && apiKey && password, 'EVO_TEST_URL, EVO_TEST_API_KEY and EVO_TEST_PASSWORD must be set');

function bearerClient(kind) {
    const client = kind === 'api' ? JsonApiClient.create(baseUrl) : new JsonServiceClient(baseUrl);
    client.bearerToken = apiKey;
    return client;
}

function basicClient(kind) {
    const client = kind === 'api' ? JsonApiClient.create(baseUrl) : new JsonServiceClient(baseUrl);
    client.setCredentials('admin', password);
    return client;
}

const clients = [
    ['JsonServiceClient with Bearer', () => bearerClient('service')],
    ['JsonServiceClient with Basic', () => basicClient('service')],
    ['JsonApiClient with Bearer', () => bearerClient('api')],
    ['JsonApiClient with Basic', () => basicClient('api')],
];

for (const [name, makeClient] of clients) {
    test(`${name}: create, read, list, change and delete an integration`, async () => {
        const client = makeClient();
        const suffix = Math.random().toString(36).slice(2);
        const top = await client.post(new NewCustomer({ name: `Acme ${suffix}` }));
        const child = await client.post(new NewCustomer({ name: `Dallas ${suffix}`, parentCustomerId: top.id }));

        const created = await client.post(new NewIntegration({ type: 'Zoho', name: `Zoho ${suffix}`, customerId: child.id }));
        assert.equal(created.name, `Zoho ${suffix}`);
        assert.equal(created.status, 'NotConfigured');
        assert.deepEqual(created.customerBreadcrumb.map(crumb => crumb.id), [top.id, child.id]);
        assert.deepEqual(created.settingsDataType.fields.map(field => field.id),
            ['ClientId', 'ClientSecret', 'AccountsServer', 'ApiDomain']);

        const read = await client.get(new GetIntegration({ integrationId: created.id }));
        assert.equal(read.id, created.id);
        assert.equal(read.customerName, `Dallas ${suffix}`);

        const subtree = await client.get(new ListIntegrations({ customerIds: [top.id], countPerPage: 10, page: 0 }));
        assert.equal(subtree.totalCount, 1);
        assert.equal(subtree.items[0].id, created.id);
        const shallow = await client.get(new ListIntegrations({ customerIds: [top.id], shallowParent: true }));
        assert.equal(shallow.totalCount, 0);

        const patched = await client.patch(new PatchIntegration({
            integrationId: created.id,
            name: `Renamed ${suffix}`,
            settings: { ClientSecret: { stringValue: 'npm-client-secret' } },
        }));
        assert.equal(patched.name, `Renamed ${suffix}`);
        assert.equal(patched.settings.ClientSecret.stringValue, '********');

        await client.delete(new DeleteIntegration({ integrationId: created.id }));
        await assert.rejects(
            client.get(new GetIntegration({ integrationId: created.id })),
            error => error.responseStatus?.errorCode === 'NotFound',
        );
    });

    test(`${name}: validation errors carry responseStatus.errors`, async () => {
        const client = makeClient();
        await assert.rejects(client.post(new NewIntegration({ name: '' })), error => {
            const status = error.responseStatus;
            assert.equal(status.errorCode, 'NotEmpty');
            assert.deepEqual(status.errors.map(field => field.fieldName), ['Type', 'Name']);
            assert.equal(status.errors[1].message, "'Name' must not be empty.");
            return true;
        });
    });
}

test('JsonApiClient.api returns errors as ApiResult', async () => {
    const client = bearerClient('api');
    const result = await client.api(new NewIntegration({ type: 'Zoho' }));
    assert.equal(result.succeeded, false);
    assert.equal(result.error.errorCode, 'NotEmpty');
    assert.equal(result.error.errors[0].fieldName, 'Name');
    const ok = await client.api(new NewIntegration({ type: 'HostedSuite', name: 'Via api()' }));
    assert.equal(ok.succeeded, true);
    assert.equal(ok.response.type, 'HostedSuite');
});

test('wrong credentials are rejected with 401', async () => {
    const client = new JsonServiceClient(baseUrl);
    client.setCredentials('admin', 'wrong password');
    await assert.rejects(client.get(new ListIntegrations({})), error => {
        assert.equal(error.responseStatus.errorCode, 'Unauthorized');
        assert.equal(error.responseStatus.message, 'Invalid Username or Password');
        return true;
    });
});

test('JsonServiceClient logs in with credentials and keeps the session cookie', async () => {
    const client = new JsonServiceClient(baseUrl);
    const session = await client.post(new Authenticate({
        provider: 'credentials', userName: 'admin', password, rememberMe: true,
    }));
    assert.equal(session.userName, 'admin');
    assert.ok(session.sessionId);
    const list = await client.get(new ListIntegrations({ countPerPage: 1 }));
    assert.ok(list.totalCount >= 0);
    await client.post(new Authenticate({ provider: 'logout' }));
    await assert.rejects(client.get(new ListIntegrations({})),
        error => error.responseStatus?.errorCode === 'Unauthorized');
});
