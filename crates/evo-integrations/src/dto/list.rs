//! Paging, sorting and the list envelope shared by every list operation.

use std::marker::PhantomData;

use serde::{Deserialize, Serialize};
use servicestack::ApiType;

/// The direction of a sort.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api")]
pub enum SortOrders {
    #[default]
    Ascend,
    Descend,
}

/// One page of a list operation's result.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api")]
#[serde(rename_all = "camelCase", default)]
pub struct ListResponse<T> {
    pub items: Vec<T>,
    pub total_count: i64,
    pub total_pages: i64,
    pub has_more_pages: bool,
}

// The contract's `ListRequest<T>`. List request DTOs repeat these members (see
// `list_request!`); this type only describes them for the registry. The doc comment below is
// the contract's description, which clients see.
/// The paging and sorting members that every list request has.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(name = "ListRequest", namespace = "Voice.Api")]
#[serde(rename_all = "camelCase", default)]
pub struct ListRequestBase<T> {
    /// The 0-based page number.
    pub page: Option<i32>,
    /// Return every item on one page; use with care.
    pub all: Option<bool>,
    /// Items per page, 1 to 1000; 25 when not set.
    pub count_per_page: Option<i32>,
    /// Only these ids, still in the requested order.
    pub specific_ids: Option<Vec<String>>,
    /// A property name, in any case.
    pub sort_field: Option<String>,
    /// The direction of the sort.
    pub sort_order: Option<SortOrders>,
    /// Skip the counts: TotalCount and TotalPages are 0.
    pub simplified_paging: Option<bool>,
    #[serde(skip)]
    item: PhantomData<T>,
}

/// The `ListRequest` members every list operation carries, borrowed from its DTO.
#[derive(Clone, Copy, Debug, Default)]
pub struct ListRequest<'a> {
    pub page: Option<i32>,
    pub all: Option<bool>,
    pub count_per_page: Option<i32>,
    pub specific_ids: Option<&'a [String]>,
    pub sort_field: Option<&'a str>,
    pub sort_order: Option<SortOrders>,
    pub simplified_paging: Option<bool>,
}

/// Declares a list request DTO: the given members followed by `ListRequest`'s.
///
/// The caller adds `#[api(inherits = ListRequestBase<Item>)]`, which the registry checks
/// against the members declared here.
///
/// The original's list DTOs inherit `ListRequest<T>`; serde has no inheritance, and flattening
/// would buffer the body and lose case-insensitive binding, so the members are written out here.
macro_rules! list_request {
    (
        $(#[$attribute:meta])*
        pub struct $name:ident {
            $($(#[$field_attribute:meta])* pub $field:ident: $type:ty,)*
        }
    ) => {
        #[derive(
            Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize,
            servicestack::ApiType,
        )]
        #[api(namespace = "Voice.Api")]
        $(#[$attribute])*
        #[serde(rename_all = "camelCase", default)]
        pub struct $name {
            $($(#[$field_attribute])* #[serde(skip_serializing_if = "Option::is_none")] pub $field: $type,)*
            /// The 0-based page number.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub page: Option<i32>,
            /// Return every item on one page; use with care.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub all: Option<bool>,
            /// Items per page, 1 to 1000; 25 when not set.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub count_per_page: Option<i32>,
            /// Only these ids, still in the requested order.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub specific_ids: Option<Vec<String>>,
            /// A property name, in any case.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub sort_field: Option<String>,
            #[serde(skip_serializing_if = "Option::is_none")]
            pub sort_order: Option<$crate::dto::list::SortOrders>,
            /// Skip the counts: `TotalCount` and `TotalPages` are 0.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub simplified_paging: Option<bool>,
        }

        impl $name {
            /// The `ListRequest` members.
            pub fn list_request(&self) -> $crate::dto::list::ListRequest<'_> {
                $crate::dto::list::ListRequest {
                    page: self.page,
                    all: self.all,
                    count_per_page: self.count_per_page,
                    specific_ids: self.specific_ids.as_deref(),
                    sort_field: self.sort_field.as_deref(),
                    sort_order: self.sort_order,
                    simplified_paging: self.simplified_paging,
                }
            }
        }
    };
}

pub(crate) use list_request;
