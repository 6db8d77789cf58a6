//! `/openapi.json`: an OpenAPI 3.1 document of every operation, built from the registry.
//!
//! Each operation appears on each of its own routes (an operation without routes on
//! `POST /json/reply/{Name}`). Path variables become path parameters. A POST, PUT or PATCH
//! takes the request DTO as a JSON body, and with any other method the request's members
//! become query parameters. Every class gets a schema in `components.schemas` under its
//! name. OpenAPI has no generic schemas, so an instance of a generic class gets a concrete
//! schema named after its arguments, such as `ListResponse_IntegrationInfo_`.

use std::collections::{HashSet, VecDeque};

use indexmap::IndexMap;
use serde::Serialize;

use super::pages::group_name;
use super::{Member, OperationDef, Primitive, Registry, TypeKind, TypeRef};

/// The service's name, version and address, which the document reports besides its operations.
#[derive(Clone, Copy, Debug)]
pub struct DocumentInfo<'a> {
    pub title: &'a str,
    pub version: &'a str,
    /// The base URL clients reached the service at, the document's only server.
    pub server_url: &'a str,
}

/// An OpenAPI 3.1 document.
#[derive(Clone, Debug, Serialize)]
pub struct OpenApi {
    openapi: &'static str,
    info: Info,
    servers: Vec<Server>,
    security: Vec<SecurityRequirement>,
    tags: Vec<Tag>,
    paths: IndexMap<String, IndexMap<&'static str, Operation>>,
    components: Components,
}

#[derive(Clone, Debug, Serialize)]
struct Info {
    title: String,
    version: String,
}

#[derive(Clone, Debug, Serialize)]
struct Server {
    url: String,
}

#[derive(Clone, Debug, Serialize)]
struct Tag {
    name: String,
}

/// Scheme names, each with the scopes it needs (none for these schemes).
type SecurityRequirement = IndexMap<&'static str, Vec<String>>;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Operation {
    tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'static str>,
    /// The roles of which the caller needs one, when the operation names any.
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    operation_id: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    parameters: Vec<Parameter>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_body: Option<RequestBody>,
    responses: IndexMap<&'static str, Response>,
    /// `Some(vec![])` for an operation anyone may call, which lifts the global requirement.
    #[serde(skip_serializing_if = "Option::is_none")]
    security: Option<Vec<SecurityRequirement>>,
}

#[derive(Clone, Debug, Serialize)]
struct Parameter {
    name: String,
    #[serde(rename = "in")]
    location: &'static str,
    required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'static str>,
    schema: Schema,
    #[serde(skip_serializing_if = "Option::is_none")]
    style: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explode: Option<bool>,
}

#[derive(Clone, Debug, Serialize)]
struct RequestBody {
    required: bool,
    content: IndexMap<&'static str, MediaType>,
}

#[derive(Clone, Debug, Serialize)]
struct MediaType {
    schema: Schema,
}

#[derive(Clone, Debug, Serialize)]
struct Response {
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<IndexMap<&'static str, MediaType>>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Components {
    schemas: IndexMap<String, Schema>,
    security_schemes: IndexMap<&'static str, SecurityScheme>,
}

#[derive(Clone, Debug, Serialize)]
struct SecurityScheme {
    #[serde(rename = "type")]
    scheme_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    scheme: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'static str>,
    #[serde(rename = "in", skip_serializing_if = "Option::is_none")]
    location: Option<&'static str>,
    description: &'static str,
}

/// A JSON Schema (2020-12, as OpenAPI 3.1 uses it), limited to what DTOs need.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct Schema {
    #[serde(rename = "$ref", skip_serializing_if = "Option::is_none")]
    reference: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    schema_type: Option<SchemaType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'static str>,
    #[serde(rename = "enum", skip_serializing_if = "Option::is_none")]
    enum_values: Option<Vec<&'static str>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    all_of: Vec<Schema>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    any_of: Vec<Schema>,
    #[serde(skip_serializing_if = "Option::is_none")]
    items: Option<Box<Schema>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<IndexMap<&'static str, Schema>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    required: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    additional_properties: Option<Box<Schema>>,
}

