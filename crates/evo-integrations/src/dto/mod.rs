//! The request and response DTOs: the wire contract, with the original's names and member order.
//!
//! Response types write members in declaration order, the type's own members first and then
//! `EntityInfo`'s (`id` ... `lastModifiedBy`), as the original does.

use serde::{Deserialize, Serialize};
use servicestack::meta::{Registry, TypeRef};
use servicestack::ApiType;

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
/// Add `; roles = [Manager, SystemAdministrator]` after the routes for an operation that needs
/// one of those roles, or `; anonymous` for one that needs no authentication.
macro_rules! operation {
    (
        $request:ident -> $response:ty $(, $method:literal $path:literal)*;
        roles = [$($role:ident),+ $(,)?]
    ) => {
        operation!(
            @implement $request -> $response $(, $method $path)*;
            true, &[$($crate::domain::caller::Role::$role.name()),+]
        );
    };
    ($request:ident -> $response:ty $(, $method:literal $path:literal)*; anonymous) => {
        operation!(@implement $request -> $response $(, $method $path)*; false, &[]);
    };
    ($request:ident -> $response:ty $(, $method:literal $path:literal)*) => {
        operation!(@implement $request -> $response $(, $method $path)*; true, &[]);
    };
    (
        @implement $request:ident -> $response:ty $(, $method:literal $path:literal)*;
        $authenticated:expr, $roles:expr
    ) => {
        impl servicestack::Operation for $request {
            const NAME: &'static str = stringify!($request);
            const ROUTES: &'static [servicestack::Route] = &[
                $(servicestack::Route { method: $method, path: $path },)*
            ];
            const REQUIRES_AUTHENTICATION: bool = $authenticated;
            const REQUIRED_ROLES: &'static [&'static str] = $roles;
            type Response = $response;
        }
    };
}

pub(crate) use operation;

// Entity DTOs repeat these members at their end and declare `#[api(inherits = EntityInfo)]`;
// the doc comment below is the contract's description, which clients see.
/// The base class of every entity: its id and audit members.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api")]
#[serde(rename_all = "camelCase", default)]
pub struct EntityInfo {
    /// The ID of the object.
    pub id: Option<String>,
    /// The date the object was created.
    pub date_created: Option<String>,
    /// The date the object was last modified.
    pub date_last_modified: Option<String>,
    /// The user that created this object.
    pub created_by: Option<String>,
    /// The user that last modified this object.
    pub last_modified_by: Option<String>,
}

/// The response of an operation that returns nothing: sent as `204 No Content`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct NoContent;

impl ApiType for NoContent {
    fn describe(_registry: &mut Registry) -> TypeRef {
        TypeRef::Void
    }
}
