//! The service host: a registry of operations, and the HTTP handler that routes, negotiates,
//! authenticates, binds, calls and renders each request the way a ServiceStack host does.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use axum::body::Body as HttpBody;
use bytes::Bytes;
use http::header::{self, HeaderMap, HeaderValue};
use http::{Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::bind::{bind, Body, Field};
use crate::error::ApiError;
use crate::format::Format;
use crate::jsonp;
use crate::meta::serve::Metadata;
use crate::meta::{ApiType, OperationDef, Registry};
use crate::negotiate::{negotiate, FormatHints};
use crate::route::{RouteMatch, RouteTable};
use crate::write::{write_body, write_error, WriteOptions};
use crate::xml::XmlContracts;

/// One of an operation's own routes: an HTTP method and a template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
}

/// A request DTO: an operation with its name, routes and response type.
///
/// The request and response types describe themselves ([`ApiType`]), so registering an
/// operation also documents it on the metadata pages, the generated DTOs and the OpenAPI
/// document.
pub trait Operation: DeserializeOwned + ApiType + Send + 'static {
    /// The operation's name, as in `/api/{Name}` and `/json/reply/{Name}`.
    const NAME: &'static str;
    /// The operation's own routes.
    const ROUTES: &'static [Route];
    /// Whether the caller must be authenticated; anonymous callers get 401 when it is.
    const REQUIRES_AUTHENTICATION: bool = true;
    /// Roles of which the caller needs at least one; others get 403 once the request has bound.
    /// Empty when any authenticated caller may call.
    const REQUIRED_ROLES: &'static [&'static str] = &[];
    /// The response DTO. A response that serializes as nothing (`()`, a unit struct, `None`)
    /// is sent as `204 No Content`.
    type Response: Serialize + ApiType + Send + 'static;
}

/// The application behind the host: its shared state and how it authenticates callers.
pub trait Service: Clone + Send + Sync + 'static {
    /// The authenticated principal, as established by [`Service::authenticate`].
    type Caller: Send + Sync + 'static;

    /// Establishes the caller from the request headers: `Ok(None)` for an anonymous request,
    /// an error (usually 401) for credentials that are present but invalid.
    fn authenticate(
        &self,
        headers: &HeaderMap,
    ) -> impl Future<Output = Result<Option<Self::Caller>, ApiError>> + Send;

    /// Returns whether `caller` has the role named `role`, for [`Operation::REQUIRED_ROLES`].
    fn has_role(caller: &Self::Caller, role: &str) -> bool;
}

/// The request details a handler receives besides the DTO.
pub struct RequestContext<C> {
    caller: Option<C>,
    /// The negotiated response format.
    pub format: Format,
    /// The request's HTTP method, after `X-Http-Method-Override`.
    pub method: Method,
    request_headers: Arc<HeaderMap>,
    response_headers: Arc<Mutex<HeaderMap>>,
}

impl<C> RequestContext<C> {
    /// The request's headers, such as its cookies.
    pub fn request_headers(&self) -> &HeaderMap {
        &self.request_headers
    }

    /// Adds a header to the response, such as a `Set-Cookie`. It is sent with success and error
    /// responses alike.
    pub fn append_response_header(&self, name: header::HeaderName, value: HeaderValue) {
        self.response_headers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .append(name, value);
    }

    /// The authenticated caller, or a 401 for an anonymous request.
    pub fn caller(&self) -> Result<&C, ApiError> {
        self.caller.as_ref().ok_or_else(unauthenticated)
    }

    /// The caller, if the request was authenticated.
    pub fn optional_caller(&self) -> Option<&C> {
        self.caller.as_ref()
    }
}