/// `type`: one JSON type, or several (`["integer", "null"]`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
enum SchemaType {
    One(&'static str),
    Many(Vec<&'static str>),
}

impl Schema {
    fn of_type(schema_type: &'static str) -> Schema {
        Schema {
            schema_type: Some(SchemaType::One(schema_type)),
            ..Schema::default()
        }
    }

    fn reference(component: &str) -> Schema {
        Schema {
            reference: Some(format!("{COMPONENTS}{component}")),
            ..Schema::default()
        }
    }

    fn array(items: Schema) -> Schema {
        Schema {
            items: Some(Box::new(items)),
            ..Schema::of_type("array")
        }
    }

    fn map(values: Schema) -> Schema {
        Schema {
            additional_properties: Some(Box::new(values)),
            ..Schema::of_type("object")
        }
    }

    fn object(properties: IndexMap<&'static str, Schema>, required: Vec<&'static str>) -> Schema {
        Schema {
            properties: Some(properties),
            required,
            ..Schema::of_type("object")
        }
    }

    fn described(self, description: Option<&'static str>) -> Schema {
        Schema {
            description: description.or(self.description),
            ..self
        }
    }
}

const COMPONENTS: &str = "#/components/schemas/";
const JSON: &str = "application/json";
const ERROR_RESPONSE: &str = "ErrorResponse";

/// The error statuses every operation documents, with what each means on this server.
const ERROR_STATUSES: [(&str, &str); 5] = [
    (
        "400",
        "The body or a value does not parse, or the request failed validation",
    ),
    ("401", "The request has no valid credentials"),
    ("403", "The caller lacks a role the operation requires"),
    (
        "404",
        "No such entity, or one outside the caller's accounts",
    ),
    (
        "409",
        "The request conflicts with stored data, such as a duplicate",
    ),
];

/// The methods an OpenAPI path item has a field for.
const OPENAPI_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Builds the OpenAPI document of `registry`.
pub fn openapi_document(registry: &Registry, info: &DocumentInfo<'_>) -> OpenApi {
    let mut schemas = SchemaBuilder::new(registry);
    // Every non-generic type gets a schema, in definition order, even if no operation uses it.
    for definition in registry.types() {
        if definition.generic_params.is_empty() {
            schemas.component(&TypeRef::named(definition.name));
        }
    }

    let mut paths: IndexMap<String, IndexMap<&'static str, Operation>> = IndexMap::new();
    let mut ids: HashSet<String> = HashSet::new();
    let mut tags: Vec<Tag> = Vec::new();
    for operation in registry.operations() {
        let tag = group_name(operation);
        if !tags.iter().any(|known| known.name == tag) {
            tags.push(Tag { name: tag.clone() });
        }
        let routes: Vec<(&str, String)> = if operation.routes.is_empty() {
            vec![("POST", format!("/json/reply/{}", operation.name))]
        } else {
            operation
                .routes
                .iter()
                .map(|route| (route.method, route.path.to_owned()))
                .collect()
        };
        for &(method, ref path) in &routes {
            let lowercase = method.to_ascii_lowercase();
            // NOTE: a method OpenAPI has no field for (a custom verb) leaves its route out.
            let Some(key) = OPENAPI_METHODS.iter().find(|known| **known == lowercase) else {
                continue;
            };
            let route = RouteRef {
                method,
                path: path.as_str(),
            };
            let operation_id = unique_operation_id(operation, route, routes.len(), &mut ids);
            let entry = route_operation(&mut schemas, operation, route, &tag, operation_id);
            // NOTE: when two operations share a path and method, the first registered is kept,
            // as the router also dispatches to the first.
            paths
                .entry(openapi_path(path))
                .or_default()
                .entry(*key)
                .or_insert(entry);
        }
    }

    let mut components = schemas.finish();
    for (name, schema) in error_schemas() {
        components.entry(name.to_owned()).or_insert(schema);
    }

    OpenApi {
        openapi: "3.1.0",
        info: Info {
            title: info.title.to_owned(),
            version: info.version.to_owned(),
        },
        servers: vec![Server {
            url: info.server_url.to_owned(),
        }],
        security: ["Bearer", "Basic", "Session"]
            .into_iter()
            .map(|scheme| IndexMap::from([(scheme, Vec::new())]))
            .collect(),
        tags,
        paths,
        components: Components {
            schemas: components,
            security_schemes: security_schemes(),
        },
    }
}

/// One route of an operation: an HTTP method and a template.
#[derive(Clone, Copy, Debug)]
struct RouteRef<'a> {
    method: &'a str,
    path: &'a str,
}

/// Converts a route template to OpenAPI's syntax: `{Path*}` (the rest of the path) becomes
/// `{Path}`.
fn openapi_path(path: &str) -> String {
    let path = path.replace("*}", "}");
    if path.starts_with('/') {
        path
    } else {
        format!("/{path}")
    }
}

/// Picks the operation's name as the id when it has one route, and otherwise the name, method
/// and path, such as `Authenticate_POST_auth_provider`, so that each route has its own id.
fn unique_operation_id(
    operation: &OperationDef,
    route: RouteRef<'_>,
    route_count: usize,
    used: &mut HashSet<String>,
) -> String {
    let base = if route_count == 1 {
        operation.name.to_owned()
    } else {
        let mut id = format!("{}_{}", operation.name, route.method);
        for segment in route.path.split('/').filter(|segment| !segment.is_empty()) {
            id.push('_');
            id.extend(
                segment
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_'),
            );
        }
        id
    };
    let mut id = base.clone();
    let mut counter = 2;
    while !used.insert(id.clone()) {
        id = format!("{base}_{counter}");
        counter += 1;
    }
    id
}

/// Builds the operation object of one route.
fn route_operation(
    schemas: &mut SchemaBuilder<'_>,
    operation: &OperationDef,
    route: RouteRef<'_>,
    tag: &str,
    operation_id: String,
) -> Operation {
    let registry = schemas.registry;
    let request = registry.definition(&operation.request);
    let request_args: &[TypeRef] = match &operation.request {
        TypeRef::Named { args, .. } => args,
        _ => &[],
    };
    let members = request
        .map(|definition| registry.all_members(definition, request_args))
        .unwrap_or_default();

    let variables = path_variables(route.path);
    let mut parameters = Vec::new();
    for variable in &variables {
        let member = find_member(&members, variable);
        let schema = match member {
            Some(member) => schemas.path_schema(&member.type_ref),
            None => Schema::of_type("string"),
        };
        parameters.push(Parameter {
            name: (*variable).to_owned(),
            location: "path",
            required: true,
            description: member.and_then(|member| member.description),
            schema,
            style: None,
            explode: None,
        });
    }

    let has_body = ["POST", "PUT", "PATCH"]
        .iter()
        .any(|method| method.eq_ignore_ascii_case(route.method));
    let request_body = if has_body {
        Some(RequestBody {
            required: true,
            content: IndexMap::from([(
                JSON,
                MediaType {
                    schema: schemas.schema(&operation.request),
                },
            )]),
        })
    } else {
        for member in &members {
            if variables.iter().any(|variable| is_member(member, variable)) {
                continue;
            }
            // A query string ends up in logs and browser history; the server takes secrets
            // from bodies only.
            if member.secret {
                continue;
            }
            let (schema, explode) = schemas.query_schema(&member.type_ref);
            parameters.push(Parameter {
                name: member.wire_name.to_owned(),
                location: "query",
                required: member.required,
                description: member.description,
                schema,
                style: explode.map(|_| "form"),
                explode,
            });
        }
        None
    };

    let mut responses = IndexMap::new();
    if operation.response == TypeRef::Void {
        responses.insert(
            "204",
            Response {
                description: "No Content".to_owned(),
                content: None,
            },
        );
    } else {
        let description = registry
            .definition(&operation.response)
            .and_then(|definition| definition.description)
            .unwrap_or("OK");
        responses.insert(
            "200",
            Response {
                description: description.to_owned(),
                content: Some(IndexMap::from([(
                    JSON,
                    MediaType {
                        schema: schemas.schema(&operation.response),
                    },
                )])),
            },
        );
        if operation.response_may_be_empty {
            responses.insert(
                "204",
                Response {
                    description: "No Content: there is nothing to return".to_owned(),
                    content: None,
                },
            );
        }
    }
    for (status, description) in ERROR_STATUSES {
        responses.insert(
            status,
            Response {
                description: description.to_owned(),
                content: Some(IndexMap::from([(
                    JSON,
                    MediaType {
                        schema: Schema::reference(ERROR_RESPONSE),
                    },
                )])),
            },
        );
    }

    Operation {
        tags: vec![tag.to_owned()],
        summary: request.and_then(|definition| definition.description),
        description: (!operation.required_roles.is_empty()).then(|| {
            format!(
                "Requires one of the roles: {}.",
                operation.required_roles.join(", ")
            )
        }),
        operation_id,
        parameters,
        request_body,
        responses,
        security: (!operation.requires_authentication).then(Vec::new),
    }
}

/// Lists the variables of a route template, without braces and without a trailing `*`.
fn path_variables(path: &str) -> Vec<&str> {
    path.split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .map(|variable| variable.trim_end_matches('*'))
        .collect()
}

/// Checks whether a route variable names `member`, ignoring case as the router does.
fn is_member(member: &Member, variable: &str) -> bool {
    member.name.eq_ignore_ascii_case(variable) || member.wire_name.eq_ignore_ascii_case(variable)
}

fn find_member<'a>(members: &'a [Member], variable: &str) -> Option<&'a Member> {
    members.iter().find(|member| is_member(member, variable))
}

