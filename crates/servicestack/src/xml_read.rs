//! Reading XML request bodies (`application/xml`, `text/xml`) into DTOs through serde.
//!
//! - The document is parsed into a tree first, so members may come in any order.
//! - Elements are matched by local name; prefixes and namespaces are ignored. The binder and
//!   [`crate::de::CaseInsensitive`] match names to members ignoring ASCII case.
//! - `i:nil="true"` is null. A list is its child elements, whatever their names. A map is either
//!   `KeyValueOf...` items with `Key` and `Value` children, as a DataContract serializer writes
//!   it, or one child element per key.
//! - A document that contains `<!DOCTYPE` anywhere is rejected, so no DTD, internal entity or
//!   external entity is ever processed. The only references read are the five predefined
//!   entities and character references.

use std::fmt;

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use serde::de::value::StrDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// A parsed XML document.
#[derive(Debug)]
pub struct XmlDocument {
    root: Element,
}

#[derive(Debug)]
struct Element {
    /// The local name, without a prefix.
    name: String,
    nil: bool,
    /// The text directly inside the element, with entity and character references resolved.
    text: String,
    children: Vec<Element>,
}

/// The element read for a map entry that has no `Value` child.
static MISSING_VALUE: Element = Element {
    name: String::new(),
    nil: true,
    text: String::new(),
    children: Vec::new(),
};

/// The error for an XML body that cannot be read.
#[derive(Debug, Clone, PartialEq)]
pub struct XmlReadError {
    message: String,
}

impl XmlReadError {
    fn new(message: impl Into<String>) -> XmlReadError {
        XmlReadError {
            message: message.into(),
        }
    }
}

impl fmt::Display for XmlReadError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message)
    }
}

impl std::error::Error for XmlReadError {}

impl de::Error for XmlReadError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        XmlReadError::new(message.to_string())
    }
}

impl XmlDocument {
    /// Parses `bytes` as UTF-8 XML (a leading byte order mark is skipped).
    ///
    /// Elements may nest `2 * max_depth + 2` deep, which leaves room for the two elements a map
    /// entry adds per level; the deserializer enforces `max_depth` itself.
    pub fn parse(bytes: &[u8], max_depth: usize) -> Result<XmlDocument, XmlReadError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let text = std::str::from_utf8(bytes).map_err(|error| {
            XmlReadError::new(format!("the XML body is not valid UTF-8: {error}"))
        })?;
        if contains_doctype(text) {
            return Err(doctype_error());
        }
        let max_element_depth = max_depth.saturating_mul(2).saturating_add(2);

        let mut reader = Reader::from_str(text);
        let mut open: Vec<Element> = Vec::new();
        let mut root: Option<Element> = None;
        loop {
            let event = reader.read_event().map_err(|error| {
                XmlReadError::new(format!(
                    "the XML body is not well-formed at byte {}: {error}",
                    reader.error_position()
                ))
            })?;
            match event {
                Event::Start(start) => {
                    if open.len() >= max_element_depth {
                        return Err(XmlReadError::new(format!(
                            "the XML body is nested deeper than the limit of {max_element_depth} \
                             elements"
                        )));
                    }
                    open.push(Element::open(&start)?);
                }
                Event::Empty(start) => close(Element::open(&start)?, &mut open, &mut root)?,
                Event::End(_) => {
                    // The reader has checked that the end tag matches the open element.
                    let element = open.pop().ok_or_else(|| {
                        XmlReadError::new("the XML body has an unmatched end tag")
                    })?;
                    close(element, &mut open, &mut root)?;
                }
                Event::Text(content) => append_text(&mut open, &content.xml10_content())?,
                Event::CData(content) => append_text(&mut open, &content.xml10_content())?,
                Event::GeneralRef(reference) => {
                    let character = resolve_reference(&reference)?;
                    append_text(&mut open, character.encode_utf8(&mut [0; 4]))?;
                }
                Event::DocType(_) => return Err(doctype_error()),
                Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
                Event::Eof => break,
            }
        }

        if let Some(element) = open.last() {
            return Err(XmlReadError::new(format!(
                "the XML body ends before the element <{}> is closed",
                element.name
            )));
        }
        let root = root.ok_or_else(|| XmlReadError::new("the XML body has no root element"))?;
        Ok(XmlDocument { root })
    }

    /// Returns a deserializer for the root element, whatever its name.
    pub fn root(&self) -> ElementDeserializer<'_> {
        ElementDeserializer {
            element: &self.root,
        }
    }

    /// The root element's local name.
    pub fn root_name(&self) -> &str {
        &self.root.name
    }
}

