//! The metadata routes: the request paths served from the registry, and their responses.
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
//! They need no authentication and accept only `GET` and `HEAD`, so any other method gets a 405. An
//! invalid option or `Host` header gets a 400 in ServiceStack's error shape, in the format the
//! `Accept` header asks for (JSON by default).

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
use crate::error::ApiError;
use crate::format::Format;
use crate::host::error_response;
use crate::html::escape;
use crate::negotiate::{negotiate, FormatHints};
use crate::xml::XmlContracts;

/// The host's registry and settings that the metadata routes read.
pub(crate) struct Metadata<'a> {
    pub registry: &'a Registry,
    pub service_name: &'a str,
    pub service_version: &'a str,
    pub public_url: Option<&'a str>,
    pub xml_contracts: &'a XmlContracts,
}

impl Metadata<'_> {
    /// Builds the response to a metadata route, or returns `None` when `path` is not one.
    pub fn respond(
        &self,
        method: &Method,
        path: &str,
        query: &[(String, String)],
        headers: &HeaderMap,
    ) -> Option<Response<Body>> {
        let route = MetadataRoute::parse(path)?;
        if method != Method::GET && method != Method::HEAD {
            let error = ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "MethodNotAllowed",
                format!("{path} accepts only GET and HEAD, not {method}."),
            );
            let mut response = error_response(error, error_format(headers), None);
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
            return Some(response);
        }
        let host = match request_host(headers) {
            Ok(host) => host,
            Err(error) => return Some(error_response(error, error_format(headers), None)),
        };
        let context = PageContext {
            service_name: self.service_name,
            host,
            xml_contracts: self.xml_contracts,
        };

        let response = match route {
            MetadataRoute::Page(format) => match query_value(query, "op") {
                Some(name) => self.operation_page(&name, format, &context),
                None => html(StatusCode::OK, index_page(self.registry, &context)),
            },
            MetadataRoute::NoPageFormat(format) => html(
                StatusCode::NOT_FOUND,
                not_found_page(&format!(
                    "There are no {} metadata pages; they come in json, xml, jsv and csv.",
                    format.name()
                )),
            ),
            MetadataRoute::Types => json_document(&metadata_types(
                self.registry,
                &self.base_url(headers, host),
            )),
            MetadataRoute::OpenApi => {
                let server_url = self.base_url(headers, host);
                let info = DocumentInfo {
                    title: self.service_name,
                    version: self.service_version,
                    server_url: &server_url,
                };
                json_document(&openapi_document(self.registry, &info))
            }
            MetadataRoute::Dtos(specs, render) => match NativeOptions::from_pairs(specs, query) {
                Ok(options) => {
                    let context = HeaderContext {
                        base_url: &self.base_url(headers, host),
                        generated_at: SystemTime::now(),
                    };
                    respond(
                        StatusCode::OK,
                        TEXT,
                        render(self.registry, &options, &context),
                    )
                }
                Err(invalid) => {
                    let error = ApiError::field("InvalidOption", invalid.key, invalid.to_string());
                    error_response(error, error_format(headers), None)
                }
            },
        };
        Some(response)
    }

    /// Builds the URL a client reached the service at: the configured public URL, else
    /// `http://` and the `Host` header, or `https://` behind a proxy that sets
    /// `X-Forwarded-Proto: https`.
    fn base_url(&self, headers: &HeaderMap, host: &str) -> String {
        if let Some(public_url) = self.public_url {
            return public_url.trim_end_matches('/').to_owned();
        }
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
        let name = name.trim();
        match self.registry.operation(name) {
            Some(operation) => html(
                StatusCode::OK,
                operation_page(self.registry, operation, format, context),
            ),
            None => {
                let quoted: String = name.chars().take(MAX_NAME_SHOWN).collect();
                let ellipsis = if quoted.len() < name.len() { "..." } else { "" };
                html(
                    StatusCode::NOT_FOUND,
                    not_found_page(&format!(
                        "There is no operation named '{quoted}{ellipsis}'."
                    )),
                )
            }
        }
    }
}

/// How many characters of an unknown operation name the 404 page repeats.
const MAX_NAME_SHOWN: usize = 100;

/// The metadata paths.
enum MetadataRoute {
    /// `/metadata` (JSON) or `/{format}/metadata`: the index, or an operation's page with `?op=`.
    Page(Format),
    /// `/{format}/metadata` for a format that has no pages, such as `html`.
    NoPageFormat(Format),
    /// `/types/metadata`.
    Types,
    /// `/openapi.json`.
    OpenApi,
    /// `/types/{language}`: the options the language takes and its generator.
    Dtos(&'static [OptionSpec], Generator),
}

impl MetadataRoute {
    /// Recognises a metadata path without allocating, because every request passes here.
    fn parse(path: &str) -> Option<MetadataRoute> {
        let mut segments = path.trim_matches('/').split('/');
        let first = segments.next()?;
        let second = segments.next();
        if segments.next().is_some() {
            return None;
        }
        let route = match (first, second) {
            ("metadata", None) => MetadataRoute::Page(Format::Json),
            ("types", Some("metadata")) => MetadataRoute::Types,
            ("openapi.json", None) => MetadataRoute::OpenApi,
            ("types", Some("typescript")) => {
                MetadataRoute::Dtos(&TYPESCRIPT_OPTIONS, typescript_dtos)
            }
            ("types", Some("python")) => MetadataRoute::Dtos(&PYTHON_OPTIONS, python_dtos),
            ("types", Some("csharp")) => MetadataRoute::Dtos(&CSHARP_OPTIONS, csharp_dtos),
            // Other names fall through: they may be an operation's own route.
            (format, Some("metadata")) => match Format::from_name(format)? {
                format if PAGE_FORMATS.contains(&format) => MetadataRoute::Page(format),
                format => MetadataRoute::NoPageFormat(format),
            },
            _ => return None,
        };
        Some(route)
    }
}

/// Reads the `Host` header (`localhost` when missing). Anything but a host name or address with
/// an optional port is a 400, because the generated sources and pages repeat it.
fn request_host(headers: &HeaderMap) -> Result<&str, ApiError> {
    let Some(value) = headers.get(header::HOST) else {
        return Ok("localhost");
    };
    let host = value.to_str().unwrap_or_default();
    let valid = !host.is_empty()
        && host.chars().all(|character| {
            character.is_ascii_alphanumeric()
                || matches!(character, '.' | '-' | '_' | ':' | '[' | ']')
        });
    if valid {
        Ok(host)
    } else {
        Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "InvalidHost",
            "The Host header must be a host name or address with an optional port, such as \
             api.example.com:8080.",
        ))
    }
}

