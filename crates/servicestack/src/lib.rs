//! ServiceStack's wire conventions for an axum server.
//!
//! - [`format`] and [`negotiate`]: the formats and which one a response uses;
//! - [`bind`] and [`de`]: request DTOs from bodies, query strings, forms and path variables;
//! - [`error`]: the `ResponseStatus` envelope and [`ApiError`];
//! - [`route`] and [`host`]: route templates and the operation registry that dispatches requests;
//! - [`write`]: response bodies, including .NET-style numbers.

pub mod bind;
pub mod de;
pub mod error;
pub mod format;
pub mod host;
pub mod negotiate;
pub mod route;
pub mod write;

pub use error::{ApiError, ResponseError, ResponseStatus};
pub use format::Format;
pub use host::{HostConfig, Operation, RequestContext, Route, Service, ServiceHost};
