//! The HTML metadata pages: `/metadata`, the index of every operation, and
//! `/{format}/metadata?op=Name`, one operation's routes, types and sample bodies in one format.

use std::fmt::Write as _;

use super::sample::sample;
use super::{OperationDef, Registry, TypeDef, TypeKind, TypeRef};
use crate::format::Format;
use crate::html::escape;
use crate::write::{write_body, WriteOptions};
use crate::xml::XmlContracts;

/// The formats that have an operation page, in the order the index links them.
pub const PAGE_FORMATS: [Format; 4] = [Format::Json, Format::Xml, Format::Jsv, Format::Csv];

/// The service name, host and XML contracts a page shows besides the registry.
#[derive(Clone, Copy, Debug)]
pub struct PageContext<'a> {
    /// The service's name, the heading of every page.
    pub service_name: &'a str,
    /// The `Host` the client used, shown in the sample requests.
    pub host: &'a str,
    pub xml_contracts: &'a XmlContracts,
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#222}\
table{border-collapse:collapse;margin:.5em 0 1.5em}\
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}\
th{background:#f3f3f3}\
pre{background:#f7f7f7;border:1px solid #ddd;padding:1em;overflow:auto;tab-size:4}\
.group{margin-top:1.5em}";

/// Renders the index: every operation grouped by the first segment of its first route, with a
/// link to its page in each format and to the generated DTOs and the OpenAPI document.
pub fn index_page(registry: &Registry, context: &PageContext<'_>) -> String {
    let mut html = page_start(context.service_name);
    let _ = writeln!(html, "<h1>{}</h1>", escape(context.service_name));
    html.push_str(
        "<p>The following operations are supported. Follow a format's link for the \
         operation's definition in that format.</p>\n",
    );

    let mut groups: Vec<(String, Vec<&OperationDef>)> = Vec::new();
    for operation in registry.operations() {
        let group = group_name(operation);
        match groups.iter_mut().find(|(name, _)| *name == group) {
            Some((_, operations)) => operations.push(operation),
            None => groups.push((group, vec![operation])),
        }
    }
    for (group, operations) in &groups {
        let _ = writeln!(html, "<h2 class=\"group\">{}</h2>", escape(group));
        html.push_str("<table class=\"operations\">\n");
        for operation in operations {
            let _ = write!(html, "<tr><th>{}</th>", escape(operation.name));
            for format in PAGE_FORMATS {
                let _ = write!(
                    html,
                    "<td><a href=\"/{format}/metadata?op={name}\">{label}</a></td>",
                    format = format.name(),
                    name = escape(operation.name),
                    label = format.name().to_ascii_uppercase(),
                );
            }
            html.push_str("</tr>\n");
        }
        html.push_str("</table>\n");
    }

    html.push_str("<h2>Clients</h2>\n<ul>\n");
    for (path, label) in [
        ("/types/typescript", "TypeScript DTOs"),
        ("/types/python", "Python DTOs"),
        ("/types/csharp", "C# DTOs"),
        ("/types/metadata", "Types and operations as JSON"),
        ("/openapi.json", "OpenAPI 3.1 document"),
    ] {
        let _ = writeln!(html, "<li><a href=\"{path}\">{label}</a></li>");
    }
    html.push_str("</ul>\n</body>\n</html>\n");
    html
}

/// Returns the index group of an operation: the capitalized first segment of its first route, or
/// `Other` for an operation reachable only through the predefined routes.
pub fn group_name(operation: &OperationDef) -> String {
    let segment = operation
        .routes
        .first()
        .and_then(|route| route.path.split('/').find(|segment| !segment.is_empty()))
        .filter(|segment| !segment.starts_with('{'));
    match segment {
        Some(segment) => {
            let mut chars = segment.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
        None => "Other".to_owned(),
    }
}

/// Renders one operation's page in `format`, one of [`PAGE_FORMATS`].
pub fn operation_page(
    registry: &Registry,
    operation: &OperationDef,
    format: Format,
    context: &PageContext<'_>,
) -> String {
    let mut html = page_start(&format!("{} | {}", operation.name, context.service_name));
    let _ = writeln!(html, "<h1>{}</h1>", escape(context.service_name));
    html.push_str("<p><a href=\"/metadata\">&lt;back to all web services</a></p>\n");
    let _ = writeln!(html, "<h2>{}</h2>", escape(operation.name));
    if let Some(description) = registry
        .definition(&operation.request)
        .and_then(|definition| definition.description)
    {
        let _ = writeln!(html, "<p class=\"description\">{}</p>", escape(description));
    }
    if operation.requires_authentication {
        html.push_str("<p class=\"authentication\">Requires Authentication</p>\n");
    }
    if !operation.required_roles.is_empty() {
        let _ = writeln!(
            html,
            "<p class=\"roles\">Requires any of the roles: {}</p>",
            escape(&operation.required_roles.join(", "))
        );
    }

    write_routes(&mut html, operation);
    for name in registry.operation_types(operation) {
        if let Some(definition) = registry.get(name) {
            write_type(&mut html, registry, operation, definition);
        }
    }
    write_samples(&mut html, registry, operation, format, context);
    html.push_str("</body>\n</html>\n");
    html
}

fn page_start(title: &str) -> String {
    let mut html = String::with_capacity(16 * 1024);
    html.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    let _ = writeln!(html, "<title>{}</title>", escape(title));
    let _ = writeln!(html, "<style>{STYLE}</style>");
    html.push_str("</head>\n<body>\n");
    html
}

fn write_routes(html: &mut String, operation: &OperationDef) {
    html.push_str("<p>The following routes are available for this service:</p>\n");
    html.push_str("<table class=\"routes\">\n");
    for route in &operation.routes {
        let _ = writeln!(
            html,
            "<tr><th>{}</th><td>{}</td></tr>",
            escape(route.method),
            escape(route.path)
        );
    }
    html.push_str("</table>\n");
}

fn write_type(
    html: &mut String,
    registry: &Registry,
    operation: &OperationDef,
    definition: &TypeDef,
) {
    let title = escape(&definition.display_name());
    match &definition.kind {
        TypeKind::Enum { values } => {
            let _ = writeln!(html, "<h3>{title} Enum:</h3>");
            html.push_str("<ul class=\"enum\">\n");
            for value in values {
                let _ = writeln!(html, "<li>{}</li>", escape(value));
            }
            html.push_str("</ul>\n");
        }
        TypeKind::Class { members, .. } => {
            let is_request = is_request_type(registry, operation, definition.name);
            let _ = writeln!(html, "<h3>{title} Parameters:</h3>");
            html.push_str(
                "<table class=\"parameters\">\n<thead><tr><th>Name</th>\
                <th>Parameter</th><th>Data Type</th><th>Required</th><th>Description</th>\
                </tr></thead>\n<tbody>\n",
            );
            for member in members {
                let parameter = parameter_kind(operation, is_request, member.name);
                let _ = writeln!(
                    html,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    escape(member.name),
                    parameter,
                    escape(&member.type_ref.csharp_name(&definition.generic_params)),
                    if member.required { "Yes" } else { "No" },
                    escape(member.description.unwrap_or_default()),
                );
            }
            html.push_str("</tbody>\n</table>\n");
        }
        TypeKind::Dictionary { .. } => {}
    }
}

/// Returns whether `name` is the request type or one of its base classes, whose members are the
/// request's parameters.
fn is_request_type(registry: &Registry, operation: &OperationDef, name: &str) -> bool {
    let mut current = registry.definition(&operation.request);
    while let Some(definition) = current {
        if definition.name == name {
            return true;
        }
        current = definition.base().and_then(|base| registry.definition(base));
    }
    false
}

/// Returns the Parameter column: `path` for a route variable, `body` for a member of a POST, PUT or
/// PATCH request, `query` for a member of any other request, and `form` for members of the
/// other types.
fn parameter_kind(operation: &OperationDef, is_request: bool, member: &str) -> &'static str {
    if !is_request {
        return "form";
    }
    let in_path = operation.routes.iter().any(|route| {
        route.path.split('/').any(|segment| {
            segment
                .strip_prefix('{')
                .and_then(|variable| variable.strip_suffix('}'))
                .map(|variable| variable.trim_end_matches('*'))
                .is_some_and(|variable| variable.eq_ignore_ascii_case(member))
        })
    });
    if in_path {
        return "path";
    }
    let method = operation
        .routes
        .first()
        .map_or("POST", |route| route.method);
    if has_body(method) {
        "body"
    } else {
        "query"
    }
}

fn has_body(method: &str) -> bool {
    matches!(method, "POST" | "PUT" | "PATCH")
}

fn write_samples(
    html: &mut String,
    registry: &Registry,
    operation: &OperationDef,
    format: Format,
    context: &PageContext<'_>,
) {
    let name = format.name();
    let media_type = format.content_type().split(';').next().unwrap_or_default();
    let _ = writeln!(
        html,
        "<p>To override the Content-type in your clients, use the HTTP Accept Header, append \
         the .{name} suffix or ?format={name}</p>"
    );
    let _ = writeln!(html, "<h3>HTTP + {}</h3>", name.to_ascii_uppercase());
    html.push_str(
        "<p>The following are sample HTTP requests and responses. The placeholders shown need \
         to be replaced with actual values.</p>\n",
    );

    let (method, path) = match operation.routes.first() {
        Some(route) => (route.method.to_owned(), route.path.to_owned()),
        None => (
            "POST".to_owned(),
            format!("/{name}/reply/{}", operation.name),
        ),
    };
    let mut request = format!("{method} {path} HTTP/1.1 \nHost: {} \n", context.host);
    let _ = writeln!(request, "Accept: {media_type}");
    if has_body(&method) {
        let _ = write!(
            request,
            "Content-Type: {media_type}\nContent-Length: length\n\n{}",
            sample_body(registry, &operation.request, format, operation, context)
        );
    }
    let _ = writeln!(html, "<pre class=\"request\">{}</pre>", escape(&request));

    let response = if operation.response == TypeRef::Void {
        "HTTP/1.1 204 No Content\n".to_owned()
    } else {
        format!(
            "HTTP/1.1 200 OK\nContent-Type: {media_type}\nContent-Length: length\n\n{}",
            sample_body(registry, &operation.response, format, operation, context)
        )
    };
    let _ = writeln!(html, "<pre class=\"response\">{}</pre>", escape(&response));
}

/// Writes the sample of `type_ref` as the server would write it in `format`, indented where
/// the format has an indented form.
fn sample_body(
    registry: &Registry,
    type_ref: &TypeRef,
    format: Format,
    operation: &OperationDef,
    context: &PageContext<'_>,
) -> String {
    let value = sample(registry, type_ref);
    let options = WriteOptions {
        format,
        pretty: true,
        operation: operation.name,
        xml_contracts: context.xml_contracts,
    };
    match write_body(&value, &options) {
        Ok(Some(bytes)) if format == Format::Xml => indent_xml(&bytes),
        Ok(Some(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
        Ok(None) => String::new(),
        // The writers fail only on values a sample never holds, such as a non-string map key.
        Err(error) => format!("(no sample: {})", error.response_status.message),
    }
}

/// Indents an XML document two spaces per level, so a sample reads like the JSON one; returns
/// the text unchanged if it does not parse.
fn indent_xml(bytes: &[u8]) -> String {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut writer = quick_xml::Writer::new_with_indent(Vec::new(), b' ', 2);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(event) => {
                if writer.write_event(event).is_err() {
                    return String::from_utf8_lossy(bytes).into_owned();
                }
            }
            Err(_) => return String::from_utf8_lossy(bytes).into_owned(),
        }
    }
    String::from_utf8_lossy(&writer.into_inner()).into_owned()
}
