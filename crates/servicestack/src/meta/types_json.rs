//! `/types/metadata`: every type and operation as JSON, in the shape of ServiceStack's
//! `MetadataTypes` (`config`, `namespaces`, `types`, `operations`), for tools that read a
//! service's contract.
//!
//! Names follow .NET reflection as the original reports them: a generic type is `ListResponse`1`
//! with its arguments in `genericArgs`, a member of type `int?` is `Nullable`1` of `Int32`, and
//! `string` is `String` in namespace `System`. `types` lists every type except the operations'
//! request and response DTOs, which appear inside their operation.

use serde::Serialize;

use super::pages::group_name;
use super::{OperationDef, Primitive, Registry, TypeDef, TypeKind, TypeRef};

/// The document `/types/metadata` returns.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MetadataTypes {
    config: MetadataTypesConfig,
    namespaces: Vec<String>,
    types: Vec<MetadataType>,
    operations: Vec<MetadataOperationType>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct MetadataTypesConfig {
    base_url: String,
}

/// A reference to a type: its name, namespace and generic arguments.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
struct MetadataTypeName {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    namespace: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    generic_args: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct MetadataType {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    namespace: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    generic_args: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    inherits: Option<MetadataTypeName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'static str>,
    // The original leaves out flags that are false, so `isEnum` is `true` or absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    is_enum: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    enum_names: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<Vec<MetadataPropertyType>>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct MetadataPropertyType {
    name: &'static str,
    #[serde(rename = "type")]
    type_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    namespace: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_value_type: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_system_type: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_enum: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    generic_args: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_required: Option<bool>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct MetadataOperationType {
    request: MetadataType,
    /// Absent for an operation that responds with `204 No Content`.
    #[serde(skip_serializing_if = "Option::is_none")]
    response: Option<MetadataType>,
    /// The distinct HTTP methods of the operation's routes.
    actions: Vec<&'static str>,
    /// The method a client uses when it does not pick a route: the first route's, else POST.
    method: &'static str,
    returns_void: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    return_type: Option<MetadataTypeName>,
    routes: Vec<MetadataRoute>,
    requires_auth: bool,
    required_roles: Vec<&'static str>,
    tags: Vec<String>,
}

/// One route template with its HTTP methods, comma-separated as in `[Route]`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct MetadataRoute {
    path: &'static str,
    verbs: String,
}

/// Builds the JSON model of `registry`; `base_url` is the URL clients reached the service at.
pub fn metadata_types(registry: &Registry, base_url: &str) -> MetadataTypes {
    let operation_types: Vec<&str> = registry
        .operations()
        .iter()
        .flat_map(|operation| [&operation.request, &operation.response])
        .filter_map(|type_ref| match type_ref {
            TypeRef::Named { name, args } if args.is_empty() => Some(*name),
            _ => None,
        })
        .collect();

    let types: Vec<MetadataType> = registry
        .types()
        .filter(|definition| !operation_types.contains(&definition.name))
        .map(|definition| metadata_type(registry, definition, &[]))
        .collect();
    let operations: Vec<MetadataOperationType> = registry
        .operations()
        .iter()
        .filter_map(|operation| metadata_operation(registry, operation))
        .collect();

    MetadataTypes {
        config: MetadataTypesConfig {
            base_url: base_url.to_owned(),
        },
        namespaces: namespaces(&types, &operations),
        types,
        operations,
    }
}

/// Collects every namespace a type or member uses, in order of first use.
fn namespaces(types: &[MetadataType], operations: &[MetadataOperationType]) -> Vec<String> {
    let all_types = types.iter().chain(
        operations
            .iter()
            .flat_map(|operation| std::iter::once(&operation.request).chain(&operation.response)),
    );
    let mut namespaces: Vec<String> = Vec::new();
    let mut add = |namespace: Option<&str>| {
        if let Some(namespace) = namespace {
            if !namespaces.iter().any(|known| known == namespace) {
                namespaces.push(namespace.to_owned());
            }
        }
    };
    for metadata_type in all_types {
        add(metadata_type.namespace);
        if let Some(inherits) = &metadata_type.inherits {
            add(inherits.namespace.as_deref());
        }
        for property in metadata_type.properties.iter().flatten() {
            add(property.namespace.as_deref());
        }
    }
    namespaces
}

/// Describes an operation, or returns `None` when its request type is not a registry class,
/// which `ServiceHost::register` never produces.
fn metadata_operation(
    registry: &Registry,
    operation: &OperationDef,
) -> Option<MetadataOperationType> {
    let request = instance_type(registry, &operation.request)?;
    let response = instance_type(registry, &operation.response);
    let return_type = match &operation.response {
        TypeRef::Void => None,
        response => Some(type_name(registry, response, &[])),
    };

    let mut actions: Vec<&'static str> = Vec::new();
    let mut routes: Vec<MetadataRoute> = Vec::new();
    for route in &operation.routes {
        if !actions.contains(&route.method) {
            actions.push(route.method);
        }
        match routes.iter_mut().find(|known| known.path == route.path) {
            Some(known) => {
                known.verbs.push(',');
                known.verbs.push_str(route.method);
            }
            None => routes.push(MetadataRoute {
                path: route.path,
                verbs: route.method.to_owned(),
            }),
        }
    }

    Some(MetadataOperationType {
        request,
        response,
        method: actions.first().copied().unwrap_or("POST"),
        actions,
        returns_void: operation.response == TypeRef::Void,
        return_type,
        routes,
        requires_auth: operation.requires_authentication,
        required_roles: operation.required_roles.clone(),
        tags: vec![group_name(operation)],
    })
}

/// Describes the definition `type_ref` names, with its generic arguments applied, as an
/// operation's request or response shows it.
fn instance_type(registry: &Registry, type_ref: &TypeRef) -> Option<MetadataType> {
    let TypeRef::Named { args, .. } = type_ref else {
        return None;
    };
    let definition = registry.definition(type_ref)?;
    Some(metadata_type(registry, definition, args))
}

/// Describes a definition, or with `args` an instance of a generic definition.
fn metadata_type(registry: &Registry, definition: &TypeDef, args: &[TypeRef]) -> MetadataType {
    let params = &definition.generic_params;
    let generic_args: Vec<String> = if args.is_empty() {
        params.iter().map(|param| (*param).to_owned()).collect()
    } else {
        args.iter().map(|arg| argument_name(arg, &[])).collect()
    };
    let mut metadata_type = MetadataType {
        name: reflection_name(definition.name, params.len()),
        namespace: definition.namespace,
        generic_args,
        inherits: None,
        description: definition.description,
        is_enum: None,
        enum_names: Vec::new(),
        properties: None,
    };

    match &definition.kind {
        TypeKind::Enum { values } => {
            metadata_type.is_enum = Some(true);
            metadata_type.enum_names = values.clone();
        }
        TypeKind::Dictionary { key, value } => {
            let dictionary = TypeRef::Dictionary(Box::new(key.clone()), Box::new(value.clone()));
            metadata_type.inherits = Some(type_name(registry, &dictionary, params));
            metadata_type.properties = Some(Vec::new());
        }
        TypeKind::Class { base, members } => {
            metadata_type.inherits = base
                .as_ref()
                .map(|base| type_name(registry, &substitute(base, args), params));
            let properties = members
                .iter()
                .map(|member| {
                    let member_type = substitute(&member.type_ref, args);
                    let name = type_name(registry, &member_type, params);
                    let facts = TypeFacts::of(registry, &member_type);
                    MetadataPropertyType {
                        name: member.name,
                        type_name: name.name,
                        namespace: name.namespace,
                        is_value_type: facts.is_value_type.then_some(true),
                        is_system_type: facts.is_system_type.then_some(true),
                        is_enum: facts.is_enum.then_some(true),
                        generic_args: name.generic_args,
                        description: member.description,
                        is_required: member.required.then_some(true),
                    }
                })
                .collect();
            metadata_type.properties = Some(properties);
        }
    }
    metadata_type
}

/// Replaces the generic parameters in `type_ref` with `args`. Without `args` it changes
/// nothing, so a generic definition keeps its parameter names.
fn substitute(type_ref: &TypeRef, args: &[TypeRef]) -> TypeRef {
    if args.is_empty() {
        type_ref.clone()
    } else {
        type_ref.substitute(args)
    }
}

/// Formats the .NET reflection name of a type with `arity` generic parameters: `ListResponse`1`.
fn reflection_name(name: &str, arity: usize) -> String {
    if arity == 0 {
        name.to_owned()
    } else {
        format!("{name}`{arity}")
    }
}

/// Maps a primitive to its .NET name: `String`, `Int32`.
fn primitive_name(primitive: Primitive) -> &'static str {
    match primitive {
        Primitive::String => "String",
        Primitive::Bool => "Boolean",
        Primitive::Int => "Int32",
        Primitive::Long => "Int64",
        Primitive::Double => "Double",
    }
}