/// The response extension naming the operation that handled a request, for request logs.
#[derive(Clone, Copy, Debug)]
pub struct HandledBy(pub &'static str);

/// Limits the host applies to every request.
#[derive(Clone, Debug)]
pub struct HostConfig {
    /// The largest request body accepted, in bytes; larger ones get 413.
    pub max_body_bytes: usize,
    /// The deepest nesting of containers a request may contain.
    pub max_depth: usize,
    /// The URL clients reach the service at, which `/types/metadata` and `/openapi.json`
    /// report; `None` builds it from each request's `Host` header.
    pub public_url: Option<String>,
}

impl Default for HostConfig {
    fn default() -> Self {
        HostConfig {
            max_body_bytes: 1024 * 1024,
            max_depth: crate::de::DEFAULT_MAX_DEPTH,
            public_url: None,
        }
    }
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// Everything a type-erased handler needs from the request.
struct Call<C> {
    caller: Option<C>,
    method: Method,
    request_headers: Arc<HeaderMap>,
    response_headers: Arc<Mutex<HeaderMap>>,
    format: Format,
    pretty: bool,
    body: Option<(Format, Bytes)>,
    fields: Vec<(String, String)>,
    max_depth: usize,
    xml_contracts: Arc<XmlContracts>,
}

type ErasedHandler<S> = Arc<
    dyn Fn(S, Call<<S as Service>::Caller>) -> BoxFuture<Result<Option<Vec<u8>>, ApiError>>
        + Send
        + Sync,
>;

struct Registered<S: Service> {
    name: &'static str,
    requires_authentication: bool,
    /// The methods of the operation's own routes.
    methods: Vec<Method>,
    handler: ErasedHandler<S>,
}

/// The registry of operations and the dispatcher for their requests.
pub struct ServiceHost<S: Service> {
    config: HostConfig,
    operations: Vec<Registered<S>>,
    by_name: HashMap<String, usize>,
    routes: RouteTable<usize>,
    xml_contracts: Arc<XmlContracts>,
    registry: Registry,
    service_name: &'static str,
    service_version: &'static str,
}

impl<S: Service> ServiceHost<S> {
    /// An empty host.
    pub fn new(config: HostConfig) -> Self {
        ServiceHost {
            config,
            operations: Vec::new(),
            by_name: HashMap::new(),
            routes: RouteTable::default(),
            xml_contracts: Arc::new(XmlContracts::default()),
            registry: Registry::new(),
            service_name: "ServiceStack",
            service_version: "0.0.0",
        }
    }

    /// Sets the service's name, the heading of the metadata pages.
    pub fn set_service_name(&mut self, name: &'static str) {
        self.service_name = name;
    }

    /// Sets the service's version, which the OpenAPI document reports.
    pub fn set_service_version(&mut self, version: &'static str) {
        self.service_version = version;
    }

    /// Returns the registry of every registered operation and the types it uses.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// Sets the namespaces and base types that XML responses use.
    pub fn set_xml_contracts(&mut self, contracts: XmlContracts) {
        self.xml_contracts = Arc::new(contracts);
    }

    /// Registers `Op` with its handler, on its own routes and the predefined ones.
    ///
    /// # Panics
    ///
    /// Panics when an operation of the same name is already registered or a route's method is
    /// not a valid HTTP method: both are programming errors.
    pub fn register<Op, F, Fut>(&mut self, handler: F)
    where
        Op: Operation,
        F: Fn(S, RequestContext<S::Caller>, Op) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Op::Response, ApiError>> + Send + 'static,
    {
        let index = self.operations.len();
        let previous = self.by_name.insert(Op::NAME.to_ascii_lowercase(), index);
        assert!(
            previous.is_none(),
            "operation {} is registered twice",
            Op::NAME
        );
        for route in Op::ROUTES {
            let method = Method::from_bytes(route.method.as_bytes())
                .unwrap_or_else(|_| panic!("invalid method {:?} for {}", route.method, Op::NAME));
            self.routes.add(method, route.path, index);
        }

        let request = Op::describe(&mut self.registry);
        let response = Op::Response::describe(&mut self.registry);
        self.registry.add_operation(OperationDef {
            name: Op::NAME,
            request,
            response,
            response_may_be_empty: <Op::Response as ApiType>::MAY_BE_EMPTY,
            routes: Op::ROUTES.to_vec(),
            requires_authentication: Op::REQUIRES_AUTHENTICATION,
            required_roles: Op::REQUIRED_ROLES.to_vec(),
        });

        let handler = Arc::new(handler);
        let erased: ErasedHandler<S> = Arc::new(move |state: S, call: Call<S::Caller>| {
            let handler = Arc::clone(&handler);
            Box::pin(async move {
                let request: Op = {
                    let body = call.body.as_ref().map(|(format, bytes)| Body {
                        format: *format,
                        bytes,
                    });
                    let fields: Vec<Field<'_>> = call
                        .fields
                        .iter()
                        .map(|(name, value)| Field { name, value })
                        .collect();
                    bind(body, &fields, call.max_depth)?
                };
                if !Op::REQUIRED_ROLES.is_empty() {
                    let caller = call.caller.as_ref().ok_or_else(unauthenticated)?;
                    if !Op::REQUIRED_ROLES
                        .iter()
                        .any(|role| S::has_role(caller, role))
                    {
                        return Err(missing_role(Op::REQUIRED_ROLES));
                    }
                }
                let context = RequestContext {
                    caller: call.caller,
                    format: call.format,
                    method: call.method,
                    request_headers: call.request_headers,
                    response_headers: call.response_headers,
                };
                let response = handler(state, context, request).await?;
                let options = WriteOptions {
                    format: call.format,
                    pretty: call.pretty,
                    operation: Op::NAME,
                    xml_contracts: &call.xml_contracts,
                };
                write_body(&response, &options)
            })
        });
        let mut methods: Vec<Method> = Vec::new();
        for route in Op::ROUTES {
            let method = Method::from_bytes(route.method.as_bytes()).expect("checked above");
            if !methods.contains(&method) {
                methods.push(method);
            }
        }
        self.operations.push(Registered {
            name: Op::NAME,
            requires_authentication: Op::REQUIRES_AUTHENTICATION,
            methods,
            handler: erased,
        });
    }

    /// The names of the registered operations, in registration order.
    pub fn operation_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.operations.iter().map(|operation| operation.name)
    }

    /// Handles one HTTP request.
    pub async fn handle(&self, state: S, request: Request<HttpBody>) -> Response<HttpBody> {
        let (parts, body) = request.into_parts();
        let target = Target::parse(parts.uri.path(), parts.uri.query());
        let metadata = Metadata {
            registry: &self.registry,
            service_name: self.service_name,
            service_version: self.service_version,
            public_url: self.config.public_url.as_deref(),
            xml_contracts: &self.xml_contracts,
        };
        if let Some(response) = metadata.respond(
            &parts.method,
            parts.uri.path(),
            &target.query,
            &parts.headers,
        ) {
            return response;
        }
        let body_format = content_format(&parts.headers);
        let callback = target
            .query_value("callback")
            .filter(|callback| !callback.is_empty());

        // The body is read before routing, because a form field may override a POST's method.
        let read = read_request_body(
            body,
            &parts.headers,
            self.config.max_body_bytes,
            body_format.as_ref(),
        )
        .await;
        let form_fields = read
            .as_ref()
            .ok()
            .and_then(|read| read.form.as_deref())
            .unwrap_or_default();
        let resolved = self.resolve(&parts.method, &parts.headers, &target, form_fields);
        let route_format = resolved
            .as_ref()
            .ok()
            .and_then(|resolved| resolved.route_format);
        let hints = FormatHints {
            path_suffix: target.suffix,
            jsonp: callback.is_some(),
            query_format: target.query_value("format"),
            route_format,
            accept: parts
                .headers
                .get(header::ACCEPT)
                .and_then(|value| value.to_str().ok()),
            body_format: body_format.as_ref().and_then(BodyKind::format),
        };
        let format = match negotiate(hints) {
            Ok(format) => format,
            Err(error) => return error_response(error, Format::Json, None),
        };
        // A callback wraps JSON only: a format suffix can still choose another format.
        let jsonp = callback.filter(|_| format == Format::Json);
        if let Some(Err(error)) = jsonp.map(jsonp::check_callback) {
            return error_response(error, Format::Json, None);
        }
        let resolved = match resolved {
            Ok(resolved) => resolved,
            Err(error) => return respond_error(error, format, None, jsonp),
        };
        let operation = &self.operations[resolved.index];

        let response_headers = Arc::new(Mutex::new(HeaderMap::new()));
        let result = self
            .call(
                state,
                operation,
                resolved,
                &target,
                Arc::new(parts.headers),
                Arc::clone(&response_headers),
                read,
                body_format,
                format,
            )
            .await;
        let mut response = match result {
            Ok(Some(bytes)) => success_response(bytes, format, operation.name, jsonp),
            Ok(None) => no_content_response(operation.name),
            Err(error) => respond_error(error, format, Some(operation.name), jsonp),
        };
        let added = std::mem::take(
            &mut *response_headers
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        );
        let headers = response.headers_mut();
        let mut last_name = None;
        for (name, value) in added {
            // `HeaderMap::into_iter` names only the first of several values of one header.
            if let Some(name) = name {
                last_name = Some(name);
            }
            if let Some(name) = &last_name {
                headers.append(name.clone(), value);
            }
        }
        response
    }

    #[allow(clippy::too_many_arguments)]
    async fn call(
        &self,
        state: S,
        operation: &Registered<S>,
        resolved: Resolved,
        target: &Target,
        headers: Arc<HeaderMap>,
        response_headers: Arc<Mutex<HeaderMap>>,
        read: Result<ReadBody, ApiError>,
        body_kind: Option<BodyKind>,
        format: Format,
    ) -> Result<Option<Vec<u8>>, ApiError> {
        let caller = state.authenticate(&headers).await?;
        if operation.requires_authentication && caller.is_none() {
            return Err(unauthenticated());
        }

        let ReadBody { bytes, form } = read?;
        let resolved_method = resolved.method.clone();
        let mut fields = target.query.clone();
        let body = if let Some(form) = form {
            // Form and multipart bodies are form fields on every route.
            fields.extend(form);
            None
        } else if bytes.is_empty() {
            None
        } else {
            match resolved.route_format.map(BodyKind::Format).or(body_kind) {
                Some(BodyKind::Form) | Some(BodyKind::Multipart(_)) => None,
                Some(BodyKind::Format(format)) if format.is_readable() => Some((format, bytes)),
                Some(BodyKind::Unsupported(media_type)) => {
                    return Err(unsupported_media_type(&media_type))
                }
                Some(BodyKind::Format(format)) => {
                    return Err(unsupported_media_type(format.content_type()))
                }
                None => Some((Format::Json, bytes)),
            }
        };
        fields.extend(resolved.variables);

        let pretty = target
            .query_value("debug")
            .is_some_and(|value| !matches!(value.to_ascii_lowercase().as_str(), "false" | "0"));
        let call = Call {
            caller,
            method: resolved_method,
            request_headers: headers,
            response_headers,
            format,
            pretty,
            body,
            fields,
            max_depth: self.config.max_depth,
            xml_contracts: Arc::clone(&self.xml_contracts),
        };
        (operation.handler)(state, call).await
    }

    /// Finds the operation for a request: a predefined route or one of the operations' own.
    fn resolve(
        &self,
        method: &Method,
        headers: &HeaderMap,
        target: &Target,
        form: &[(String, String)],
    ) -> Result<Resolved, ApiError> {
        let method = effective_method(method, headers, target, form);
        if let Some(predefined) = self.resolve_predefined(&target.segments, &method) {
            let resolved = predefined?;
            self.check_predefined_method(&method, &self.operations[resolved.index])?;
            return Ok(resolved);
        }
        // A HEAD request is routed as its GET; the server sends the headers without the body.
        let lookup_method = if method == Method::HEAD {
            Method::GET
        } else {
            method.clone()
        };
        match self.routes.lookup(&lookup_method, &target.segments) {
            RouteMatch::Found(index, variables) => Ok(Resolved {
                index,
                route_format: None,
                variables,
                method: method.clone(),
            }),
            RouteMatch::MethodNotAllowed => Err(ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "MethodNotAllowed",
                format!("{method} is not supported on {}.", target.path),
            )),
            RouteMatch::NotFound => Err(ApiError::not_found(format!(
                "No operation is found at {} {}.",
                method, target.path
            ))),
        }
    }

    /// Allows a predefined route to be called with POST, which clients use, or with a method of
    /// the operation's own routes. GET and HEAD therefore reach only operations that have a GET
    /// route, so no link or cross-site navigation can change anything.
    fn check_predefined_method(
        &self,
        method: &Method,
        operation: &Registered<S>,
    ) -> Result<(), ApiError> {
        let method = if method == Method::HEAD {
            &Method::GET
        } else {
            method
        };
        if method == Method::POST || operation.methods.contains(method) {
            return Ok(());
        }
        Err(ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            format!(
                "{} cannot be called with {method}; use POST.",
                operation.name
            ),
        ))
    }

    /// `/api/{Op}`, `/{format}/reply/{Op}` and `/{format}/oneway/{Op}`.
    fn resolve_predefined(
        &self,
        segments: &[String],
        method: &Method,
    ) -> Option<Result<Resolved, ApiError>> {
        let (route_format, name) = match segments {
            [api, name] if api.eq_ignore_ascii_case("api") => (Format::Json, name),
            [format, kind, name]
                if kind.eq_ignore_ascii_case("reply") || kind.eq_ignore_ascii_case("oneway") =>
            {
                (Format::from_name(format)?, name)
            }
            _ => return None,
        };
        let resolved = match self.by_name.get(&name.to_ascii_lowercase()) {
            Some(&index) => Ok(Resolved {
                index,
                route_format: Some(route_format),
                variables: Vec::new(),
                method: method.clone(),
            }),
            None => Err(ApiError::not_found(format!(
                "No operation is named '{name}'."
            ))),
        };
        Some(resolved)
    }
}

