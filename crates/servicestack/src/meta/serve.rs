//! The metadata routes: which request paths the registry answers and with what.
//!
//! | path | response |
//! |---|---|
//! | `/metadata` | HTML index of every operation |
//! | `/{format}/metadata?op=Name` | one operation's page in json, xml, jsv or csv |
//! | `/types/metadata` | every type and operation as JSON ([`super::types_json`]) |
//! | `/openapi.json` | the OpenAPI 3.1 document ([`super::openapi`]) |
//! | `/types/typescript` | the TypeScript DTOs, with the options in the query string |
//! | `/types/python` | the Python DTOs, with the options in the query string |
//! | `/types/csharp` | the C# DTOs, with the options in the query string |
//!
//! They need no authentication and answer `GET` and `HEAD` only; any other method falls
//! through to the operation routes, which answer 404 or 405.

use std::time::SystemTime;

use axum::body::Body;
use http::header::{self, HeaderMap, HeaderValue};
use http::{Method, Response, StatusCode};
use serde::Serialize;

use super::csharp::{csharp_dtos, CSHARP_OPTIONS};
use super::native::{Generator, HeaderContext, NativeOptions, OptionSpec};
use super::openapi::{openapi_document, DocumentInfo};
use super::pages::{index_page, operation_page, PageContext, PAGE_FORMATS};
use super::python::{python_dtos, PYTHON_OPTIONS};
use super::types_json::metadata_types;
use super::typescript::{typescript_dtos, TYPESCRIPT_OPTIONS};
use super::Registry;
use crate::format::Format;
use crate::html::escape;
use crate::xml::XmlContracts;

/// What the metadata routes need from the host.
pub(crate) struct Metadata<'a> {
    pub registry: &'a Registry,
    pub service_name: &'a str,
    pub service_version: &'a str,
    pub public_url: Option<&'a str>,
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
            ["types", "metadata"] => {
                json_document(&metadata_types(self.registry, &self.base_url(headers)))
            }
            ["openapi.json"] => {
                let server_url = self.base_url(headers);
                let info = DocumentInfo {
                    title: self.service_name,
                    version: self.service_version,
                    server_url: &server_url,
                };
                json_document(&openapi_document(self.registry, &info))
            }
            [format, "metadata"] => {
                let format =
                    Format::from_name(format).filter(|format| PAGE_FORMATS.contains(format))?;
                match query_value(query, "op") {
                    Some(name) => self.operation_page(&name, format, &context),
                    None => html(StatusCode::OK, index_page(self.registry, &context)),
                }
            }
            ["types", language @ ("typescript" | "python" | "csharp")] => {
                let (specs, render): (&'static [OptionSpec], Generator) = match *language {
                    "typescript" => (&TYPESCRIPT_OPTIONS, typescript_dtos),
                    "python" => (&PYTHON_OPTIONS, python_dtos),
                    _ => (&CSHARP_OPTIONS, csharp_dtos),
                };
                match NativeOptions::from_query(specs, query) {
                    Ok(options) => {
                        let context = HeaderContext {
                            base_url: &self.base_url(headers),
                            generated_at: SystemTime::now(),
                        };
                        respond(
                            StatusCode::OK,
                            TEXT,
                            render(self.registry, &options, &context),
                        )
                    }
                    Err(error) => respond(StatusCode::BAD_REQUEST, TEXT, format!("{error}\n")),
                }
            }
            _ => return None,
        };
        Some(response)
    }

    /// Builds the URL a client reached the service at: the configured public URL, else
    /// `http://` and the `Host` header, or `https://` behind a proxy that sets
    /// `X-Forwarded-Proto: https`.
    fn base_url(&self, headers: &HeaderMap) -> String {
        if let Some(public_url) = self.public_url {
            return public_url.trim_end_matches('/').to_owned();
        }
        let host = headers
            .get(header::HOST)
            .and_then(|host| host.to_str().ok())
            .unwrap_or("localhost");
        let forwarded_https = headers
            .get("x-forwarded-proto")
            .and_then(|proto| proto.to_str().ok())
            .and_then(|proto| proto.split(',').next())
            .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"));
        let scheme = if forwarded_https { "https" } else { "http" };
        format!("{scheme}://{host}")
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

/// The first value of `name` in a query string, percent-decoded.
fn query_value(query: Option<&str>, name: &str) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.into_owned())
        .filter(|value| !value.is_empty())
}

fn json_document(document: &impl Serialize) -> Response<Body> {
    match serde_json::to_string(document) {
        Ok(body) => respond(StatusCode::OK, Format::Json.content_type(), body),
        // The documents hold only strings, booleans, lists and string-keyed maps.
        Err(error) => {
            tracing::error!(%error, "failed to serialize a metadata document");
            respond(
                StatusCode::INTERNAL_SERVER_ERROR,
                TEXT,
                "The metadata document could not be written; the server log has the details.\n"
                    .to_owned(),
            )
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn base_url(public_url: Option<&str>, headers: &[(&'static str, &'static str)]) -> String {
        let registry = Registry::new();
        let xml_contracts = XmlContracts::default();
        let metadata = Metadata {
            registry: &registry,
            service_name: "Test",
            service_version: "1.0.0",
            public_url,
            xml_contracts: &xml_contracts,
        };
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(*name, HeaderValue::from_static(value));
        }
        metadata.base_url(&map)
    }

    #[test]
    fn base_url_prefers_public_url() {
        let url = base_url(
            Some("https://api.example.com/"),
            &[("host", "10.0.0.5:8080")],
        );
        assert_eq!(url, "https://api.example.com");
    }

    #[test]
    fn base_url_uses_host_header() {
        assert_eq!(
            base_url(None, &[("host", "127.0.0.1:5000")]),
            "http://127.0.0.1:5000"
        );
    }

    #[test]
    fn base_url_honours_forwarded_https() {
        let url = base_url(
            None,
            &[("host", "api.example.com"), ("x-forwarded-proto", "https")],
        );
        assert_eq!(url, "https://api.example.com");
    }

    #[test]
    fn metadata_documents_serve_get_only() {
        let registry = Registry::new();
        let xml_contracts = XmlContracts::default();
        let metadata = Metadata {
            registry: &registry,
            service_name: "Test",
            service_version: "1.0.0",
            public_url: None,
            xml_contracts: &xml_contracts,
        };
        let headers = HeaderMap::new();
        for path in ["/types/metadata", "/openapi.json"] {
            let response = metadata
                .respond(&Method::GET, path, None, &headers)
                .unwrap_or_else(|| panic!("{path} not served"));
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            assert_eq!(
                response.headers()[header::CONTENT_TYPE],
                Format::Json.content_type(),
                "{path}"
            );
            assert!(
                metadata
                    .respond(&Method::POST, path, None, &headers)
                    .is_none(),
                "POST {path}"
            );
        }
    }
}