const SYSTEM: &str = "System";
const COLLECTIONS: &str = "System.Collections.Generic";

/// Describes the type of a member, a base class or a response by its reflection name,
/// namespace and generic arguments. `params` names the generic parameters in scope.
fn type_name(registry: &Registry, type_ref: &TypeRef, params: &[&str]) -> MetadataTypeName {
    let (name, namespace, args): (String, Option<String>, Vec<&TypeRef>) = match type_ref {
        TypeRef::Primitive(primitive) => (
            primitive_name(*primitive).to_owned(),
            Some(SYSTEM.to_owned()),
            Vec::new(),
        ),
        TypeRef::Nullable(inner) => (
            "Nullable`1".to_owned(),
            Some(SYSTEM.to_owned()),
            vec![&**inner],
        ),
        TypeRef::List(item) => (
            "List`1".to_owned(),
            Some(COLLECTIONS.to_owned()),
            vec![&**item],
        ),
        TypeRef::Dictionary(key, value) => (
            "Dictionary`2".to_owned(),
            Some(COLLECTIONS.to_owned()),
            vec![&**key, &**value],
        ),
        TypeRef::Named { name, args } => (
            reflection_name(name, args.len()),
            registry
                .get(name)
                .and_then(|definition| definition.namespace)
                .map(str::to_owned),
            args.iter().collect(),
        ),
        TypeRef::Param(index) => (
            params.get(*index).copied().unwrap_or("T").to_owned(),
            None,
            Vec::new(),
        ),
        TypeRef::Void => ("Void".to_owned(), Some(SYSTEM.to_owned()), Vec::new()),
    };
    MetadataTypeName {
        name,
        namespace,
        generic_args: args
            .into_iter()
            .map(|arg| argument_name(arg, params))
            .collect(),
    }
}