/// Collects a schema for every type the document refers to, following references until
/// every `$ref` has its target.
struct SchemaBuilder<'a> {
    registry: &'a Registry,
    schemas: IndexMap<String, Schema>,
    /// Concrete named types (no generic parameters left) whose schema is still to be built.
    pending: VecDeque<(String, TypeRef)>,
    queued: HashSet<String>,
}

impl<'a> SchemaBuilder<'a> {
    fn new(registry: &'a Registry) -> SchemaBuilder<'a> {
        SchemaBuilder {
            registry,
            schemas: IndexMap::new(),
            pending: VecDeque::new(),
            queued: HashSet::new(),
        }
    }

    /// Queues the schema of a named type, unless it is queued already, and returns its
    /// component name.
    fn component(&mut self, type_ref: &TypeRef) -> String {
        let name = component_name(type_ref);
        if self.queued.insert(name.clone()) {
            self.pending.push_back((name.clone(), type_ref.clone()));
        }
        name
    }

    /// Describes a value of type `type_ref`: inline for primitives and containers, with a
    /// `$ref` for named types.
    fn schema(&mut self, type_ref: &TypeRef) -> Schema {
        match type_ref {
            TypeRef::Primitive(primitive) => primitive_schema(*primitive),
            TypeRef::Nullable(inner) => nullable(self.schema(inner)),
            TypeRef::List(item) => Schema::array(self.schema(item)),
            // JSON object keys are strings whatever the .NET key type, so only values vary.
            TypeRef::Dictionary(_, value) => Schema::map(self.schema(value)),
            TypeRef::Named { .. } => Schema::reference(&self.component(type_ref)),
            // Unreachable for concrete types; an unconstrained schema keeps the document valid.
            TypeRef::Param(_) | TypeRef::Void => Schema::default(),
        }
    }

    /// Describes a path parameter: never null, and a string for anything but a primitive or
    /// an enum, because a path segment contains one scalar.
    fn path_schema(&mut self, type_ref: &TypeRef) -> Schema {
        let type_ref = match type_ref {
            TypeRef::Nullable(inner) => inner,
            other => other,
        };
        if self.is_scalar(type_ref) {
            self.schema(type_ref)
        } else {
            Schema::of_type("string")
        }
    }

    /// Describes a query parameter, with `explode` set for lists. Lists of scalars are
    /// comma-separated (`ids=a,b`), which the server reads like repeated names. A class or a
    /// dictionary is a string that contains the value in JSV or JSON. The schema has no `null`,
    /// because a query string leaves a member unset by leaving the parameter out.
    fn query_schema(&mut self, type_ref: &TypeRef) -> (Schema, Option<bool>) {
        let type_ref = match type_ref {
            TypeRef::Nullable(inner) => inner,
            other => other,
        };
        match type_ref {
            TypeRef::List(item) if self.is_scalar(item) => (self.schema(type_ref), Some(false)),
            _ if self.is_scalar(type_ref) => (self.schema(type_ref), None),
            _ => (Schema::of_type("string"), None),
        }
    }

    fn is_scalar(&self, type_ref: &TypeRef) -> bool {
        match type_ref {
            TypeRef::Primitive(_) => true,
            TypeRef::Named { .. } => self
                .registry
                .definition(type_ref)
                .is_some_and(|definition| definition.enum_values().is_some()),
            _ => false,
        }
    }

    /// Builds every queued schema, and those they refer to, and returns them all.
    fn finish(mut self) -> IndexMap<String, Schema> {
        while let Some((name, type_ref)) = self.pending.pop_front() {
            let schema = self.definition_schema(&type_ref);
            self.schemas.insert(name, schema);
        }
        self.schemas
    }

    /// Builds the component schema of a named type with its generic arguments applied.
    fn definition_schema(&mut self, type_ref: &TypeRef) -> Schema {
        let TypeRef::Named { args, .. } = type_ref else {
            return self.schema(type_ref);
        };
        let Some(definition) = self.registry.definition(type_ref) else {
            return Schema::default();
        };
        let description = definition.description;
        match &definition.kind {
            TypeKind::Enum { values } => Schema {
                enum_values: Some(values.clone()),
                ..Schema::of_type("string")
            }
            .described(description),
            TypeKind::Dictionary { value, .. } => {
                Schema::map(self.schema(&value.substitute(args))).described(description)
            }
            TypeKind::Class { base, members } => {
                let mut properties = IndexMap::new();
                let mut required = Vec::new();
                for member in members {
                    let mut schema = self
                        .schema(&member.type_ref.substitute(args))
                        .described(member.description);
                    if member.secret {
                        schema.format = Some("password");
                    }
                    properties.insert(member.wire_name, schema);
                    if member.required {
                        required.push(member.wire_name);
                    }
                }
                let own = Schema::object(properties, required);
                match base {
                    Some(base) => Schema {
                        all_of: vec![self.schema(&base.substitute(args)), own],
                        ..Schema::default()
                    }
                    .described(description),
                    None => own.described(description),
                }
            }
        }
    }
}

/// Names a type's component: its name, and for a generic instance its arguments, each closed
/// by `_` (`ListResponse_IntegrationInfo_`), because component names allow only letters,
/// digits, `.`, `-` and `_`.
fn component_name(type_ref: &TypeRef) -> String {
    match type_ref {
        TypeRef::Primitive(primitive) => primitive.csharp_name().to_owned(),
        TypeRef::Nullable(inner) => format!("Nullable_{}_", component_name(inner)),
        TypeRef::List(item) => format!("List_{}_", component_name(item)),
        TypeRef::Dictionary(key, value) => format!(
            "Dictionary_{}_{}_",
            component_name(key),
            component_name(value)
        ),
        TypeRef::Named { name, args } => {
            let mut component = (*name).to_owned();
            if !args.is_empty() {
                for arg in args {
                    component.push('_');
                    component.push_str(&component_name(arg));
                }
                component.push('_');
            }
            component
        }
        TypeRef::Param(index) => format!("T{index}"),
        TypeRef::Void => "Void".to_owned(),
    }
}

fn primitive_schema(primitive: Primitive) -> Schema {
    match primitive {
        Primitive::String => Schema::of_type("string"),
        Primitive::Bool => Schema::of_type("boolean"),
        Primitive::Int => Schema {
            format: Some("int32"),
            ..Schema::of_type("integer")
        },
        Primitive::Long => Schema {
            format: Some("int64"),
            ..Schema::of_type("integer")
        },
        Primitive::Double => Schema {
            format: Some("double"),
            ..Schema::of_type("number")
        },
    }
}

/// `schema` or null: `type: [X, "null"]` for a primitive, `anyOf` with null for a reference.
fn nullable(schema: Schema) -> Schema {
    match schema.schema_type {
        Some(SchemaType::One(schema_type)) if schema.reference.is_none() => Schema {
            schema_type: Some(SchemaType::Many(vec![schema_type, "null"])),
            ..schema
        },
        _ => Schema {
            any_of: vec![schema, Schema::of_type("null")],
            ..Schema::default()
        },
    }
}

/// Builds `ErrorResponse` and the types inside it, as the server writes them. `errorCode`,
/// `message` and `errors` are always present. `stackTrace` and `meta` are ServiceStack's
/// optional members, which this server leaves out.
fn error_schemas() -> [(&'static str, Schema); 3] {
    let string = || Schema::of_type("string");
    let meta = || {
        Schema::map(string()).described(Some(
            "Additional details; ServiceStack's member, which this server leaves out",
        ))
    };

    let response_error = Schema::object(
        IndexMap::from([
            ("errorCode", string()),
            (
                "fieldName",
                string().described(Some(
                    "The PascalCase path of the member that failed, such as Settings.ClientSecret",
                )),
            ),
            ("message", string()),
            ("meta", meta()),
        ]),
        vec!["errorCode", "fieldName", "message"],
    )
    .described(Some("One failed field"));

    let response_status = Schema::object(
        IndexMap::from([
            (
                "errorCode",
                string().described(Some(
                    "A short code: the failed validation rule, NotFound, Unauthorized, ...",
                )),
            ),
            ("message", string()),
            (
                "stackTrace",
                string().described(Some("Never sent by this server")),
            ),
            (
                "errors",
                Schema::array(Schema::reference("ResponseError"))
                    .described(Some("One entry per failed field; empty when none")),
            ),
            ("meta", meta()),
        ]),
        vec!["errorCode", "message", "errors"],
    )
    .described(Some("What failed"));

    let error_response = Schema::object(
        IndexMap::from([("responseStatus", Schema::reference("ResponseStatus"))]),
        vec!["responseStatus"],
    )
    .described(Some("The body of every error response"));

    [
        (ERROR_RESPONSE, error_response),
        ("ResponseStatus", response_status),
        ("ResponseError", response_error),
    ]
}

/// Bearer API keys, HTTP Basic and the `ss-id` session cookie that `/auth` sets.
fn security_schemes() -> IndexMap<&'static str, SecurityScheme> {
    IndexMap::from([
        (
            "Bearer",
            SecurityScheme {
                scheme_type: "http",
                scheme: Some("bearer"),
                name: None,
                location: None,
                description: "An API key as a bearer token",
            },
        ),
        (
            "Basic",
            SecurityScheme {
                scheme_type: "http",
                scheme: Some("basic"),
                name: None,
                location: None,
                description: "User name and password",
            },
        ),
        (
            "Session",
            SecurityScheme {
                scheme_type: "apiKey",
                scheme: None,
                name: Some("ss-id"),
                location: Some("cookie"),
                description: "The session id that POST /auth/credentials sets as a cookie",
            },
        ),
    ])
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::error::{ApiError, ResponseError};
    use crate::meta::fixtures;

    fn document() -> Value {
        let registry = fixtures::registry();
        let info = DocumentInfo {
            title: "Widgets",
            version: "1.2.3",
            server_url: "http://localhost:5000",
        };
        serde_json::to_value(openapi_document(&registry, &info)).unwrap()
    }

    fn parameter_names(operation: &Value, location: &str) -> Vec<String> {
        operation["parameters"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter(|parameter| parameter["in"] == location)
            .map(|parameter| parameter["name"].as_str().unwrap().to_owned())
            .collect()
    }

    fn parameter<'a>(operation: &'a Value, name: &str) -> &'a Value {
        operation["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|parameter| parameter["name"] == name)
            .unwrap_or_else(|| panic!("no parameter {name} in {operation}"))
    }

    /// Collects every `$ref` in `value`.
    fn references(value: &Value, found: &mut Vec<String>) {
        match value {
            Value::Object(object) => {
                for (key, child) in object {
                    match (key.as_str(), child) {
                        ("$ref", Value::String(reference)) => found.push(reference.clone()),
                        _ => references(child, found),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| references(item, found)),
            _ => {}
        }
    }

    #[test]
    fn document_names_service_and_server() {
        let document = document();
        assert_eq!(document["openapi"], "3.1.0");
        assert_eq!(
            document["info"],
            json!({"title": "Widgets", "version": "1.2.3"})
        );
        assert_eq!(
            document["servers"],
            json!([{"url": "http://localhost:5000"}])
        );
    }

    #[test]
    fn post_route_has_path_parameter_and_body() {
        let document = document();
        let post = &document["paths"]["/folders/{FolderId}/widgets"]["post"];
        assert_eq!(parameter_names(post, "path"), ["FolderId"]);
        assert_eq!(parameter_names(post, "query"), Vec::<String>::new());
        let folder = parameter(post, "FolderId");
        assert_eq!(folder["required"], true);
        assert_eq!(folder["schema"], json!({"type": "string"}));
        assert_eq!(folder["description"], "The folder to create the widget in");
        assert_eq!(
            post["requestBody"],
            json!({"required": true, "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/NewWidget"}}}})
        );
        assert_eq!(post["summary"], "Creates a widget in a folder");
    }

