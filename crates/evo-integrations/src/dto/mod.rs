//! The request and response DTOs: the wire contract, with the original's names and member order.
//!
//! Response types write members in declaration order, the type's own members first and then
//! `EntityInfo`'s (`id` ... `lastModifiedBy`), as the original does.

pub mod account;
pub mod auth;
pub mod customer;
pub mod data;
pub mod endpoint;
pub mod integration;
pub mod list;

/// Implements [`servicestack::Operation`] for a request DTO.
///
/// `operation!(GetIntegration -> IntegrationInfo, "GET" "/integrations/{IntegrationId}");`
/// Add `anonymous` after the routes for an operation that needs no authentication.
macro_rules! operation {
    ($request:ident -> $response:ty $(, $method:literal $path:literal)* $(; $anonymous:ident)?) => {
        impl servicestack::Operation for $request {
            const NAME: &'static str = stringify!($request);
            const ROUTES: &'static [servicestack::Route] = &[
                $(servicestack::Route { method: $method, path: $path },)*
            ];
            $(const REQUIRES_AUTHENTICATION: bool = operation!(@auth $anonymous);)?
            type Response = $response;
        }
    };
    (@auth anonymous) => { false };
}

pub(crate) use operation;

/// The response of an operation that returns nothing: sent as `204 No Content`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct NoContent;