/// Formats a generic argument as `genericArgs` lists it: `String`, `IntegrationInfo`,
/// `List<DataField>`, `Nullable<Int32>`.
fn argument_name(type_ref: &TypeRef, params: &[&str]) -> String {
    match type_ref {
        TypeRef::Primitive(primitive) => primitive_name(*primitive).to_owned(),
        TypeRef::Nullable(inner) => format!("Nullable<{}>", argument_name(inner, params)),
        TypeRef::List(item) => format!("List<{}>", argument_name(item, params)),
        TypeRef::Dictionary(key, value) => format!(
            "Dictionary<{},{}>",
            argument_name(key, params),
            argument_name(value, params)
        ),
        TypeRef::Named { name, args } if args.is_empty() => (*name).to_owned(),
        TypeRef::Named { name, args } => {
            let args: Vec<String> = args.iter().map(|arg| argument_name(arg, params)).collect();
            format!("{name}<{}>", args.join(","))
        }
        TypeRef::Param(index) => params.get(*index).copied().unwrap_or("T").to_owned(),
        TypeRef::Void => "Void".to_owned(),
    }
}

/// The flags a member's type carries in the original's model.
struct TypeFacts {
    is_value_type: bool,
    is_system_type: bool,
    is_enum: bool,
}

impl TypeFacts {
    fn of(registry: &Registry, type_ref: &TypeRef) -> TypeFacts {
        match type_ref {
            TypeRef::Primitive(primitive) => TypeFacts {
                is_value_type: *primitive != Primitive::String,
                is_system_type: true,
                is_enum: false,
            },
            // `Nullable<T>` is a value type from `System`; it is an enum when `T` is one.
            TypeRef::Nullable(inner) => TypeFacts {
                is_value_type: true,
                is_system_type: true,
                is_enum: TypeFacts::of(registry, inner).is_enum,
            },
            TypeRef::List(_) | TypeRef::Dictionary(..) => TypeFacts {
                is_value_type: false,
                is_system_type: true,
                is_enum: false,
            },
            TypeRef::Named { .. } => {
                let is_enum = registry
                    .definition(type_ref)
                    .is_some_and(|definition| definition.enum_values().is_some());
                TypeFacts {
                    is_value_type: is_enum,
                    is_system_type: false,
                    is_enum,
                }
            }
            TypeRef::Param(_) | TypeRef::Void => TypeFacts {
                is_value_type: false,
                is_system_type: false,
                is_enum: false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::meta::fixtures;

    fn document() -> Value {
        let registry = fixtures::registry();
        serde_json::to_value(metadata_types(&registry, "http://localhost:5000")).unwrap()
    }

    fn operation<'a>(document: &'a Value, name: &str) -> &'a Value {
        document["operations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|operation| operation["request"]["name"] == name)
            .unwrap_or_else(|| panic!("no operation {name}"))
    }

    fn metadata_type<'a>(document: &'a Value, name: &str) -> &'a Value {
        document["types"]
            .as_array()
            .unwrap()
            .iter()
            .find(|metadata_type| metadata_type["name"] == name)
            .unwrap_or_else(|| panic!("no type {name}"))
    }