    #[test]
    fn every_route_of_operation_appears() {
        let document = document();
        let post = &document["paths"]["/folders/{FolderId}/widgets"]["post"];
        let put = &document["paths"]["/widgets"]["put"];
        assert_eq!(
            post["operationId"],
            "NewWidget_POST_folders_FolderId_widgets"
        );
        assert_eq!(put["operationId"], "NewWidget_PUT_widgets");
        assert_eq!(parameter_names(put, "path"), Vec::<String>::new());
        assert!(put["requestBody"].is_object(), "{put}");
    }

    #[test]
    fn get_members_are_query_parameters() {
        let document = document();
        let get = &document["paths"]["/widgets"]["get"];
        assert_eq!(get["operationId"], "ListWidgets");
        assert!(get.get("requestBody").is_none(), "{get}");
        // The base class's members come first, and `page` appears once.
        assert_eq!(parameter_names(get, "query"), ["page", "kinds", "labels"]);
        assert_eq!(
            parameter(get, "page")["schema"],
            json!({"type": "integer", "format": "int32"})
        );
        let kinds = parameter(get, "kinds");
        assert_eq!(
            kinds["schema"],
            json!({"type": "array", "items": {"$ref": "#/components/schemas/WidgetKind"}})
        );
        assert_eq!(kinds["style"], "form");
        assert_eq!(kinds["explode"], false);
        assert_eq!(
            parameter(get, "labels")["schema"],
            json!({"type": "string"})
        );
    }

