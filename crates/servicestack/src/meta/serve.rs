//! The metadata routes: which request paths the registry answers and with what.
//!
//! | path | response |
//! |---|---|
//! | `/metadata` | HTML index of every operation |
//! | `/{format}/metadata?op=Name` | one operation's page in json, xml, jsv or csv |
//! | `/types/python` | the Python DTOs, with the options in the query string |
//! | `/types/csharp` | the C# DTOs, with the options in the query string |
//!
//! They need no authentication and answer `GET` and `HEAD` only; any other method falls
//! through to the operation routes, which answer 404 or 405.

use std::time::SystemTime;

use axum::body::Body;
use http::header::{self, HeaderMap, HeaderValue};
use http::{Method, Response, StatusCode};

use super::csharp::{csharp_dtos, CSharpContext, CSHARP_OPTIONS};
use super::native::{NativeOptions, OptionSpec};
use super::pages::{index_page, operation_page, PageContext, PAGE_FORMATS};
use super::python::{python_dtos, PythonContext, PYTHON_OPTIONS};
use super::Registry;
use crate::format::Format;
use crate::html::escape;
use crate::xml::XmlContracts;

/// What the metadata routes need from the host.
pub(crate) struct Metadata<'a> {
    pub registry: &'a Registry,
    pub service_name: &'a str,
    pub xml_contracts: &'a XmlContracts,
}

impl Metadata<'_> {
    /// The response to a metadata route, or `None` when `path` is not one.
    pub fn respond(
        &self,
        method: &Method,
        path: &str,
        query: Option<&str>,
        headers: &HeaderMap,
    ) -> Option<Response<Body>> {
        if method != Method::GET && method != Method::HEAD {
            return None;
        }
        let host = headers
            .get(header::HOST)
            .and_then(|host| host.to_str().ok())
            .unwrap_or("localhost");
        let context = PageContext {
            service_name: self.service_name,
            host,
            xml_contracts: self.xml_contracts,
        };
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();

        let response = match segments.as_slice() {
            ["metadata"] => match query_value(query, "op") {
                Some(name) => self.operation_page(&name, Format::Json, &context),
                None => html(StatusCode::OK, index_page(self.registry, &context)),
            },
            [format, "metadata"] => {
                let format =
                    Format::from_name(format).filter(|format| PAGE_FORMATS.contains(format))?;
                match query_value(query, "op") {
                    Some(name) => self.operation_page(&name, format, &context),
                    None => html(StatusCode::OK, index_page(self.registry, &context)),
                }
            }
            ["types", "python"] => native_dtos(&PYTHON_OPTIONS, query, |options| {
                let context = PythonContext {
                    base_url: &base_url(headers, host),
                    generated_at: SystemTime::now(),
                };
                python_dtos(self.registry, options, &context)
            }),
            ["types", "csharp"] => native_dtos(&CSHARP_OPTIONS, query, |options| {
                let context = CSharpContext {
                    base_url: &base_url(headers, host),
                    generated_at: SystemTime::now(),
                };
                csharp_dtos(self.registry, options, &context)
            }),
            _ => return None,
        };
        Some(response)
    }

    fn operation_page(
        &self,
        name: &str,
        format: Format,
        context: &PageContext<'_>,
    ) -> Response<Body> {
        match self.registry.operation(name) {
            Some(operation) => html(
                StatusCode::OK,
                operation_page(self.registry, operation, format, context),
            ),
            None => html(
                StatusCode::NOT_FOUND,
                format!(
                    "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">\
                     <title>Not found</title></head>\n<body>\n<p>There is no operation named \
                     {}. See <a href=\"/metadata\">the list of operations</a>.</p>\n</body>\n\
                     </html>\n",
                    escape(name)
                ),
            ),
        }
    }
}

const TEXT: &str = "text/plain; charset=utf-8";

/// Reads the options of a generated DTO source from the query string and renders it, or
/// responds 400 with the reason when an option's value is invalid.
fn native_dtos(
    specs: &'static [OptionSpec],
    query: Option<&str>,
    render: impl FnOnce(&NativeOptions) -> String,
) -> Response<Body> {
    match NativeOptions::from_query(specs, query) {
        Ok(options) => respond(StatusCode::OK, TEXT, render(&options)),
        Err(error) => respond(StatusCode::BAD_REQUEST, TEXT, format!("{error}\n")),
    }
}

/// `scheme://host` of the request: `https` when a proxy reports it in `X-Forwarded-Proto`, since
/// the server itself listens for plain HTTP.
fn base_url(headers: &HeaderMap, host: &str) -> String {
    let forwarded = headers
        .get("x-forwarded-proto")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(',').next())
        .map(str::trim);
    let scheme = match forwarded {
        Some(scheme) if scheme.eq_ignore_ascii_case("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}")
}

/// The first value of `name` in a query string, percent-decoded.
fn query_value(query: Option<&str>, name: &str) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.into_owned())
        .filter(|value| !value.is_empty())
}

fn html(status: StatusCode, page: String) -> Response<Body> {
    respond(status, Format::Html.content_type(), page)
}

/// A response with a body; the host drops the body of a `HEAD` response.
pub(crate) fn respond(
    status: StatusCode,
    content_type: &'static str,
    body: String,
) -> Response<Body> {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}