fn doctype_error() -> XmlReadError {
    XmlReadError::new(
        "XML bodies with a DOCTYPE declaration are not accepted; remove the <!DOCTYPE ...> \
         declaration.",
    )
}

fn contains_doctype(text: &str) -> bool {
    const DOCTYPE: &[u8] = b"<!doctype";
    text.as_bytes()
        .windows(DOCTYPE.len())
        .any(|window| window.eq_ignore_ascii_case(DOCTYPE))
}

impl Element {
    fn open(start: &BytesStart<'_>) -> Result<Element, XmlReadError> {
        let mut nil = false;
        for attribute in start.attributes() {
            let attribute = attribute.map_err(|error| {
                XmlReadError::new(format!("the XML body has an invalid attribute: {error}"))
            })?;
            if attribute.key.local_name().as_ref() == "nil" {
                let value = attribute
                    .normalized_value(XmlVersion::Implicit1_0)
                    .map_err(|error| {
                        XmlReadError::new(format!("the XML body has an invalid attribute: {error}"))
                    })?;
                nil = matches!(value.trim(), "true" | "1");
            }
        }
        Ok(Element {
            name: start.local_name().as_ref().to_owned(),
            nil,
            text: String::new(),
            children: Vec::new(),
        })
    }
}

/// Attaches a finished element to its parent, or makes it the root.
fn close(
    element: Element,
    open: &mut [Element],
    root: &mut Option<Element>,
) -> Result<(), XmlReadError> {
    if let Some(parent) = open.last_mut() {
        parent.children.push(element);
        return Ok(());
    }
    if root.is_some() {
        return Err(XmlReadError::new(
            "the XML body has more than one root element",
        ));
    }
    *root = Some(element);
    Ok(())
}

fn append_text(open: &mut [Element], text: &str) -> Result<(), XmlReadError> {
    match open.last_mut() {
        Some(element) => {
            element.text.push_str(text);
            Ok(())
        }
        None if text.trim().is_empty() => Ok(()),
        None => Err(XmlReadError::new(
            "the XML body has text outside its root element",
        )),
    }
}

fn resolve_reference(reference: &BytesRef<'_>) -> Result<char, XmlReadError> {
    let invalid = |detail: String| {
        XmlReadError::new(format!(
            "the XML body has an invalid reference '&{};': {detail}",
            &**reference
        ))
    };
    if let Some(character) = reference
        .resolve_char_ref()
        .map_err(|error| invalid(error.to_string()))?
    {
        return Ok(character);
    }
    match &**reference {
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "amp" => Ok('&'),
        "apos" => Ok('\''),
        "quot" => Ok('"'),
        _ => Err(invalid(
            "only the predefined entities and character references are allowed".to_owned(),
        )),
    }
}

/// A deserializer for one element and its children.
#[derive(Clone, Copy, Debug)]
pub struct ElementDeserializer<'t> {
    element: &'t Element,
}

impl ElementDeserializer<'_> {
    fn trimmed(&self) -> &str {
        self.element.text.trim()
    }

    fn invalid<T>(&self, expected: &str) -> Result<T, XmlReadError> {
        Err(XmlReadError::new(format!(
            "'{}' is not a valid {expected}",
            self.trimmed()
        )))
    }
}

macro_rules! parse_number {
    ($($method:ident => $visit:ident($type:ty, $label:literal))*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlReadError> {
                if self.element.nil {
                    return visitor.visit_unit();
                }
                match self.trimmed().parse::<$type>() {
                    Ok(number) => visitor.$visit(number),
                    Err(_) => self.invalid($label),
                }
            }
        )*
    };
}