    #[test]
    fn delete_has_path_parameter_and_204() {
        let document = document();
        let delete = &document["paths"]["/widgets/{WidgetId}"]["delete"];
        assert_eq!(parameter_names(delete, "path"), ["WidgetId"]);
        assert_eq!(parameter_names(delete, "query"), Vec::<String>::new());
        let responses = delete["responses"].as_object().unwrap();
        assert!(responses.get("200").is_none(), "{delete}");
        assert_eq!(responses["204"], json!({"description": "No Content"}));
    }

    #[test]
    fn responses_reference_schemas_and_errors() {
        let document = document();
        let get = &document["paths"]["/widgets"]["get"];
        assert_eq!(
            get["responses"]["200"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/Page_WidgetInfo_"})
        );
        for status in ["400", "401", "403", "404", "409"] {
            assert_eq!(
                get["responses"][status]["content"]["application/json"]["schema"],
                json!({"$ref": "#/components/schemas/ErrorResponse"}),
                "status {status}"
            );
        }
    }

    #[test]
    fn operation_without_routes_uses_reply_route() {
        let document = document();
        let ping = &document["paths"]["/json/reply/Ping"]["post"];
        assert_eq!(ping["operationId"], "Ping");
        assert_eq!(ping["tags"], json!(["Other"]));
        assert!(ping["requestBody"].is_object(), "{ping}");
    }

    #[test]
    fn operation_ids_are_unique() {
        let document = document();
        let mut ids = Vec::new();
        for path_item in document["paths"].as_object().unwrap().values() {
            for operation in path_item.as_object().unwrap().values() {
                ids.push(operation["operationId"].as_str().unwrap().to_owned());
            }
        }
        assert_eq!(ids.len(), 5, "{ids:?}");
        let unique: HashSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "{ids:?}");
    }

