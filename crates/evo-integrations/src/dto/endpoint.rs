//! Endpoints: things that make or receive communication. Only users are managed here.

use serde::{Deserialize, Serialize};
use servicestack::ApiType;

use super::integration::CustomerBreadcrumb;
use super::list::{list_request, ListRequestBase, ListResponse};
use super::{operation, EntityInfo, NoContent};

/// The kinds of endpoint, in the original's order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api.Endpoints")]
pub enum EndpointTypes {
    #[default]
    PhoneNumber,
    User,
    FaxNumber,
    EmailAddress,
    #[serde(rename = "Unused_1")]
    Unused1,
    #[serde(rename = "Unused_2")]
    Unused2,
    #[serde(rename = "Unused_3")]
    Unused3,
    #[serde(rename = "Unused_4")]
    Unused4,
    #[serde(rename = "Unused_5")]
    Unused5,
    Team,
    Assistant,
}

impl EndpointTypes {
    /// Every type, in the original's order.
    pub const ALL: [EndpointTypes; 11] = [
        EndpointTypes::PhoneNumber,
        EndpointTypes::User,
        EndpointTypes::FaxNumber,
        EndpointTypes::EmailAddress,
        EndpointTypes::Unused1,
        EndpointTypes::Unused2,
        EndpointTypes::Unused3,
        EndpointTypes::Unused4,
        EndpointTypes::Unused5,
        EndpointTypes::Team,
        EndpointTypes::Assistant,
    ];

    /// The name on the wire and in the store.
    pub fn name(self) -> &'static str {
        match self {
            EndpointTypes::PhoneNumber => "PhoneNumber",
            EndpointTypes::User => "User",
            EndpointTypes::FaxNumber => "FaxNumber",
            EndpointTypes::EmailAddress => "EmailAddress",
            EndpointTypes::Unused1 => "Unused_1",
            EndpointTypes::Unused2 => "Unused_2",
            EndpointTypes::Unused3 => "Unused_3",
            EndpointTypes::Unused4 => "Unused_4",
            EndpointTypes::Unused5 => "Unused_5",
            EndpointTypes::Team => "Team",
            EndpointTypes::Assistant => "Assistant",
        }
    }

    /// Parses a stored name.
    pub fn from_name(name: &str) -> Option<EndpointTypes> {
        EndpointTypes::ALL
            .into_iter()
            .find(|kind| kind.name() == name)
    }
}

/// An endpoint as the API returns it (the members this service uses).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api.Endpoints", inherits = EntityInfo)]
#[serde(rename_all = "camelCase", default)]
pub struct EndpointInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_breadcrumb: Option<Vec<CustomerBreadcrumb>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(rename = "type")]
    pub endpoint_type: EndpointTypes,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_email_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_created: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_last_modified: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_modified_by: Option<String>,
}

/// Creates an endpoint; only `Type` `User` is supported.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api")]
#[serde(rename_all = "camelCase", default)]
pub struct NewEndpoint {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// The endpoint's id in a third-party system, unique per account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub endpoint_type: Option<EndpointTypes>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_email_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
}

operation!(
    NewEndpoint -> EndpointInfo, "POST" "/endpoints";
    roles = [SystemAdministrator, Manager]
);

list_request! {
    /// Lists endpoints.
    #[api(inherits = ListRequestBase<EndpointInfo>)]
    pub struct ListEndpoints {
        pub account_ids: Option<Vec<String>>,
        /// Only endpoints of these customers and, unless `ShallowParent`, their descendants.
        pub customer_ids: Option<Vec<String>>,
        pub reference_ids: Option<Vec<String>>,
        /// A case-insensitive substring of the display name.
        pub name_filter: Option<String>,
        #[serde(rename = "type")]
        pub endpoint_type: Option<EndpointTypes>,
        pub types: Option<Vec<EndpointTypes>>,
        pub shallow_parent: Option<bool>,
    }
}

operation!(ListEndpoints -> ListResponse<EndpointInfo>, "GET" "/endpoints");

/// Gets one endpoint.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api")]
#[serde(rename_all = "camelCase", default)]
pub struct GetEndpoint {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint_id: Option<String>,
}

operation!(GetEndpoint -> EndpointInfo, "GET" "/endpoints/{EndpointId}");

/// Changes a user endpoint; members left out keep their value, and an empty string clears one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api")]
#[serde(rename_all = "camelCase", default)]
pub struct PatchEndpoint {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint_id: Option<String>,
    /// The new customer; an empty string detaches the endpoint from its customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_email_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
}

operation!(
    PatchEndpoint -> EndpointInfo, "PATCH" "/endpoints/{EndpointId}";
    roles = [SystemAdministrator, Manager]
);

/// Deletes an endpoint.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api")]
#[serde(rename_all = "camelCase", default)]
pub struct DeleteEndpoint {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint_id: Option<String>,
}

operation!(
    DeleteEndpoint -> NoContent, "DELETE" "/endpoints/{EndpointId}";
    roles = [SystemAdministrator, Manager]
);
