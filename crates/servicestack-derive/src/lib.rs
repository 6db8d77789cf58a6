//! `#[derive(ApiType)]`: implements `servicestack::meta::ApiType` for a DTO, so the operation
//! registry describes the type from its own declaration.
//!
//! What the derive reads:
//!
//! - the `///` comment of the type and of each member, as its description: lines joined with
//!   spaces, backticks and intra-doc brackets removed, the final period dropped. Keep notes for
//!   Rust readers in `//` comments, which clients never see;
//! - serde's `rename_all`, `rename`, `skip` and `transparent`, so the wire names are serde's;
//! - `#[api(...)]` on the type: `namespace = "Voice.Api"`, `name = "ListRequest"` (the contract
//!   name, when the Rust name differs) and `inherits = Base<Args>` (the contract's base class,
//!   whose members the Rust struct repeats at its end);
//! - `#[api(...)]` on a member:
//!   - `name = "UIHint"`: the .NET name, when it is not the wire name with its first letter
//!     capitalized;
//!   - `not_nullable`: an `Option` of a value type that the contract declares non-nullable;
//!   - `required`: the contract's `IsRequired` flag;
//!   - `secret`: a password or key, never to be sent in a query string.
//!
//! A one-field tuple struct with `#[serde(transparent)]` over a map is described as a named
//! dictionary class, as `Struct : Dictionary<string,Value>` is.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::visit_mut::VisitMut;
use syn::{
    parse_macro_input, parse_quote, Attribute, Data, DeriveInput, Expr, ExprLit, Fields, Ident,
    Lit, LitStr, Meta, Type,
};

/// Derives `servicestack::meta::ApiType`; see the crate documentation for the attributes read.
#[proc_macro_derive(ApiType, attributes(api))]
pub fn derive_api_type(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let container = ContainerOptions::parse(input)?;
    match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(fields) => expand_class(input, &container, fields),
            Fields::Unnamed(fields) if container.transparent && fields.unnamed.len() == 1 => {
                expand_dictionary(input, &container, &fields.unnamed[0].ty)
            }
            _ => Err(syn::Error::new_spanned(
                &input.ident,
                "ApiType needs named fields, or one field with #[serde(transparent)]",
            )),
        },
        Data::Enum(data) => {
            let mut values = Vec::new();
            for variant in &data.variants {
                if !matches!(variant.fields, Fields::Unit) {
                    return Err(syn::Error::new_spanned(
                        variant,
                        "ApiType supports enums of unit variants only",
                    ));
                }
                let serde = SerdeOptions::parse(&variant.attrs)?;
                values.push(serde.rename.unwrap_or_else(|| variant.ident.to_string()));
            }
            expand_enum(input, &container, &values)
        }
        Data::Union(_) => Err(syn::Error::new_spanned(
            &input.ident,
            "ApiType does not support unions",
        )),
    }
}

/// The options on the type itself.
struct ContainerOptions {
    name: String,
    namespace: Option<String>,
    inherits: Option<Type>,
    rename_all: Option<String>,
    transparent: bool,
    description: Option<String>,
}

impl ContainerOptions {
    fn parse(input: &DeriveInput) -> syn::Result<ContainerOptions> {
        let mut options = ContainerOptions {
            name: input.ident.to_string(),
            namespace: None,
            inherits: None,
            rename_all: None,
            transparent: false,
            description: description(&input.attrs),
        };
        for attribute in &input.attrs {
            if attribute.path().is_ident("api") {
                attribute.parse_nested_meta(|meta| {
                    if meta.path.is_ident("name") {
                        options.name = meta.value()?.parse::<LitStr>()?.value();
                    } else if meta.path.is_ident("namespace") {
                        options.namespace = Some(meta.value()?.parse::<LitStr>()?.value());
                    } else if meta.path.is_ident("inherits") {
                        options.inherits = Some(meta.value()?.parse::<Type>()?);
                    } else {
                        return Err(meta.error("expected `name`, `namespace` or `inherits`"));
                    }
                    Ok(())
                })?;
            } else if attribute.path().is_ident("serde") {
                attribute.parse_nested_meta(|meta| {
                    if meta.path.is_ident("rename_all") {
                        options.rename_all = Some(meta.value()?.parse::<LitStr>()?.value());
                    } else if meta.path.is_ident("transparent") {
                        options.transparent = true;
                    } else {
                        skip_value(&meta)?;
                    }
                    Ok(())
                })?;
            }
        }
        Ok(options)
    }
}

/// The serde options of a field or variant that decide its wire name.
#[derive(Default)]
struct SerdeOptions {
    rename: Option<String>,
    skip: bool,
}

