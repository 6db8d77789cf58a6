//! A small registry of test DTOs for the metadata documents. It covers path, query and body
//! members, enums, nullable value types, dictionaries, inheritance and recursion. It also has a
//! generic base class, a generic response, a 204 operation and an anonymous one without routes.

// The DTOs exist to be described; no test builds a value of them.
#![allow(dead_code)]

use std::collections::HashMap;
use std::marker::PhantomData;

use serde::{Deserialize, Serialize};

use super::{ApiType, OperationDef, Registry, TypeRef};
use crate::host::Route;

/// How big a widget is.
#[derive(Serialize, Deserialize, ApiType)]
#[api(namespace = "Test.Api")]
pub enum WidgetKind {
    Small,
    #[serde(rename = "XL")]
    Large,
}

/// The members every entity has.
#[derive(Serialize, Deserialize, ApiType)]
#[api(namespace = "Test.Api")]
#[serde(rename_all = "camelCase")]
pub struct Entity {
    /// The entity's id.
    pub id: Option<String>,
}

/// A part, which may contain parts.
#[derive(Serialize, Deserialize, ApiType)]
#[api(namespace = "Test.Api.Parts")]
#[serde(rename_all = "camelCase")]
pub struct Part {
    pub name: Option<String>,
    pub children: Option<Vec<Part>>,
}

/// A widget as the API returns it.
#[derive(Serialize, Deserialize, ApiType)]
#[api(namespace = "Test.Api", inherits = Entity)]
#[serde(rename_all = "camelCase")]
pub struct WidgetInfo {
    pub name: Option<String>,
    pub kind: WidgetKind,
    /// The weight in grams, when known.
    pub weight: Option<f64>,
    pub size: Option<WidgetKind>,
    pub parts: Option<Vec<Part>>,
    pub labels: Option<HashMap<String, String>>,
    pub id: Option<String>,
}

/// One page of results.
#[derive(Serialize, Deserialize, ApiType)]
#[api(namespace = "Test.Api")]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
}

/// The paging members of every list request.
#[derive(Serialize, Deserialize, ApiType)]
#[api(name = "PagedRequest", namespace = "Test.Api")]
#[serde(rename_all = "camelCase")]
pub struct PagedRequest<T> {
    /// The 0-based page number.
    pub page: Option<i32>,
    #[serde(skip)]
    item: PhantomData<T>,
}

/// Creates a widget in a folder.
#[derive(Serialize, Deserialize, ApiType)]
#[api(namespace = "Test.Api")]
#[serde(rename_all = "camelCase")]
pub struct NewWidget {
    /// The folder to create the widget in.
    pub folder_id: Option<String>,
    #[api(required)]
    pub name: Option<String>,
    #[api(not_nullable)]
    pub kind: Option<WidgetKind>,
}

/// Lists widgets.
#[derive(Serialize, Deserialize, ApiType)]
#[api(namespace = "Test.Api", inherits = PagedRequest<WidgetInfo>)]
#[serde(rename_all = "camelCase")]
pub struct ListWidgets {
    pub kinds: Option<Vec<WidgetKind>>,
    pub labels: Option<HashMap<String, String>>,
    pub page: Option<i32>,
}

/// Deletes a widget.
#[derive(Serialize, Deserialize, ApiType)]
#[api(namespace = "Test.Api")]
#[serde(rename_all = "camelCase")]
pub struct DeleteWidget {
    pub widget_id: Option<String>,
}

/// Checks that the service is up.
#[derive(Serialize, Deserialize, ApiType)]
#[api(namespace = "Test.Api")]
pub struct Ping {}

/// Builds the registry of the test DTOs' operations:
///
/// | operation | routes | response | authentication |
/// |---|---|---|---|
/// | NewWidget | POST /folders/{FolderId}/widgets, PUT /widgets | WidgetInfo | required |
/// | ListWidgets | GET /widgets | Page<WidgetInfo> | required |
/// | DeleteWidget | DELETE /widgets/{WidgetId} | void | required, role Admin |
/// | Ping | none | Entity | anonymous |
pub fn registry() -> Registry {
    let mut registry = Registry::new();
    add::<NewWidget, WidgetInfo>(
        &mut registry,
        &[
            Route {
                method: "POST",
                path: "/folders/{FolderId}/widgets",
            },
            Route {
                method: "PUT",
                path: "/widgets",
            },
        ],
        true,
        &[],
    );
    add::<ListWidgets, Page<WidgetInfo>>(
        &mut registry,
        &[Route {
            method: "GET",
            path: "/widgets",
        }],
        true,
        &[],
    );
    add::<DeleteWidget, ()>(
        &mut registry,
        &[Route {
            method: "DELETE",
            path: "/widgets/{WidgetId}",
        }],
        true,
        &["Admin"],
    );
    add::<Ping, Entity>(&mut registry, &[], false, &[]);
    registry
}

fn add<Request: ApiType, Response: ApiType>(
    registry: &mut Registry,
    routes: &[Route],
    requires_authentication: bool,
    required_roles: &[&'static str],
) {
    let request = Request::describe(registry);
    let response = Response::describe(registry);
    let TypeRef::Named { name, .. } = request else {
        panic!("a request DTO is a named class");
    };
    registry.add_operation(OperationDef {
        name,
        request,
        response,
        response_may_be_empty: false,
        routes: routes.to_vec(),
        requires_authentication,
        required_roles: required_roles.to_vec(),
    });
}