    fn property<'a>(metadata_type: &'a Value, name: &str) -> &'a Value {
        metadata_type["properties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|property| property["name"] == name)
            .unwrap_or_else(|| panic!("no property {name}"))
    }

    #[test]
    fn config_has_base_url() {
        assert_eq!(
            document()["config"],
            json!({"baseUrl": "http://localhost:5000"})
        );
    }

    #[test]
    fn operation_lists_routes_and_verbs() {
        let document = document();
        let new_widget = operation(&document, "NewWidget");
        assert_eq!(
            new_widget["routes"],
            json!([
                {"path": "/folders/{FolderId}/widgets", "verbs": "POST"},
                {"path": "/widgets", "verbs": "PUT"},
            ])
        );
        assert_eq!(new_widget["actions"], json!(["POST", "PUT"]));
        assert_eq!(new_widget["method"], "POST");
        assert_eq!(new_widget["requiresAuth"], true);
        assert_eq!(new_widget["returnsVoid"], false);
        assert_eq!(new_widget["tags"], json!(["Folders"]));
        assert_eq!(
            new_widget["returnType"],
            json!({"name": "WidgetInfo", "namespace": "Test.Api"})
        );
        assert_eq!(new_widget["response"]["name"], "WidgetInfo");
        assert_eq!(
            new_widget["request"]["description"],
            "Creates a widget in a folder"
        );
    }

    #[test]
    fn operation_without_routes_is_anonymous_post() {
        let document = document();
        let ping = operation(&document, "Ping");
        assert_eq!(ping["routes"], json!([]));
        assert_eq!(ping["method"], "POST");
        assert_eq!(ping["requiresAuth"], false);
        assert_eq!(ping["tags"], json!(["Other"]));
    }

    #[test]
    fn void_operation_has_no_response() {
        let document = document();
        let delete = operation(&document, "DeleteWidget");
        assert_eq!(delete["returnsVoid"], true);
        assert!(delete.get("response").is_none(), "{delete}");
        assert!(delete.get("returnType").is_none(), "{delete}");
        assert_eq!(delete["requiredRoles"], json!(["Admin"]));
    }

    #[test]
    fn generic_response_names_its_arguments() {
        let document = document();
        let list = operation(&document, "ListWidgets");
        let response = &list["response"];
        assert_eq!(response["name"], "Page`1");
        assert_eq!(response["genericArgs"], json!(["WidgetInfo"]));
        let items = property(response, "Items");
        assert_eq!(items["type"], "List`1");
        assert_eq!(items["namespace"], "System.Collections.Generic");
        assert_eq!(items["genericArgs"], json!(["WidgetInfo"]));
        assert_eq!(
            list["returnType"],
            json!({"name": "Page`1", "namespace": "Test.Api", "genericArgs": ["WidgetInfo"]})
        );
    }

    #[test]
    fn generic_base_class_is_inherited_with_arguments() {
        let document = document();
        let request = &operation(&document, "ListWidgets")["request"];
        assert_eq!(
            request["inherits"],
            json!({"name": "PagedRequest`1", "namespace": "Test.Api", "genericArgs": ["WidgetInfo"]})
        );
        let names: Vec<&Value> = request["properties"]
            .as_array()
            .unwrap()
            .iter()
            .map(|property| &property["name"])
            .collect();
        assert_eq!(names, ["Kinds", "Labels"]);
    }

    #[test]
    fn generic_definition_keeps_parameter_names() {
        let document = document();
        let page = metadata_type(&document, "Page`1");
        assert_eq!(page["genericArgs"], json!(["T"]));
        assert_eq!(property(page, "Items")["genericArgs"], json!(["T"]));
        let paged = metadata_type(&document, "PagedRequest`1");
        assert_eq!(
            paged["description"],
            "The paging members of every list request"
        );
    }

    #[test]
    fn types_leave_out_operation_dtos() {
        let document = document();
        let names: Vec<&str> = document["types"]
            .as_array()
            .unwrap()
            .iter()
            .map(|metadata_type| metadata_type["name"].as_str().unwrap())
            .collect();
        for name in [
            "NewWidget",
            "ListWidgets",
            "DeleteWidget",
            "Ping",
            "WidgetInfo",
        ] {
            assert!(!names.contains(&name), "{name} in {names:?}");
        }
        for name in ["WidgetKind", "Part", "Page`1", "PagedRequest`1"] {
            assert!(names.contains(&name), "{name} missing from {names:?}");
        }
    }

    #[test]
    fn enum_lists_its_names() {
        let document = document();
        let kind = metadata_type(&document, "WidgetKind");
        assert_eq!(kind["isEnum"], true);
        assert_eq!(kind["enumNames"], json!(["Small", "XL"]));
        assert_eq!(kind["namespace"], "Test.Api");
        assert!(kind.get("properties").is_none(), "{kind}");
    }

    #[test]
    fn class_inherits_base_and_flags_members() {
        let document = document();
        let info = &operation(&document, "NewWidget")["response"];
        assert_eq!(
            info["inherits"],
            json!({"name": "Entity", "namespace": "Test.Api"})
        );
        assert!(
            info["properties"]
                .as_array()
                .unwrap()
                .iter()
                .all(|property| property["name"] != "Id"),
            "the base's members stay on the base: {info}"
        );

        assert_eq!(
            property(info, "Name"),
            &json!({"name": "Name", "type": "String", "namespace": "System", "isSystemType": true})
        );
        assert_eq!(
            property(info, "Kind"),
            &json!({"name": "Kind", "type": "WidgetKind", "namespace": "Test.Api",
                    "isValueType": true, "isEnum": true})
        );
        assert_eq!(
            property(info, "Weight"),
            &json!({"name": "Weight", "type": "Nullable`1", "namespace": "System",
                    "isValueType": true, "isSystemType": true, "genericArgs": ["Double"],
                    "description": "The weight in grams, when known"})
        );
        assert_eq!(property(info, "Size")["isEnum"], true);
        assert_eq!(property(info, "Size")["genericArgs"], json!(["WidgetKind"]));
        assert_eq!(
            property(info, "Labels")["genericArgs"],
            json!(["String", "String"])
        );
        assert_eq!(property(info, "Labels")["type"], "Dictionary`2");
    }

    #[test]
    fn recursive_type_refers_to_itself() {
        let document = document();
        let part = metadata_type(&document, "Part");
        assert_eq!(part["namespace"], "Test.Api.Parts");
        let children = property(part, "Children");
        assert_eq!(children["type"], "List`1");
        assert_eq!(children["genericArgs"], json!(["Part"]));
    }

    #[test]
    fn required_member_is_flagged() {
        let document = document();
        let request = &operation(&document, "NewWidget")["request"];
        assert_eq!(property(request, "Name")["isRequired"], true);
        assert!(property(request, "FolderId").get("isRequired").is_none());
        // `not_nullable` makes `Option<WidgetKind>` a plain `WidgetKind`.
        assert_eq!(property(request, "Kind")["type"], "WidgetKind");
    }

    #[test]
    fn namespaces_cover_types_and_members() {
        let document = document();
        let namespaces = document["namespaces"].as_array().unwrap();
        for namespace in [
            "Test.Api",
            "Test.Api.Parts",
            "System",
            "System.Collections.Generic",
        ] {
            assert!(
                namespaces.contains(&json!(namespace)),
                "{namespace} missing from {namespaces:?}"
            );
        }
        assert_eq!(namespaces.len(), 4, "{namespaces:?}");
    }
}