impl SerdeOptions {
    fn parse(attributes: &[Attribute]) -> syn::Result<SerdeOptions> {
        let mut options = SerdeOptions::default();
        for attribute in attributes {
            if !attribute.path().is_ident("serde") {
                continue;
            }
            attribute.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    options.rename = Some(meta.value()?.parse::<LitStr>()?.value());
                } else if meta.path.is_ident("skip") {
                    options.skip = true;
                } else {
                    skip_value(&meta)?;
                }
                Ok(())
            })?;
        }
        Ok(options)
    }
}

/// Consumes the value of a serde option this derive does not read, such as
/// `skip_serializing_if = "..."`.
fn skip_value(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|nested| skip_value(&nested))?;
    }
    Ok(())
}

/// The `#[api(...)]` options of a member.
#[derive(Default)]
struct MemberOptions {
    name: Option<String>,
    not_nullable: bool,
    required: bool,
    secret: bool,
}

impl MemberOptions {
    fn parse(attributes: &[Attribute]) -> syn::Result<MemberOptions> {
        let mut options = MemberOptions::default();
        for attribute in attributes {
            if !attribute.path().is_ident("api") {
                continue;
            }
            attribute.parse_nested_meta(|meta| {
                if meta.path.is_ident("name") {
                    options.name = Some(meta.value()?.parse::<LitStr>()?.value());
                } else if meta.path.is_ident("not_nullable") {
                    options.not_nullable = true;
                } else if meta.path.is_ident("required") {
                    options.required = true;
                } else if meta.path.is_ident("secret") {
                    options.secret = true;
                } else {
                    return Err(
                        meta.error("expected `name`, `not_nullable`, `required` or `secret`")
                    );
                }
                Ok(())
            })?;
        }
        Ok(options)
    }
}