    #[test]
    fn security_is_global_and_lifted_for_anonymous() {
        let document = document();
        assert_eq!(
            document["security"],
            json!([{"Bearer": []}, {"Basic": []}, {"Session": []}])
        );
        assert_eq!(
            document["components"]["securitySchemes"],
            json!({
                "Bearer": {"type": "http", "scheme": "bearer",
                           "description": "An API key as a bearer token"},
                "Basic": {"type": "http", "scheme": "basic",
                          "description": "User name and password"},
                "Session": {"type": "apiKey", "name": "ss-id", "in": "cookie",
                            "description": "The session id that POST /auth/credentials sets as a cookie"},
            })
        );
        assert_eq!(
            document["paths"]["/json/reply/Ping"]["post"]["security"],
            json!([])
        );
        let get = &document["paths"]["/widgets"]["get"];
        assert!(get.get("security").is_none(), "{get}");
    }

    #[test]
    fn tags_come_from_first_route_segment() {
        let document = document();
        assert_eq!(
            document["tags"],
            json!([{"name": "Folders"}, {"name": "Widgets"}, {"name": "Other"}])
        );
        assert_eq!(
            document["paths"]["/widgets/{WidgetId}"]["delete"]["tags"],
            json!(["Widgets"])
        );
    }

    #[test]
    fn enum_is_string_enum() {
        let document = document();
        assert_eq!(
            document["components"]["schemas"]["WidgetKind"],
            json!({"type": "string", "description": "How big a widget is",
                   "enum": ["Small", "XL"]})
        );
    }