struct Resolved {
    index: usize,
    route_format: Option<Format>,
    variables: Vec<(String, String)>,
    /// The method the request is handled as, after `X-Http-Method-Override`.
    method: Method,
}

/// The request path and query, decoded.
struct Target {
    path: String,
    segments: Vec<String>,
    suffix: Option<Format>,
    query: Vec<(String, String)>,
}

impl Target {
    fn parse(path: &str, query: Option<&str>) -> Target {
        let mut segments: Vec<String> = crate::route::split_path(path)
            .map(|segment| {
                percent_encoding::percent_decode_str(segment)
                    .decode_utf8_lossy()
                    .into_owned()
            })
            .collect();

        // A known format suffix on the last segment chooses the format and is not part of the
        // route: `/integrations/abc.xml` is `/integrations/abc` in XML.
        let mut suffix = None;
        if let Some(last) = segments.last_mut() {
            if let Some((stem, extension)) = last.rsplit_once('.') {
                if let Some(format) = Format::from_name(extension).filter(|_| !stem.is_empty()) {
                    suffix = Some(format);
                    last.truncate(stem.len());
                }
            }
        }

        let query = query
            .map(|query| join_repeated(form_urlencoded::parse(query.as_bytes()).into_owned()))
            .unwrap_or_default();
        Target {
            path: path.to_owned(),
            segments,
            suffix,
            query,
        }
    }

    fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Joins the values of a repeated name with commas, as ASP.NET's query collections do, so
/// `?ids=a&ids=b` reads like `?ids=a,b`. Names compare ignoring ASCII case.
pub(crate) fn join_repeated(
    pairs: impl Iterator<Item = (String, String)>,
) -> Vec<(String, String)> {
    let mut joined: Vec<(String, String)> = Vec::new();
    for (name, value) in pairs {
        match joined
            .iter_mut()
            .find(|(known, _)| known.eq_ignore_ascii_case(&name))
        {
            Some((_, existing)) if !value.is_empty() => {
                if !existing.is_empty() {
                    existing.push(',');
                }
                existing.push_str(&value);
            }
            Some(_) => {}
            None => joined.push((name, value)),
        }
    }
    joined
}

/// Returns the method to route by: `X-Http-Method-Override` (header or query) replaces it on a POST only,
/// so no link that a browser follows can change or delete anything.
fn effective_method(
    method: &Method,
    headers: &HeaderMap,
    target: &Target,
    form: &[(String, String)],
) -> Method {
    if method != Method::POST {
        return method.clone();
    }
    let header_value = headers
        .get("x-http-method-override")
        .and_then(|value| value.to_str().ok());
    let form_value = || {
        form.iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("x-http-method-override"))
            .map(|(_, value)| value.as_str())
    };
    let value = header_value
        .or_else(|| target.query_value("x-http-method-override"))
        .or_else(form_value);
    value
        .and_then(|value| Method::from_bytes(value.trim().to_ascii_uppercase().as_bytes()).ok())
        .unwrap_or(Method::POST)
}

