//! CSV responses (`text/csv`) in ServiceStack's layout.
//!
//! - A header row of PascalCase member names, then one row per item of a list response (a
//!   sequence, or a struct whose first member is one, such as a `ListResponse`) or a single row
//!   for any other value. Members keep their serde order.
//! - Every line ends with CRLF, the last one too.
//! - A string cell is its text. A null or skipped member is an empty cell. A nested object or
//!   list is its JSV text, and so is any other scalar (`True`, `1.5`, `HostedSuite`).
//! - A cell is quoted when it contains `"`, `,`, CR or LF, or starts with `[` or `{`, with each
//!   `"` inside doubled.

use std::collections::HashMap;
use std::fmt;

use serde::ser::{self, Impossible, Serialize, SerializeMap, SerializeStruct, Serializer};

use crate::items::{for_each_item, ItemSink};
use crate::write::{pascal_case, WriteError};

/// Serializes `value` as CSV.
///
/// NOTE: an empty list response is an empty body, because a value without items carries no
/// member names for the header row.
pub fn to_csv<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, WriteError> {
    let mut table = Table::default();
    if !for_each_item(value, &mut table)? {
        table.item(value)?;
    }
    table.write()
}

/// The rows of the response, each a list of (column, cell) pairs.
#[derive(Default)]
struct Table {
    columns: Vec<String>,
    column_index: HashMap<String, usize>,
    rows: Vec<Vec<(usize, Option<String>)>>,
    /// Whether any row came from an object or a map, and so has named columns.
    has_header: bool,
}

impl ItemSink for Table {
    fn item<T: Serialize + ?Sized>(&mut self, item: &T) -> Result<(), WriteError> {
        let cells = match item.serialize(RowSerializer) {
            Ok(cells) => {
                self.has_header = true;
                cells
            }
            // A scalar or a list is a row of one unnamed cell.
            Err(RowError::NotARow) => vec![(String::new(), cell(item)?)],
            Err(RowError::Failed(error)) => return Err(error),
        };
        let row = cells
            .into_iter()
            .map(|(name, cell)| (self.column(name), cell))
            .collect();
        self.rows.push(row);
        Ok(())
    }
}

impl Table {
    fn column(&mut self, name: String) -> usize {
        if let Some(&index) = self.column_index.get(&name) {
            return index;
        }
        let index = self.columns.len();
        self.columns.push(name.clone());
        self.column_index.insert(name, index);
        index
    }

    fn write(self) -> Result<Vec<u8>, WriteError> {
        // The writer only joins cells and ends lines: `quote` applies ServiceStack's quoting
        // rule, which quotes more than the csv crate's `Necessary` style does.
        let mut writer = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .quote_style(::csv::QuoteStyle::Never)
            .flexible(true)
            .from_writer(Vec::new());
        if self.has_header {
            writer
                .write_record(self.columns.iter().map(|name| quote(name)))
                .map_err(csv_error)?;
        }
        for row in &self.rows {
            let mut cells = vec![String::new(); self.columns.len()];
            for (index, cell) in row {
                if let Some(text) = cell {
                    cells[*index] = quote(text);
                }
            }
            writer.write_record(&cells).map_err(csv_error)?;
        }
        writer
            .into_inner()
            .map_err(|error| WriteError::new(error.to_string()))
    }
}

fn csv_error(error: ::csv::Error) -> WriteError {
    WriteError::new(error.to_string())
}

/// Quotes `text` when it contains `"`, `,`, CR or LF, or starts with `[` or `{`.
fn quote(text: &str) -> String {
    let needs_quotes = text.starts_with(['[', '{']) || text.contains(['"', ',', '\r', '\n']);
    if !needs_quotes {
        return text.to_owned();
    }
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// Formats one cell: `None` for null, the raw text of a string, JSV for anything else.
fn cell<T: Serialize + ?Sized>(value: &T) -> Result<Option<String>, WriteError> {
    match value.serialize(CellSerializer) {
        Ok(text) => Ok(text),
        Err(CellError::Compound) => Ok(Some(jsv::to_string(value)?)),
        Err(CellError::Failed(error)) => Err(error),
    }
}

#[derive(Debug)]
enum RowError {
    /// The value is neither an object nor a map; nothing was written.
    NotARow,
    Failed(WriteError),
}

#[derive(Debug)]
enum CellError {
    /// The value is an object or a list, written as JSV.
    Compound,
    Failed(WriteError),
}

macro_rules! probe_error {
    ($type:ident) => {
        impl fmt::Display for $type {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    $type::Failed(error) => error.fmt(formatter),
                    _ => formatter.write_str("not a CSV row or cell"),
                }
            }
        }

        impl std::error::Error for $type {}

        impl ser::Error for $type {
            fn custom<T: fmt::Display>(message: T) -> Self {
                $type::Failed(WriteError::new(message.to_string()))
            }
        }
    };
}