    #[test]
    fn class_schema_uses_wire_names_and_inherits() {
        let document = document();
        let info = &document["components"]["schemas"]["WidgetInfo"];
        assert_eq!(info["description"], "A widget as the API returns it");
        let all_of = info["allOf"].as_array().unwrap();
        assert_eq!(all_of[0], json!({"$ref": "#/components/schemas/Entity"}));

        let properties = &all_of[1]["properties"];
        assert!(properties.get("id").is_none(), "{properties}");
        assert_eq!(properties["name"], json!({"type": "string"}));
        assert_eq!(
            properties["kind"],
            json!({"$ref": "#/components/schemas/WidgetKind"})
        );
        assert_eq!(
            properties["weight"],
            json!({"type": ["number", "null"], "format": "double",
                   "description": "The weight in grams, when known"})
        );
        assert_eq!(
            properties["size"],
            json!({"anyOf": [{"$ref": "#/components/schemas/WidgetKind"}, {"type": "null"}]})
        );
        assert_eq!(
            properties["parts"],
            json!({"type": "array", "items": {"$ref": "#/components/schemas/Part"}})
        );
        assert_eq!(
            properties["labels"],
            json!({"type": "object", "additionalProperties": {"type": "string"}})
        );

        assert_eq!(
            document["components"]["schemas"]["Entity"]["properties"]["id"],
            json!({"type": "string", "description": "The entity's id"})
        );
    }