/// The reader for a request body, chosen from its `Content-Type`.
#[derive(Clone, Debug, PartialEq)]
enum BodyKind {
    Format(Format),
    Form,
    /// `multipart/form-data` with its boundary.
    Multipart(String),
    Unsupported(String),
}

impl BodyKind {
    fn format(&self) -> Option<Format> {
        match self {
            BodyKind::Format(format) => Some(*format),
            _ => None,
        }
    }
}

fn content_format(headers: &HeaderMap) -> Option<BodyKind> {
    let content_type = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let essence = content_type.split(';').next().unwrap_or("").trim();
    if essence.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        return Some(BodyKind::Form);
    }
    if essence.eq_ignore_ascii_case("multipart/form-data") {
        return Some(match multer::parse_boundary(content_type) {
            Ok(boundary) => BodyKind::Multipart(boundary),
            Err(_) => BodyKind::Unsupported("multipart/form-data without a boundary".to_owned()),
        });
    }
    Some(match Format::from_media_type(essence) {
        Some(format) => BodyKind::Format(format),
        None => BodyKind::Unsupported(essence.to_owned()),
    })
}

/// A request body as read: its bytes, and its fields when it is a form.
struct ReadBody {
    bytes: Bytes,
    form: Option<Vec<(String, String)>>,
}

