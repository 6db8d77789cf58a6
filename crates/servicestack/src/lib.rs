//! ServiceStack's wire conventions for an axum server.
//!
//! - [`format`] and [`negotiate`]: the formats and which one a response uses;
//! - [`bind`] and [`de`]: request DTOs from bodies, query strings, forms and path variables;
//! - [`error`]: the `ResponseStatus` envelope and [`ApiError`];
//! - [`route`] and [`host`]: route templates and the operation registry that dispatches requests;
//! - [`mod@write`]: response bodies, including .NET-style numbers, with one module per format that
//!   serde has no crate for: [`xml`] (and [`xml_read`] for request bodies), [`csv`], [`jsonl`],
//!   [`html`] and [`jsonp`];
//! - [`meta`]: the registry of operations and types, and the metadata pages, generated DTOs and
//!   OpenAPI document built from it.

// Lets `#[derive(ApiType)]`, which names `::servicestack`, work on this crate's own types.
extern crate self as servicestack;

pub mod bind;
pub mod csv;
pub mod de;
pub mod error;
pub mod format;
pub mod host;
pub mod html;
mod items;
pub mod jsonl;
pub mod jsonp;
pub mod meta;
pub mod negotiate;
pub mod route;
pub mod write;
pub mod xml;
pub mod xml_read;

pub use error::{ApiError, ResponseError, ResponseStatus};
pub use format::Format;
pub use host::{HostConfig, Operation, RequestContext, Route, Service, ServiceHost};
pub use meta::ApiType;
pub use xml::{BaseType, XmlContracts};