/// Picks the format of an error body: the one `Accept` requests, else JSON.
fn error_format(headers: &HeaderMap) -> Format {
    let hints = FormatHints {
        accept: headers
            .get(header::ACCEPT)
            .and_then(|accept| accept.to_str().ok()),
        ..FormatHints::default()
    };
    negotiate(hints).unwrap_or(Format::Json)
}

fn not_found_page(message: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">\
         <title>Not found</title></head>\n<body>\n<p>{}</p>\n<p>See <a href=\"/metadata\">the \
         list of operations</a>.</p>\n</body>\n</html>\n",
        escape(message)
    )
}

const TEXT: &str = "text/plain; charset=utf-8";

/// Reads `name` from the query pairs, whose repeated names the host has joined with commas.
fn query_value(query: &[(String, String)], name: &str) -> Option<String> {
    query
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.trim().to_owned())
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

/// Builds a response with a body. The host drops the body of a `HEAD` response.
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
        let host = request_host(&map).unwrap();
        metadata.base_url(&map, host)
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

    fn test_metadata<'a>(registry: &'a Registry, xml_contracts: &'a XmlContracts) -> Metadata<'a> {
        Metadata {
            registry,
            service_name: "Test",
            service_version: "1.0.0",
            public_url: None,
            xml_contracts,
        }
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn host_with_markup_is_rejected() {
        let registry = Registry::new();
        let xml_contracts = XmlContracts::default();
        let metadata = test_metadata(&registry, &xml_contracts);

        for host in [
            "x*/ export const injected = 1; /*",
            "x\"\"\"; print(1); \"\"\"",
            "a b",
        ] {
            let value = HeaderValue::from_str(host).unwrap();
            let mut map = HeaderMap::new();
            map.insert(header::HOST, value);
            for path in [
                "/types/typescript",
                "/types/python",
                "/openapi.json",
                "/metadata",
            ] {
                let response = metadata
                    .respond(&Method::GET, path, &[], &map)
                    .unwrap_or_else(|| panic!("{path} not served"));
                assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path} {host}");
            }
        }
        for host in ["api.example.com:8080", "127.0.0.1", "[::1]:5000"] {
            let map = headers(&[("host", host)]);
            let response = metadata
                .respond(&Method::GET, "/types/python", &[], &map)
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{host}");
        }
    }

    #[test]
    fn invalid_option_is_a_response_status() {
        let registry = Registry::new();
        let xml_contracts = XmlContracts::default();
        let metadata = test_metadata(&registry, &xml_contracts);

        let response = metadata
            .respond(
                &Method::GET,
                "/types/typescript",
                &[("AddResponseStatus".to_owned(), "1".to_owned())],
                &HeaderMap::new(),
            )
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            Format::Json.content_type()
        );
    }

    #[test]
    fn other_methods_get_405() {
        let registry = Registry::new();
        let xml_contracts = XmlContracts::default();
        let metadata = test_metadata(&registry, &xml_contracts);

        for path in [
            "/metadata",
            "/json/metadata",
            "/types/csharp",
            "/openapi.json",
        ] {
            let response = metadata
                .respond(&Method::POST, path, &[], &HeaderMap::new())
                .unwrap_or_else(|| panic!("{path} not served"));
            assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED, "{path}");
            assert_eq!(response.headers()[header::ALLOW], "GET, HEAD", "{path}");
        }
    }

    #[test]
    fn unknown_format_names_fall_through() {
        let registry = Registry::new();
        let xml_contracts = XmlContracts::default();
        let metadata = test_metadata(&registry, &xml_contracts);

        let none = HeaderMap::new();
        assert!(metadata
            .respond(&Method::GET, "/reports/metadata", &[], &none)
            .is_none());
        let html = metadata
            .respond(&Method::GET, "/html/metadata", &[], &none)
            .unwrap();
        assert_eq!(html.status(), StatusCode::NOT_FOUND);
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
                .respond(&Method::GET, path, &[], &headers)
                .unwrap_or_else(|| panic!("{path} not served"));
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            assert_eq!(
                response.headers()[header::CONTENT_TYPE],
                Format::Json.content_type(),
                "{path}"
            );
            let post = metadata
                .respond(&Method::POST, path, &[], &headers)
                .unwrap_or_else(|| panic!("POST {path} not answered"));
            assert_eq!(post.status(), StatusCode::METHOD_NOT_ALLOWED, "POST {path}");
        }
    }
}