/// Reads the body within `limit`, and parses its fields when it is a form or multipart body.
async fn read_request_body(
    body: HttpBody,
    headers: &HeaderMap,
    limit: usize,
    kind: Option<&BodyKind>,
) -> Result<ReadBody, ApiError> {
    let bytes = read_body(body, headers, limit).await?;
    let form = match kind {
        Some(BodyKind::Form) => Some(join_repeated(form_urlencoded::parse(&bytes).into_owned())),
        Some(BodyKind::Multipart(boundary)) => {
            Some(multipart_fields(bytes.clone(), boundary).await?)
        }
        _ => None,
    };
    Ok(ReadBody { bytes, form })
}

/// Returns the text fields of a multipart body; file parts are not read.
async fn multipart_fields(bytes: Bytes, boundary: &str) -> Result<Vec<(String, String)>, ApiError> {
    let invalid = |error: multer::Error| {
        ApiError::serialization(
            format!("The multipart body could not be read: {error}"),
            None,
        )
    };
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(bytes) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut fields = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(invalid)? {
        if field.file_name().is_some() {
            continue;
        }
        let name = field.name().unwrap_or_default().to_owned();
        let value = field.text().await.map_err(invalid)?;
        fields.push((name, value));
    }
    Ok(join_repeated(fields.into_iter()))
}

async fn read_body(body: HttpBody, headers: &HeaderMap, limit: usize) -> Result<Bytes, ApiError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(payload_too_large(limit));
    }
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) if error.downcast_ref::<LengthLimitError>().is_some() => {
            Err(payload_too_large(limit))
        }
        Err(error) => Err(ApiError::serialization(
            format!("The request body could not be read: {error}"),
            None,
        )),
    }
}

fn payload_too_large(limit: usize) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "RequestEntityTooLarge",
        format!("The request body is larger than the limit of {limit} bytes."),
    )
}

fn unsupported_media_type(media_type: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "UnsupportedMediaType",
        format!(
            "Request bodies of type '{media_type}' are not supported; send application/json, \
             text/jsv, application/xml, text/csv or application/x-www-form-urlencoded."
        ),
    )
}

/// Builds the 403 for a caller who has none of `roles`.
pub fn missing_role(roles: &[&str]) -> ApiError {
    ApiError::forbidden(format!(
        "This operation requires the role {}.",
        roles.join(" or ")
    ))
}

/// Returns the 401 for a request without credentials.
pub fn unauthenticated() -> ApiError {
    ApiError::unauthorized(
        "Authentication required: send 'Authorization: Bearer <API key>' or Basic credentials.",
    )
}

/// Returns a 200 with `bytes` in `format`, or wrapped in the JSONP callback when there is one.
fn success_response(
    bytes: Vec<u8>,
    format: Format,
    operation: &'static str,
    jsonp: Option<&str>,
) -> Response<HttpBody> {
    let mut response = match jsonp {
        Some(callback) => ok_response(jsonp::wrap(callback, &bytes), jsonp::CONTENT_TYPE),
        None => ok_response(bytes, format.content_type()),
    };
    if format == Format::Csv {
        let disposition = format!("attachment;filename=\"{operation}.csv\"");
        if let Ok(value) = HeaderValue::from_str(&disposition) {
            response
                .headers_mut()
                .insert(header::CONTENT_DISPOSITION, value);
        }
    }
    response.extensions_mut().insert(HandledBy(operation));
    response
}