probe_error!(RowError);
probe_error!(CellError);

/// Turns an object or a map into its named cells; rejects anything else at its first call.
struct RowSerializer;

type Cells = Vec<(String, Option<String>)>;

macro_rules! not_a_row {
    ($($method:ident($($arg:ty),*))*) => {
        $(
            fn $method(self, $(_: $arg),*) -> Result<Cells, RowError> {
                Err(RowError::NotARow)
            }
        )*
    };
}

impl Serializer for RowSerializer {
    type Ok = Cells;
    type Error = RowError;
    type SerializeSeq = Impossible<Cells, RowError>;
    type SerializeTuple = Impossible<Cells, RowError>;
    type SerializeTupleStruct = Impossible<Cells, RowError>;
    type SerializeTupleVariant = Impossible<Cells, RowError>;
    type SerializeMap = MapRow;
    type SerializeStruct = StructRow;
    type SerializeStructVariant = Impossible<Cells, RowError>;

    not_a_row! {
        serialize_bool(bool) serialize_i8(i8) serialize_i16(i16) serialize_i32(i32)
        serialize_i64(i64) serialize_u8(u8) serialize_u16(u16) serialize_u32(u32)
        serialize_u64(u64) serialize_f32(f32) serialize_f64(f64) serialize_char(char)
        serialize_str(&str) serialize_bytes(&[u8]) serialize_none() serialize_unit()
        serialize_unit_struct(&'static str)
        serialize_unit_variant(&'static str, u32, &'static str)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Cells, RowError> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Cells, RowError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<Cells, RowError> {
        Err(RowError::NotARow)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, RowError> {
        Err(RowError::NotARow)
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, RowError> {
        Err(RowError::NotARow)
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, RowError> {
        Err(RowError::NotARow)
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, RowError> {
        Err(RowError::NotARow)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<MapRow, RowError> {
        Ok(MapRow {
            cells: Vec::new(),
            key: None,
        })
    }

    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<StructRow, RowError> {
        Ok(StructRow {
            cells: Vec::with_capacity(len),
        })
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, RowError> {
        Err(RowError::NotARow)
    }
}

struct StructRow {
    cells: Cells,
}

impl SerializeStruct for StructRow {
    type Ok = Cells;
    type Error = RowError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), RowError> {
        let text = cell(value).map_err(RowError::Failed)?;
        self.cells.push((pascal_case(key), text));
        Ok(())
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), RowError> {
        self.cells.push((pascal_case(key), None));
        Ok(())
    }

    fn end(self) -> Result<Cells, RowError> {
        Ok(self.cells)
    }
}

/// A map's entries as cells; keys are column names as they are, like a dictionary's in .NET.
struct MapRow {
    cells: Cells,
    key: Option<String>,
}

impl SerializeMap for MapRow {
    type Ok = Cells;
    type Error = RowError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), RowError> {
        let key = cell(key).map_err(RowError::Failed)?.unwrap_or_default();
        self.key = Some(key);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), RowError> {
        let key = self.key.take().unwrap_or_default();
        let text = cell(value).map_err(RowError::Failed)?;
        self.cells.push((key, text));
        Ok(())
    }

    fn end(self) -> Result<Cells, RowError> {
        Ok(self.cells)
    }
}

/// Writes a scalar cell; rejects objects and lists, which the caller writes as JSV.
struct CellSerializer;

type CellText = Option<String>;

macro_rules! jsv_scalar {
    ($($method:ident($type:ty))*) => {
        $(
            fn $method(self, value: $type) -> Result<CellText, CellError> {
                jsv::to_string(&value)
                    .map(Some)
                    .map_err(|error| CellError::Failed(error.into()))
            }
        )*
    };
}

impl Serializer for CellSerializer {
    type Ok = CellText;
    type Error = CellError;
    type SerializeSeq = Impossible<CellText, CellError>;
    type SerializeTuple = Impossible<CellText, CellError>;
    type SerializeTupleStruct = Impossible<CellText, CellError>;
    type SerializeTupleVariant = Impossible<CellText, CellError>;
    type SerializeMap = Impossible<CellText, CellError>;
    type SerializeStruct = Impossible<CellText, CellError>;
    type SerializeStructVariant = Impossible<CellText, CellError>;

    // NOTE: booleans are written in JSV's `True`/`False`, on the belief that ServiceStack writes
    // CSV cells with its JSV writer; unconfirmed from a sample.
    jsv_scalar! {
        serialize_bool(bool) serialize_i8(i8) serialize_i16(i16) serialize_i32(i32)
        serialize_i64(i64) serialize_u8(u8) serialize_u16(u16) serialize_u32(u32)
        serialize_u64(u64) serialize_f32(f32) serialize_f64(f64)
    }

    fn serialize_char(self, value: char) -> Result<CellText, CellError> {
        Ok(Some(value.to_string()))
    }

    fn serialize_str(self, value: &str) -> Result<CellText, CellError> {
        Ok(Some(value.to_owned()))
    }

    fn serialize_bytes(self, _value: &[u8]) -> Result<CellText, CellError> {
        Err(CellError::Compound)
    }

    fn serialize_none(self) -> Result<CellText, CellError> {
        Ok(None)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<CellText, CellError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<CellText, CellError> {
        Ok(None)
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<CellText, CellError> {
        Ok(None)
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<CellText, CellError> {
        Ok(Some(variant.to_owned()))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<CellText, CellError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<CellText, CellError> {
        Err(CellError::Compound)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, CellError> {
        Err(CellError::Compound)
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, CellError> {
        Err(CellError::Compound)
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, CellError> {
        Err(CellError::Compound)
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, CellError> {
        Err(CellError::Compound)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, CellError> {
        Err(CellError::Compound)
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, CellError> {
        Err(CellError::Compound)
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, CellError> {
        Err(CellError::Compound)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::*;

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Crumb {
        id: &'static str,
        name: &'static str,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Info {
        name: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        status_message: Option<&'static str>,
        is_authorized: bool,
        breadcrumb: Vec<Crumb>,
        settings: BTreeMap<&'static str, &'static str>,
        number: f64,
        ui_hint: Kind,
    }

    #[derive(Serialize)]
    enum Kind {
        Password,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Page<T> {
        items: Vec<T>,
        total_count: i64,
    }

    fn text(bytes: Vec<u8>) -> String {
        String::from_utf8(bytes).unwrap()
    }

    fn info(name: &'static str, status_message: Option<&'static str>) -> Info {
        Info {
            name,
            status_message,
            is_authorized: false,
            breadcrumb: vec![Crumb {
                id: "c1",
                name: "Acme, Inc",
            }],
            settings: BTreeMap::from([("region", "eu")]),
            number: 2.0,
            ui_hint: Kind::Password,
        }
    }

    #[test]
    fn quoting_follows_servicestack_rule() {
        let cases = [
            ("plain", "plain"),
            ("", ""),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("two\nlines", "\"two\nlines\""),
            ("cr\rhere", "\"cr\rhere\""),
            ("[a,b]", "\"[a,b]\""),
            ("{a:b}", "\"{a:b}\""),
            ("[alone", "\"[alone\""),
            ("x[y]", "x[y]"),
            (" padded ", " padded "),
        ];
        for (field, expected) in cases {
            assert_eq!(quote(field), expected, "{field:?}");
        }
    }

    #[test]
    fn object_is_header_and_one_row() {
        let body = text(to_csv(&info("Zoho EU", None)).unwrap());
        assert_eq!(
            body,
            "Name,StatusMessage,IsAuthorized,Breadcrumb,Settings,Number,UIHint\r\n\
             Zoho EU,,False,\"[{id:c1,name:\"\"Acme, Inc\"\"}]\",\"{region:eu}\",2,Password\r\n"
        );
    }

    #[test]
    fn list_response_writes_row_per_item() {
        let page = Page {
            items: vec![info("A", Some("ok")), info("B", None)],
            total_count: 2,
        };
        let body = text(to_csv(&page).unwrap());
        let lines: Vec<&str> = body.split_inclusive("\r\n").collect();
        assert_eq!(lines.len(), 3, "{body}");
        assert_eq!(
            lines[0],
            "Name,StatusMessage,IsAuthorized,Breadcrumb,Settings,Number,UIHint\r\n"
        );
        assert!(lines[1].starts_with("A,ok,False,"), "{body}");
        assert!(lines[2].starts_with("B,,False,"), "{body}");
        assert!(!body.contains("TotalCount"), "{body}");
    }

    #[test]
    fn every_line_ends_with_crlf() {
        let page = Page {
            items: vec![Crumb { id: "1", name: "a" }, Crumb { id: "2", name: "b" }],
            total_count: 2,
        };
        let body = text(to_csv(&page).unwrap());
        assert_eq!(body, "Id,Name\r\n1,a\r\n2,b\r\n");
    }

    #[test]
    fn empty_list_response_is_empty() {
        let page: Page<Crumb> = Page {
            items: Vec::new(),
            total_count: 0,
        };
        assert_eq!(text(to_csv(&page).unwrap()), "");
    }

    #[test]
    fn list_of_strings_has_no_header() {
        assert_eq!(text(to_csv(&vec!["a", "b,c"]).unwrap()), "a\r\n\"b,c\"\r\n");
    }

    #[test]
    fn map_keys_are_columns() {
        let map = BTreeMap::from([("clientId", "x"), ("region", "eu")]);
        assert_eq!(text(to_csv(&map).unwrap()), "clientId,region\r\nx,eu\r\n");
    }

    #[test]
    fn whole_doubles_have_no_fraction() {
        #[derive(Serialize)]
        struct Numbers {
            whole: f64,
            fraction: f64,
            tiny: f64,
        }
        let numbers = Numbers {
            whole: 3.0,
            fraction: 1.5,
            tiny: 1e-7,
        };
        assert_eq!(
            text(to_csv(&numbers).unwrap()),
            "Whole,Fraction,Tiny\r\n3,1.5,1E-07\r\n"
        );
    }
}

/// Reads CSV text: a header row of member names, then one value per row. Each cell binds like
/// a query value (a string member takes the text, any other member parses it as JSV), and an
/// empty cell means "not set", so CSV cannot tell an empty string from a missing one.
pub fn from_csv<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    max_depth: usize,
) -> Result<Vec<T>, crate::bind::BindErrors> {
    let table = read_table(bytes).map_err(|error| crate::bind::BindErrors(vec![error]))?;
    let mut values = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let fields = table.fields(row);
        values.push(crate::bind::bind(None, &fields, max_depth)?);
    }
    Ok(values)
}

/// A CSV document read into its header and rows.
pub(crate) struct ReadTable {
    header: Vec<String>,
    pub(crate) rows: Vec<Vec<String>>,
}

impl ReadTable {
    /// The cells of `row` as fields named by the header.
    pub(crate) fn fields<'a>(&'a self, row: &'a [String]) -> Vec<crate::bind::Field<'a>> {
        self.header
            .iter()
            .zip(row)
            .map(|(name, value)| crate::bind::Field { name, value })
            .collect()
    }
}

/// Parses CSV text with a header row; the rows must not be longer than the header.
pub(crate) fn read_table(bytes: &[u8]) -> Result<ReadTable, crate::bind::BindError> {
    let invalid = |message: String| crate::bind::BindError {
        message,
        path: String::new(),
    };
    // Quotes inside a quoted cell are doubled, so well-formed CSV has an even number of them;
    // the csv crate would read an unterminated quote to the end of the text instead.
    if bytes.iter().filter(|byte| **byte == b'"').count() % 2 == 1 {
        return Err(invalid(
            "the CSV body has an unterminated quoted cell".to_owned(),
        ));
    }
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .map_err(|error| invalid(format!("the CSV header could not be read: {error}")))?
        .iter()
        .map(str::to_owned)
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record =
            record.map_err(|error| invalid(format!("the CSV body could not be read: {error}")))?;
        if record.len() > header.len() {
            return Err(invalid(format!(
                "CSV row {} has {} cells but the header names {} members",
                rows.len() + 1,
                record.len(),
                header.len()
            )));
        }
        rows.push(record.iter().map(str::to_owned).collect());
    }
    Ok(ReadTable { header, rows })
}

#[cfg(test)]
mod read_tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Row {
        name: Option<String>,
        count: Option<i32>,
        tags: Option<Vec<String>>,
        active: Option<bool>,
    }

    #[test]
    fn rows_bind_like_query_values() {
        let text = "Name,Count,Tags,Active\r\n\"Acme, Inc\",3,\"[a,b]\",True\r\nPlain,,,\r\n";
        let rows: Vec<Row> = from_csv(text.as_bytes(), 64).unwrap();
        assert_eq!(
            rows[0],
            Row {
                name: Some("Acme, Inc".into()),
                count: Some(3),
                tags: Some(vec!["a".into(), "b".into()]),
                active: Some(true),
            }
        );
        assert_eq!(rows[1].name.as_deref(), Some("Plain"));
        assert_eq!(rows[1].count, None);
    }

    #[test]
    fn written_csv_reads_back() {
        #[derive(serde::Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Out {
            name: String,
            count: i32,
            tags: Vec<String>,
        }
        let written = to_csv(&Out {
            name: "say \"hi\", {x}".into(),
            count: 7,
            tags: vec!["a,b".into(), "c".into()],
        })
        .unwrap();
        let rows: Vec<Row> = from_csv(&written, 64).unwrap();
        assert_eq!(rows[0].name.as_deref(), Some("say \"hi\", {x}"));
        assert_eq!(rows[0].count, Some(7));
        assert_eq!(rows[0].tags, Some(vec!["a,b".into(), "c".into()]));
    }

    #[test]
    fn bad_cell_names_member() {
        let errors = from_csv::<Row>(b"Count\r\nmany\r\n", 64).unwrap_err();
        assert_eq!(errors.first().path, "Count");
    }
}
