//! The settings data model shared with the rest of Evo Voice: `Value`, `Struct`, `DataType`
//! and `DataField`, with their enums in the original's member order.

use std::ops::{Deref, DerefMut};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use servicestack::write::dotnet_f64;
use servicestack::ApiType;

// The contract's `Struct : Dictionary<string,Value>`, a newtype so the registry can name it.
/// A map from name to value, in insertion order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api.Flows.Data")]
#[serde(transparent)]
pub struct Struct(IndexMap<String, Value>);

impl Struct {
    /// Creates an empty struct.
    pub fn new() -> Struct {
        Struct::default()
    }
}

impl Deref for Struct {
    type Target = IndexMap<String, Value>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl DerefMut for Struct {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl From<IndexMap<String, Value>> for Struct {
    fn from(map: IndexMap<String, Value>) -> Struct {
        Struct(map)
    }
}

impl FromIterator<(String, Value)> for Struct {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(entries: I) -> Struct {
        Struct(entries.into_iter().collect())
    }
}

impl IntoIterator for Struct {
    type Item = (String, Value);
    type IntoIter = indexmap::map::IntoIter<String, Value>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Struct {
    type Item = (&'a String, &'a Value);
    type IntoIter = indexmap::map::Iter<'a, String, Value>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// A dynamically typed value; at most one member is set, and none means "empty".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api.Flows.Data")]
#[serde(rename_all = "camelCase")]
pub struct Value {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bool_value: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub string_value: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "dotnet_f64"
    )]
    pub number_value: Option<f64>,
    // A list of structs; like the original's `List<Struct>`, an item may be null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_value: Option<Vec<Option<Struct>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub struct_value: Option<Struct>,
}

impl Value {
    /// A value holding a string.
    pub fn string(text: impl Into<String>) -> Value {
        Value {
            string_value: Some(text.into()),
            ..Value::default()
        }
    }

    /// How many members are set.
    pub fn member_count(&self) -> usize {
        [
            self.bool_value.is_some(),
            self.string_value.is_some(),
            self.number_value.is_some(),
            self.list_value.is_some(),
            self.struct_value.is_some(),
        ]
        .into_iter()
        .filter(|set| *set)
        .count()
    }

    /// The kind of value held, or `None` for an empty value.
    pub fn value_type(&self) -> Option<ValueTypes> {
        if self.bool_value.is_some() {
            Some(ValueTypes::Boolean)
        } else if self.string_value.is_some() {
            Some(ValueTypes::String)
        } else if self.number_value.is_some() {
            Some(ValueTypes::Number)
        } else if self.list_value.is_some() {
            Some(ValueTypes::List)
        } else if self.struct_value.is_some() {
            Some(ValueTypes::Struct)
        } else {
            None
        }
    }
}

/// A settings schema: a type name and its fields.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api.Flows.Data")]
#[serde(rename_all = "camelCase", default)]
pub struct DataType {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub type_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<DataField>>,
}

/// One field of a [`DataType`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api.Flows.Data")]
#[serde(rename_all = "camelCase", default)]
pub struct DataField {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub value_type: ValueTypes,
    #[api(name = "UIHint")]
    pub ui_hint: UIHints,
    #[api(name = "UITab")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ui_tab: Option<String>,
    pub is_async: bool,
    pub disable_binding: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub struct_type: Option<Box<DataType>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list_type: Option<Box<DataType>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub possible_values: Option<Vec<String>>,
    pub is_output: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_field_values_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_value: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transition_name_format: Option<String>,
    pub uniqueness: DataFieldUniqueness,
    pub voice_only: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditional_visibility_field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditional_visibility_value: Option<String>,
    pub no_eval_template: bool,
    pub user_mode: UserDataFieldModes,
    pub any_value_type: bool,
}

/// The type of a [`DataField`]'s value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api.Flows.Data")]
pub enum ValueTypes {
    #[default]
    NotSpecified,
    String,
    Boolean,
    Number,
    List,
    Struct,
    Transition,
    Custom,
    Date,
    AudioFile,
    TimeZoneId,
    PhoneNumber,
    User,
    Endpoint,
    Time,
    File,
    FaxNumber,
    EmailAccount,
    Customer,
    Flow,
    Team,
    FlowReference,
    Integration,
}

/// The presentation hint of a [`DataField`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api.Flows.Data")]
pub enum UIHints {
    #[default]
    None,
    LargeText,
    InlineForm,
    Password,
    InlineStruct,
}

/// Whether a [`DataField`]'s value must be unique.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api.Flows.Data")]
pub enum DataFieldUniqueness {
    #[default]
    NotUnique,
    Unique,
    UniqueToCustomer,
}

/// The access a user has to a [`DataField`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api.Flows.Data")]
pub enum UserDataFieldModes {
    #[default]
    Hidden,
    ReadOnly,
    ReadWrite,
}