impl<'de> Deserializer<'de> for ElementDeserializer<'_> {
    type Error = XmlReadError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlReadError> {
        if self.element.nil {
            visitor.visit_unit()
        } else if self.element.children.is_empty() {
            visitor.visit_str(&self.element.text)
        } else {
            visitor.visit_map(ChildMap::new(self.element))
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlReadError> {
        if self.element.nil {
            return visitor.visit_unit();
        }
        let text = self.trimmed();
        if text.eq_ignore_ascii_case("true") || text == "1" {
            visitor.visit_bool(true)
        } else if text.eq_ignore_ascii_case("false") || text == "0" {
            visitor.visit_bool(false)
        } else {
            self.invalid("Boolean (use true or false)")
        }
    }

    parse_number! {
        deserialize_i8 => visit_i8(i8, "8-bit integer")
        deserialize_i16 => visit_i16(i16, "16-bit integer")
        deserialize_i32 => visit_i32(i32, "32-bit integer")
        deserialize_i64 => visit_i64(i64, "64-bit integer")
        deserialize_u8 => visit_u8(u8, "unsigned 8-bit integer")
        deserialize_u16 => visit_u16(u16, "unsigned 16-bit integer")
        deserialize_u32 => visit_u32(u32, "unsigned 32-bit integer")
        deserialize_u64 => visit_u64(u64, "unsigned 64-bit integer")
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlReadError> {
        if self.element.nil {
            return visitor.visit_unit();
        }
        match self.trimmed().parse::<f64>() {
            Ok(number) if number.is_finite() => visitor.visit_f64(number),
            _ => self.invalid("finite number"),
        }
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlReadError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlReadError> {
        if self.element.nil {
            return visitor.visit_unit();
        }
        visitor.visit_str(&self.element.text)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlReadError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlReadError> {
        if self.element.nil {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlReadError> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, XmlReadError> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, XmlReadError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlReadError> {
        if self.element.nil {
            return visitor.visit_unit();
        }
        visitor.visit_seq(ChildSeq {
            children: self.element.children.iter(),
        })
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, XmlReadError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, XmlReadError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlReadError> {
        if self.element.nil {
            return visitor.visit_unit();
        }
        visitor.visit_map(EntryMap {
            children: self.element.children.iter(),
            value: None,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, XmlReadError> {
        if self.element.nil {
            return visitor.visit_unit();
        }
        // An object is its child elements; bare text where one is expected is a mistake that
        // would otherwise read as an empty object.
        if self.element.children.is_empty() && !self.element.text.trim().is_empty() {
            return Err(XmlReadError::new(format!(
                "<{}> holds text where an object with member elements is expected",
                self.element.name
            )));
        }
        visitor.visit_map(ChildMap::new(self.element))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, XmlReadError> {
        if self.element.nil {
            return visitor.visit_unit();
        }
        visitor.visit_enum(StrDeserializer::<XmlReadError>::new(self.trimmed()))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlReadError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, XmlReadError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        <W: Visitor<'de>>
        i128 u128 char bytes byte_buf
    }
}

/// An element's children as the members of a struct, keyed by their local names.
struct ChildMap<'t> {
    children: std::slice::Iter<'t, Element>,
    value: Option<&'t Element>,
}

impl<'t> ChildMap<'t> {
    fn new(element: &'t Element) -> ChildMap<'t> {
        ChildMap {
            children: element.children.iter(),
            value: None,
        }
    }
}

impl<'de> MapAccess<'de> for ChildMap<'_> {
    type Error = XmlReadError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, XmlReadError> {
        let Some(child) = self.children.next() else {
            return Ok(None);
        };
        self.value = Some(child);
        seed.deserialize(StrDeserializer::<XmlReadError>::new(&child.name))
            .map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<T::Value, XmlReadError> {
        let element = self
            .value
            .take()
            .ok_or_else(|| XmlReadError::new("a value was requested before its key"))?;
        seed.deserialize(ElementDeserializer { element })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.children.len())
    }
}

/// An element's children as the entries of a map.
struct EntryMap<'t> {
    children: std::slice::Iter<'t, Element>,
    value: Option<&'t Element>,
}

impl<'de> MapAccess<'de> for EntryMap<'_> {
    type Error = XmlReadError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, XmlReadError> {
        let Some(child) = self.children.next() else {
            return Ok(None);
        };
        let is_entry = child
            .name
            .get(..10)
            .is_some_and(|start| start.eq_ignore_ascii_case("KeyValueOf"));
        if !is_entry {
            self.value = Some(child);
            return seed
                .deserialize(StrDeserializer::<XmlReadError>::new(&child.name))
                .map(Some);
        }

        let named = |name: &str| {
            child
                .children
                .iter()
                .find(|grandchild| grandchild.name.eq_ignore_ascii_case(name))
        };
        let key = named("Key").ok_or_else(|| {
            XmlReadError::new(format!("the map entry <{}> has no <Key>", child.name))
        })?;
        self.value = Some(named("Value").unwrap_or(&MISSING_VALUE));
        seed.deserialize(ElementDeserializer { element: key })
            .map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<T::Value, XmlReadError> {
        let element = self
            .value
            .take()
            .ok_or_else(|| XmlReadError::new("a value was requested before its key"))?;
        seed.deserialize(ElementDeserializer { element })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.children.len())
    }
}

/// An element's children as the items of a list.
struct ChildSeq<'t> {
    children: std::slice::Iter<'t, Element>,
}

impl<'de> SeqAccess<'de> for ChildSeq<'_> {
    type Error = XmlReadError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, XmlReadError> {
        match self.children.next() {
            Some(element) => seed.deserialize(ElementDeserializer { element }).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.children.len())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Serialize};

    use super::*;
    use crate::bind::{bind, BindError, Body, Field};
    use crate::de::DEFAULT_MAX_DEPTH;
    use crate::format::Format;
    use crate::xml::XmlContracts;

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase", default)]
    struct NewThing {
        account_id: Option<String>,
        name: Option<String>,
        #[serde(rename = "type")]
        kind: Option<Kind>,
        page: Option<i32>,
        enabled: Option<bool>,
        ratio: Option<f64>,
        tags: Option<Vec<String>>,
        settings: Option<BTreeMap<String, Setting>>,
        parts: Option<Vec<Part>>,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    enum Kind {
        HostedSuite,
        Zoho,
    }

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase", default)]
    struct Setting {
        #[serde(skip_serializing_if = "Option::is_none")]
        string_value: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        bool_value: Option<bool>,
    }

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase", default)]
    struct Part {
        id: Option<String>,
        label: Option<String>,
    }

    fn read(xml: &str) -> Result<NewThing, BindError> {
        read_with(xml, &[])
    }

    fn read_with(xml: &str, fields: &[Field<'_>]) -> Result<NewThing, BindError> {
        let body = Body {
            format: Format::Xml,
            bytes: xml.as_bytes(),
        };
        bind(Some(body), fields, DEFAULT_MAX_DEPTH).map_err(|errors| errors.first().clone())
    }

    #[test]
    fn members_bind_in_any_order() {
        let forward = read(
            r#"<NewThing xmlns="http://schemas.datacontract.org/2004/07/Voice.Api.Integrations">
                 <AccountId>a1</AccountId><Name>Zoho EU</Name><Type>Zoho</Type></NewThing>"#,
        )
        .unwrap();
        let backward = read(
            r#"<NewThing><Type>Zoho</Type><Name>Zoho EU</Name><AccountId>a1</AccountId></NewThing>"#,
        )
        .unwrap();
        assert_eq!(forward, backward);
        assert_eq!(forward.account_id.as_deref(), Some("a1"));
        assert_eq!(forward.name.as_deref(), Some("Zoho EU"));
        assert_eq!(forward.kind, Some(Kind::Zoho));
    }

    #[test]
    fn names_and_enums_ignore_case() {
        let thing =
            read("<NewThing><accountid>a</accountid><TYPE>hostedsuite</TYPE></NewThing>").unwrap();
        assert_eq!(thing.account_id.as_deref(), Some("a"));
        assert_eq!(thing.kind, Some(Kind::HostedSuite));
    }

    #[test]
    fn doctype_is_rejected() {
        let documents = [
            r#"<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><NewThing><Name>&e;</Name></NewThing>"#,
            "<?xml version=\"1.0\"?>\n<!doctype x><x/>",
            "<NewThing><Name>a</Name></NewThing><!DOCTYPE x>",
            "<NewThing><Name><![CDATA[<!DocType x>]]></Name></NewThing>",
        ];
        for xml in documents {
            let error = read(xml).unwrap_err();
            assert!(
                error.message.contains("DOCTYPE"),
                "{xml}: {}",
                error.message
            );
        }
    }

    #[test]
    fn undefined_entity_is_rejected() {
        let error = read("<NewThing><Name>&e;</Name></NewThing>").unwrap_err();
        assert!(error.message.contains("'&e;'"), "{}", error.message);
    }

    #[test]
    fn references_and_cdata_become_text() {
        let thing = read(
            "<NewThing><Name>a &amp; b &lt;&#x41;&#66;&gt; <![CDATA[<c> & d]]></Name></NewThing>",
        )
        .unwrap();
        assert_eq!(thing.name.as_deref(), Some("a & b <AB> <c> & d"));
    }

    #[test]
    fn nil_is_none() {
        let thing = read(
            r#"<NewThing xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><Name i:nil="true" /><Page>3</Page></NewThing>"#,
        )
        .unwrap();
        assert_eq!(thing.name, None);
        assert_eq!(thing.page, Some(3));
    }

    #[test]
    fn empty_element_is_empty_string() {
        assert_eq!(
            read("<NewThing><Name /></NewThing>")
                .unwrap()
                .name
                .as_deref(),
            Some("")
        );
    }

    #[test]
    fn scalars_parse() {
        let thing = read(
            "<NewThing><Page> 7 </Page><Enabled>true</Enabled><Ratio>1.5E-07</Ratio></NewThing>",
        )
        .unwrap();
        assert_eq!(thing.page, Some(7));
        assert_eq!(thing.enabled, Some(true));
        assert_eq!(thing.ratio, Some(1.5e-7));
    }

    #[test]
    fn bad_number_names_field() {
        let error = read("<NewThing><Page>two</Page></NewThing>").unwrap_err();
        assert_eq!(error.message, "'two' is not a valid 32-bit integer");
        assert_eq!(error.path, "Page");
    }

    #[test]
    fn infinity_is_rejected() {
        let error = read("<NewThing><Ratio>INF</Ratio></NewThing>").unwrap_err();
        assert_eq!(error.path, "Ratio");
    }

    #[test]
    fn lists_and_maps_read_datacontract_shape() {
        let xml = r#"<NewThing xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
            <Tags xmlns:d2p1="http://schemas.microsoft.com/2003/10/Serialization/Arrays">
              <d2p1:string>a</d2p1:string><d2p1:string>b</d2p1:string>
            </Tags>
            <Settings xmlns:d2p1="http://schemas.microsoft.com/2003/10/Serialization/Arrays">
              <d2p1:KeyValueOfstringValue>
                <d2p1:Value><StringValue>eu</StringValue><BoolValue i:nil="true"/></d2p1:Value>
                <d2p1:Key>Region</d2p1:Key>
              </d2p1:KeyValueOfstringValue>
            </Settings>
          </NewThing>"#;
        let thing = read(xml).unwrap();
        assert_eq!(thing.tags, Some(vec!["a".to_owned(), "b".to_owned()]));
        let settings = thing.settings.unwrap();
        assert_eq!(
            settings["Region"],
            Setting {
                string_value: Some("eu".into()),
                bool_value: None
            }
        );
    }

    #[test]
    fn map_by_element_names() {
        let thing =
            read("<NewThing><Settings><Region><StringValue>eu</StringValue></Region></Settings></NewThing>")
                .unwrap();
        assert_eq!(
            thing.settings.unwrap()["Region"].string_value.as_deref(),
            Some("eu")
        );
    }

    #[test]
    fn query_overrides_xml_body() {
        let thing = read_with(
            "<NewThing><Name>from body</Name><Page>1</Page></NewThing>",
            &[Field {
                name: "name",
                value: "from query",
            }],
        )
        .unwrap();
        assert_eq!(thing.name.as_deref(), Some("from query"));
        assert_eq!(thing.page, Some(1));
    }

    #[test]
    fn malformed_documents_are_rejected() {
        let documents = [
            "<NewThing><Name>a</NewThing>",
            "<NewThing><Name>a</Name>",
            "<x/><y/>",
            "text<x/>",
            "<!-- no root -->",
            "<x a=b/>",
        ];
        for xml in documents {
            assert!(read(xml).is_err(), "{xml:?}");
        }
    }

    #[test]
    fn invalid_utf8_is_rejected() {
        let body = Body {
            format: Format::Xml,
            bytes: b"<NewThing><Name>\xff</Name></NewThing>",
        };
        let errors = bind::<NewThing>(Some(body), &[], DEFAULT_MAX_DEPTH).unwrap_err();
        let error = errors.first();
        assert!(error.message.contains("UTF-8"), "{}", error.message);
    }

    #[test]
    fn deep_nesting_is_rejected() {
        let xml = format!(
            "<NewThing><Name>{}{}</Name></NewThing>",
            "<a>".repeat(200),
            "</a>".repeat(200)
        );
        let error = XmlDocument::parse(xml.as_bytes(), DEFAULT_MAX_DEPTH).unwrap_err();
        assert!(error.message.contains("nested deeper"), "{}", error.message);
    }

    #[test]
    fn written_xml_reads_back() {
        let thing = NewThing {
            account_id: Some("a & b".into()),
            name: Some(" spaced ".into()),
            kind: Some(Kind::HostedSuite),
            page: Some(2),
            enabled: Some(false),
            ratio: Some(0.25),
            tags: Some(vec!["x".into(), "<y>".into()]),
            settings: Some(BTreeMap::from([(
                "k".to_owned(),
                Setting {
                    string_value: None,
                    bool_value: Some(true),
                },
            )])),
            parts: Some(vec![Part {
                id: Some("p".into()),
                label: None,
            }]),
        };
        let mut contracts = XmlContracts::new("Test");
        contracts
            .add("Part", "Test.Parts", None)
            .add("Setting", "Test.Data", None);
        let xml = contracts.to_xml(&thing).unwrap();
        assert_eq!(read(&xml).unwrap(), thing, "{xml}");
    }
}
