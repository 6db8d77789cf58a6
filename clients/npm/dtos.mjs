// Request DTOs for the operations these tests call, written the way ServiceStack's generated
// TypeScript DTOs are: each names its type, HTTP method and response.

class Dto {
    constructor(init) { Object.assign(this, init); }
}

export class IntegrationInfo extends Dto {}
export class ListResponse extends Dto {}
export class CustomerInfo extends Dto {}

export class NewIntegration extends Dto {
    getTypeName() { return 'NewIntegration'; }
    getMethod() { return 'POST'; }
    createResponse() { return new IntegrationInfo(); }
}

export class GetIntegration extends Dto {
    getTypeName() { return 'GetIntegration'; }
    getMethod() { return 'GET'; }
    createResponse() { return new IntegrationInfo(); }
}

export class ListIntegrations extends Dto {
    getTypeName() { return 'ListIntegrations'; }
    getMethod() { return 'GET'; }
    createResponse() { return new ListResponse(); }
}

export class PatchIntegration extends Dto {
    getTypeName() { return 'PatchIntegration'; }
    getMethod() { return 'PATCH'; }
    createResponse() { return new IntegrationInfo(); }
}

export class DeleteIntegration extends Dto {
    getTypeName() { return 'DeleteIntegration'; }
    getMethod() { return 'DELETE'; }
    createResponse() {}
}

export class NewCustomer extends Dto {
    getTypeName() { return 'NewCustomer'; }
    getMethod() { return 'POST'; }
    createResponse() { return new CustomerInfo(); }
}

export class AuthenticateResponse extends Dto {}

export class Authenticate extends Dto {
    getTypeName() { return 'Authenticate'; }
    getMethod() { return 'POST'; }
    createResponse() { return new AuthenticateResponse(); }
}
