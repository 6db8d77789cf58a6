//! The items of a list response, for the formats that write one row or line per item.
//!
//! A value is a list response when it is a sequence, or a struct whose first member is a
//! sequence (a `ListResponse`'s `items`). Any other value is written whole.

use std::fmt;

use serde::ser::{self, Impossible, Serialize, SerializeSeq, SerializeStruct, Serializer};

use crate::write::WriteError;

/// Receives the items of a list response one by one.
pub(crate) trait ItemSink {
    fn item<T: Serialize + ?Sized>(&mut self, item: &T) -> Result<(), WriteError>;
}

/// Feeds the items of `value` to `sink` and returns true when `value` is a list response.
///
/// Returns false, without calling `sink`, for any other value.
pub(crate) fn for_each_item<T, S>(value: &T, sink: &mut S) -> Result<bool, WriteError>
where
    T: Serialize + ?Sized,
    S: ItemSink,
{
    let probe = ListProbe {
        sink,
        look_inside_struct: true,
    };
    match value.serialize(probe) {
        Ok(()) => Ok(true),
        Err(ProbeError::NotAList) => Ok(false),
        Err(ProbeError::Failed(error)) => Err(error),
    }
}

#[derive(Debug)]
enum ProbeError {
    /// The value is not a list response; nothing was sent to the sink.
    NotAList,
    Failed(WriteError),
}

impl fmt::Display for ProbeError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProbeError::NotAList => formatter.write_str("not a list response"),
            ProbeError::Failed(error) => error.fmt(formatter),
        }
    }
}

impl std::error::Error for ProbeError {}

impl ser::Error for ProbeError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        ProbeError::Failed(WriteError::new(message.to_string()))
    }
}

/// A serializer that accepts a sequence, or a struct whose first member is one, and rejects
/// anything else at its first call.
struct ListProbe<'s, S> {
    sink: &'s mut S,
    /// Whether a struct may hold the list; false for the first member itself.
    look_inside_struct: bool,
}

macro_rules! not_a_list {
    ($($method:ident($($arg:ty),*))*) => {
        $(
            fn $method(self, $(_: $arg),*) -> Result<(), ProbeError> {
                Err(ProbeError::NotAList)
            }
        )*
    };
}

impl<'s, S: ItemSink> Serializer for ListProbe<'s, S> {
    type Ok = ();
    type Error = ProbeError;
    type SerializeSeq = Items<'s, S>;
    type SerializeTuple = Impossible<(), ProbeError>;
    type SerializeTupleStruct = Impossible<(), ProbeError>;
    type SerializeTupleVariant = Impossible<(), ProbeError>;
    type SerializeMap = Impossible<(), ProbeError>;
    type SerializeStruct = FirstMember<'s, S>;
    type SerializeStructVariant = Impossible<(), ProbeError>;

    not_a_list! {
        serialize_bool(bool) serialize_i8(i8) serialize_i16(i16) serialize_i32(i32)
        serialize_i64(i64) serialize_u8(u8) serialize_u16(u16) serialize_u32(u32)
        serialize_u64(u64) serialize_f32(f32) serialize_f64(f64) serialize_char(char)
        serialize_str(&str) serialize_bytes(&[u8]) serialize_none() serialize_unit()
        serialize_unit_struct(&'static str)
        serialize_unit_variant(&'static str, u32, &'static str)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), ProbeError> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), ProbeError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), ProbeError> {
        Err(ProbeError::NotAList)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Items<'s, S>, ProbeError> {
        Ok(Items { sink: self.sink })
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, ProbeError> {
        Err(ProbeError::NotAList)
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, ProbeError> {
        Err(ProbeError::NotAList)
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, ProbeError> {
        Err(ProbeError::NotAList)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, ProbeError> {
        Err(ProbeError::NotAList)
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<FirstMember<'s, S>, ProbeError> {
        if !self.look_inside_struct {
            return Err(ProbeError::NotAList);
        }
        Ok(FirstMember {
            sink: self.sink,
            seen_first: false,
        })
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, ProbeError> {
        Err(ProbeError::NotAList)
    }
}

struct Items<'s, S> {
    sink: &'s mut S,
}

impl<S: ItemSink> SerializeSeq for Items<'_, S> {
    type Ok = ();
    type Error = ProbeError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ProbeError> {
        self.sink.item(value).map_err(ProbeError::Failed)
    }

    fn end(self) -> Result<(), ProbeError> {
        Ok(())
    }
}

/// Checks a struct's first member; the members after it are not serialized at all.
struct FirstMember<'s, S> {
    sink: &'s mut S,
    seen_first: bool,
}

impl<S: ItemSink> SerializeStruct for FirstMember<'_, S> {
    type Ok = ();
    type Error = ProbeError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        _key: &'static str,
        value: &T,
    ) -> Result<(), ProbeError> {
        if self.seen_first {
            return Ok(());
        }
        self.seen_first = true;
        value.serialize(ListProbe {
            sink: &mut *self.sink,
            look_inside_struct: false,
        })
    }

    fn skip_field(&mut self, _key: &'static str) -> Result<(), ProbeError> {
        if self.seen_first {
            Ok(())
        } else {
            Err(ProbeError::NotAList)
        }
    }

    fn end(self) -> Result<(), ProbeError> {
        if self.seen_first {
            Ok(())
        } else {
            Err(ProbeError::NotAList)
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize;

    use super::*;

    #[derive(Default)]
    struct Collected(Vec<String>);

    impl ItemSink for Collected {
        fn item<T: Serialize + ?Sized>(&mut self, item: &T) -> Result<(), WriteError> {
            self.0.push(serde_json::to_string(item)?);
            Ok(())
        }
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Page {
        items: Vec<u32>,
        total_count: i64,
    }

    #[derive(Serialize)]
    struct Thing {
        name: &'static str,
        tags: Vec<&'static str>,
    }

    #[derive(Serialize)]
    struct Sparse {
        #[serde(skip_serializing_if = "Option::is_none")]
        items: Option<Vec<u32>>,
    }

    fn items_of<T: Serialize>(value: &T) -> Option<Vec<String>> {
        let mut collected = Collected::default();
        for_each_item(value, &mut collected)
            .unwrap()
            .then_some(collected.0)
    }

    #[test]
    fn first_member_list_gives_items() {
        let page = Page {
            items: vec![1, 2],
            total_count: 2,
        };
        assert_eq!(items_of(&page), Some(vec!["1".into(), "2".into()]));
    }

    #[test]
    fn sequence_gives_items() {
        assert_eq!(items_of(&vec!["a"]), Some(vec![r#""a""#.into()]));
    }

    #[test]
    fn later_list_member_is_not_a_list_response() {
        let thing = Thing {
            name: "x",
            tags: vec!["a"],
        };
        assert_eq!(items_of(&thing), None);
    }

    #[test]
    fn skipped_first_member_is_not_a_list_response() {
        assert_eq!(items_of(&Sparse { items: None }), None);
        assert_eq!(
            items_of(&Sparse {
                items: Some(vec![7])
            }),
            Some(vec!["7".into()])
        );
    }

    #[test]
    fn scalars_are_not_list_responses() {
        assert_eq!(items_of(&"text"), None);
        assert_eq!(items_of(&42), None);
    }
}