fn ok_response(bytes: Vec<u8>, content_type: &'static str) -> Response<HttpBody> {
    let mut response = Response::new(HttpBody::from(bytes));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::VARY, HeaderValue::from_static("Accept"));
    response
}

fn no_content_response(operation: &'static str) -> Response<HttpBody> {
    let mut response = Response::new(HttpBody::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    response.extensions_mut().insert(HandledBy(operation));
    response
}

/// Renders `error` in `format`, logging the cause of a 5xx once.
pub fn error_response(
    error: ApiError,
    format: Format,
    operation: Option<&'static str>,
) -> Response<HttpBody> {
    respond_error(error, format, operation, None)
}

/// Renders `error` in `format`, or as a JSONP call with status 200 when there is a callback,
/// logging the cause of a 5xx once.
fn respond_error(
    error: ApiError,
    format: Format,
    operation: Option<&'static str>,
    jsonp: Option<&str>,
) -> Response<HttpBody> {
    if error.status.is_server_error() {
        let cause = error
            .source()
            .map_or_else(|| "unknown".to_owned(), |cause| cause.to_string());
        tracing::error!(
            operation = operation.unwrap_or("-"),
            status = error.status.as_u16(),
            error.code = %error.response_status.error_code,
            error.cause = %cause,
            "request failed",
        );
    }
    let (format, bytes) = write_error(&error, format, operation);
    let mut response = match jsonp {
        // A script tag cannot see the status, so a JSONP error is a 200 that passes the body.
        Some(callback) => ok_response(jsonp::wrap(callback, &bytes), jsonp::CONTENT_TYPE),
        None => {
            let mut response = ok_response(bytes, format.content_type());
            *response.status_mut() = error.status;
            // ServiceStack sends the errorCode as the HTTP/1.1 reason phrase; hyper writes it
            // from this extension. A code that is not a valid phrase keeps the standard one.
            if let Ok(reason) =
                hyper::ext::ReasonPhrase::try_from(error.response_status.error_code.as_bytes())
            {
                response.extensions_mut().insert(reason);
            }
            response
        }
    };
    if error.status == StatusCode::UNAUTHORIZED && jsonp.is_none() {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("credentials realm=\"/auth/credentials\""),
        );
    }
    if let Some(operation) = operation {
        response.extensions_mut().insert(HandledBy(operation));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffix_is_stripped_from_last_segment() {
        let target = Target::parse("/integrations/abc.xml", None);
        assert_eq!(target.segments, ["integrations", "abc"]);
        assert_eq!(target.suffix, Some(Format::Xml));
    }

    #[test]
    fn dotted_variable_without_format_is_kept() {
        let target = Target::parse("/customers/acme.inc", None);
        assert_eq!(target.segments, ["customers", "acme.inc"]);
        assert_eq!(target.suffix, None);
    }

    #[test]
    fn segments_are_percent_decoded() {
        let target = Target::parse("/customers/a%20b", Some("name=x%26y&page=2"));
        assert_eq!(target.segments, ["customers", "a b"]);
        assert_eq!(target.query_value("NAME"), Some("x&y"));
    }

    #[test]
    fn repeated_query_names_join_with_commas() {
        let target = Target::parse("/integrations", Some("ids=a&IDS=b&ids=&name=x"));
        assert_eq!(target.query_value("ids"), Some("a,b"));
        assert_eq!(target.query_value("name"), Some("x"));
    }

    #[test]
    fn method_override_applies_to_post_only() {
        let mut headers = HeaderMap::new();
        headers.insert("X-Http-Method-Override", HeaderValue::from_static("delete"));
        let target = Target::parse("/integrations/a", None);
        assert_eq!(
            effective_method(&Method::POST, &headers, &target, &[]),
            Method::DELETE
        );
        assert_eq!(
            effective_method(&Method::GET, &headers, &target, &[]),
            Method::GET
        );
        let form = [("X-HTTP-Method-Override".to_owned(), "patch".to_owned())];
        assert_eq!(
            effective_method(&Method::POST, &HeaderMap::new(), &target, &form),
            Method::PATCH
        );
    }
}