fn expand_class(
    input: &DeriveInput,
    container: &ContainerOptions,
    fields: &syn::FieldsNamed,
) -> syn::Result<TokenStream> {
    let mut members = Vec::new();
    for field in &fields.named {
        let serde = SerdeOptions::parse(&field.attrs)?;
        if serde.skip {
            continue;
        }
        let options = MemberOptions::parse(&field.attrs)?;
        let ident = field.ident.as_ref().expect("named field");
        let rust_name = ident.to_string();
        let rust_name = rust_name.strip_prefix("r#").unwrap_or(&rust_name);
        let wire_name = serde
            .rename
            .unwrap_or_else(|| rename(rust_name, container.rename_all.as_deref()));
        let name = options.name.unwrap_or_else(|| capitalize_first(&wire_name));
        let field_type = with_generic_markers(&field.ty, input);
        let description = option_str(description(&field.attrs));
        let not_nullable = options.not_nullable;
        let required = options.required;
        let secret = options.secret;
        members.push(quote! {
            {
                let mut type_ref =
                    <#field_type as ::servicestack::meta::ApiType>::describe(registry);
                if #not_nullable {
                    if let ::servicestack::meta::TypeRef::Nullable(inner) = type_ref {
                        type_ref = *inner;
                    }
                }
                ::servicestack::meta::Member {
                    name: #name,
                    wire_name: #wire_name,
                    type_ref,
                    description: #description,
                    required: #required,
                    secret: #secret,
                }
            }
        });
    }

    let base = match &container.inherits {
        Some(base) => quote! {
            ::core::option::Option::Some(
                <#base as ::servicestack::meta::ApiType>::describe(registry)
            )
        },
        None => quote! { ::core::option::Option::None },
    };
    let type_name = &container.name;
    let kind = quote! {
        {
            let base = #base;
            let members = ::std::vec![#(#members),*];
            let members =
                ::servicestack::meta::own_members(registry, #type_name, base.as_ref(), members);
            ::servicestack::meta::TypeKind::Class { base, members }
        }
    };
    Ok(implement(input, container, kind, false))
}

fn expand_dictionary(
    input: &DeriveInput,
    container: &ContainerOptions,
    inner: &Type,
) -> syn::Result<TokenStream> {
    let name = &container.name;
    let kind = quote! {
        match <#inner as ::servicestack::meta::ApiType>::describe(registry) {
            ::servicestack::meta::TypeRef::Dictionary(key, value) => {
                ::servicestack::meta::TypeKind::Dictionary { key: *key, value: *value }
            }
            other => ::core::panic!("{} wraps {:?}, which is not a dictionary", #name, other),
        }
    };
    Ok(implement(input, container, kind, false))
}

fn expand_enum(
    input: &DeriveInput,
    container: &ContainerOptions,
    values: &[String],
) -> syn::Result<TokenStream> {
    let kind = quote! {
        ::servicestack::meta::TypeKind::Enum { values: ::std::vec![#(#values),*] }
    };
    Ok(implement(input, container, kind, true))
}

/// Writes the `impl ApiType` that defines the type with `kind` and refers to it.
fn implement(
    input: &DeriveInput,
    container: &ContainerOptions,
    kind: TokenStream,
    is_value_type: bool,
) -> TokenStream {
    let ident = &input.ident;
    let name = &container.name;
    let namespace = option_str(container.namespace.clone());
    let description = option_str(container.description.clone());
    let params: Vec<&Ident> = input
        .generics
        .type_params()
        .map(|param| &param.ident)
        .collect();
    let param_names: Vec<String> = params.iter().map(|param| param.to_string()).collect();

    let mut generics = input.generics.clone();
    for param in &params {
        generics
            .make_where_clause()
            .predicates
            .push(parse_quote!(#param: ::servicestack::meta::ApiType));
    }
    let (impl_generics, type_generics, where_clause) = generics.split_for_impl();

    quote! {
        impl #impl_generics ::servicestack::meta::ApiType for #ident #type_generics #where_clause {
            const IS_VALUE_TYPE: bool = #is_value_type;

            fn describe(
                registry: &mut ::servicestack::meta::Registry,
            ) -> ::servicestack::meta::TypeRef {
                registry.define(#name, |registry| ::servicestack::meta::TypeDef {
                    name: #name,
                    namespace: #namespace,
                    description: #description,
                    generic_params: ::std::vec![#(#param_names),*],
                    kind: #kind,
                });
                ::servicestack::meta::TypeRef::Named {
                    name: #name,
                    args: ::std::vec![#(<#params as ::servicestack::meta::ApiType>::describe(registry)),*],
                }
            }
        }
    }
}

/// Replaces the type's generic parameters in `field_type` with `GenericParam<index>`, so the
/// definition of a generic type names its parameters rather than the first arguments used.
fn with_generic_markers(field_type: &Type, input: &DeriveInput) -> Type {
    struct Markers(Vec<Ident>);

    impl VisitMut for Markers {
        fn visit_type_mut(&mut self, node: &mut Type) {
            if let Type::Path(path) = node {
                if path.qself.is_none() {
                    if let Some(ident) = path.path.get_ident() {
                        if let Some(index) = self.0.iter().position(|param| param == ident) {
                            *node = parse_quote!(::servicestack::meta::GenericParam<#index>);
                            return;
                        }
                    }
                }
            }
            syn::visit_mut::visit_type_mut(self, node);
        }
    }

    let params = input
        .generics
        .type_params()
        .map(|param| param.ident.clone())
        .collect();
    let mut field_type = field_type.clone();
    Markers(params).visit_type_mut(&mut field_type);
    field_type
}

/// Reads the description in an item's `///` comment, as the crate documentation describes.
fn description(attributes: &[Attribute]) -> Option<String> {
    let mut lines = Vec::new();
    for attribute in attributes {
        if !attribute.path().is_ident("doc") {
            continue;
        }
        if let Meta::NameValue(name_value) = &attribute.meta {
            if let Expr::Lit(ExprLit {
                lit: Lit::Str(text),
                ..
            }) = &name_value.value
            {
                let line = text.value();
                let line = line.trim();
                if !line.is_empty() {
                    lines.push(line.to_owned());
                }
            }
        }
    }
    let joined = lines
        .join(" ")
        .replace("[`", "")
        .replace("`]", "")
        .replace('`', "");
    let text = joined
        .strip_suffix('.')
        .unwrap_or(&joined)
        .trim()
        .to_owned();
    (!text.is_empty()).then_some(text)
}

fn option_str(text: Option<String>) -> TokenStream {
    match text {
        Some(text) => {
            let literal = LitStr::new(&text, Span::call_site());
            quote!(::core::option::Option::Some(#literal))
        }
        None => quote!(::core::option::Option::None),
    }
}

/// Applies serde's `rename_all` rule to a snake_case field name.
fn rename(field: &str, rule: Option<&str>) -> String {
    match rule {
        Some("camelCase") => {
            let pascal = pascal_case(field);
            let mut chars = pascal.chars();
            match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => String::new(),
            }
        }
        Some("PascalCase") => pascal_case(field),
        _ => field.to_owned(),
    }
}

fn pascal_case(snake: &str) -> String {
    snake.split('_').map(capitalize_first).collect()
}

fn capitalize_first(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