    #[test]
    fn required_member_is_listed() {
        let document = document();
        let new_widget = &document["components"]["schemas"]["NewWidget"];
        assert_eq!(new_widget["required"], json!(["name"]));
        assert_eq!(
            new_widget["properties"]["kind"],
            json!({"$ref": "#/components/schemas/WidgetKind"})
        );
    }

    #[test]
    fn generic_instances_are_concrete_schemas() {
        let document = document();
        let schemas = &document["components"]["schemas"];
        assert_eq!(
            schemas["Page_WidgetInfo_"]["properties"]["items"],
            json!({"type": "array", "items": {"$ref": "#/components/schemas/WidgetInfo"}})
        );
        assert_eq!(
            schemas["Page_WidgetInfo_"]["properties"]["total"],
            json!({"type": "integer", "format": "int64"})
        );
        assert_eq!(
            schemas["ListWidgets"]["allOf"][0],
            json!({"$ref": "#/components/schemas/PagedRequest_WidgetInfo_"})
        );
        assert!(schemas["PagedRequest_WidgetInfo_"]["properties"]["page"].is_object());
        // A generic definition has no schema of its own, only its instances.
        assert!(schemas.get("Page").is_none());
        assert!(schemas.get("PagedRequest").is_none());
    }

    #[test]
    fn recursive_type_refers_to_itself() {
        let document = document();
        assert_eq!(
            document["components"]["schemas"]["Part"]["properties"]["children"],
            json!({"type": "array", "items": {"$ref": "#/components/schemas/Part"}})
        );
    }

    #[test]
    fn every_reference_has_a_schema() {
        let document = document();
        let schemas = document["components"]["schemas"].as_object().unwrap();
        let mut found = Vec::new();
        references(&document, &mut found);
        assert!(found.len() > 20, "{found:?}");
        for reference in found {
            let name = reference
                .strip_prefix(COMPONENTS)
                .unwrap_or_else(|| panic!("{reference} is not a component reference"));
            assert!(schemas.contains_key(name), "{reference} has no schema");
        }
        for name in schemas.keys() {
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')),
                "{name} is not a legal component name"
            );
        }
    }

    #[test]
    fn error_schema_covers_error_body() {
        let document = document();
        let schemas = &document["components"]["schemas"];
        let mut error = ApiError::validation(vec![ResponseError {
            error_code: "NotEmpty".to_owned(),
            field_name: "Name".to_owned(),
            message: "'Name' must not be empty.".to_owned(),
        }]);
        error.response_status.stack_trace = Some("at Widgets.Create".to_owned());
        let body = serde_json::to_value(error.to_response()).unwrap();

        let properties = |name: &str| schemas[name]["properties"].as_object().unwrap().clone();
        for key in body.as_object().unwrap().keys() {
            assert!(properties("ErrorResponse").contains_key(key), "{key}");
        }
        let status = &body["responseStatus"];
        for key in status.as_object().unwrap().keys() {
            assert!(properties("ResponseStatus").contains_key(key), "{key}");
        }
        for key in status["errors"][0].as_object().unwrap().keys() {
            assert!(properties("ResponseError").contains_key(key), "{key}");
        }
        assert_eq!(
            schemas["ResponseStatus"]["required"],
            json!(["errorCode", "message", "errors"])
        );
        assert_eq!(
            schemas["ErrorResponse"]["properties"]["responseStatus"],
            json!({"$ref": "#/components/schemas/ResponseStatus"})
        );
    }
}
