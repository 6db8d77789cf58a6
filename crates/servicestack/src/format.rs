//! The wire formats a ServiceStack host speaks, with their names and media types.

use std::fmt;

/// A wire format, named as in `?format=`, the `.ext` path suffix and `/{format}/reply/{Op}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Json,
    Jsv,
    Xml,
    Csv,
    Html,
    Jsonl,
}

impl Format {
    /// Every format, in the order used to break ties between equal `Accept` q-values.
    pub const ALL: [Format; 6] = [
        Format::Json,
        Format::Xml,
        Format::Jsv,
        Format::Csv,
        Format::Html,
        Format::Jsonl,
    ];

    /// The lowercase name used in URLs.
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Jsv => "jsv",
            Format::Xml => "xml",
            Format::Csv => "csv",
            Format::Html => "html",
            Format::Jsonl => "jsonl",
        }
    }

    /// Parses a format name, ignoring ASCII case.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL
            .into_iter()
            .find(|format| format.name().eq_ignore_ascii_case(name))
    }

    /// The `Content-Type` of a response in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json; charset=utf-8",
            Format::Jsv => "text/jsv; charset=utf-8",
            Format::Xml => "application/xml; charset=utf-8",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Html => "text/html; charset=utf-8",
            Format::Jsonl => "text/jsonl; charset=utf-8",
        }
    }

    /// Maps a media type (`application/json`, `text/jsv; charset=utf-8`, ...) to a format.
    ///
    /// Parameters after `;` and ASCII case are ignored.
    pub fn from_media_type(media_type: &str) -> Option<Format> {
        let essence = media_type.split(';').next().unwrap_or("").trim();
        let known: &[(&str, Format)] = &[
            ("application/json", Format::Json),
            ("text/json", Format::Json),
            ("text/jsv", Format::Jsv),
            ("application/jsv", Format::Jsv),
            ("application/xml", Format::Xml),
            ("text/xml", Format::Xml),
            ("text/csv", Format::Csv),
            ("text/html", Format::Html),
            ("text/jsonl", Format::Jsonl),
        ];
        known
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(essence))
            .map(|(_, format)| *format)
    }

    /// Returns whether the server can write responses in this format, which every format passes.
    pub fn is_writable(self) -> bool {
        true
    }

    /// Returns whether request bodies in this format can be read: JSON, JSV and XML can.
    pub fn is_readable(self) -> bool {
        matches!(self, Format::Json | Format::Jsv | Format::Xml | Format::Csv)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for format in Format::ALL {
            assert_eq!(Format::from_name(format.name()), Some(format));
        }
        assert_eq!(Format::from_name("JSV"), Some(Format::Jsv));
        assert_eq!(Format::from_name("yaml"), None);
    }

    #[test]
    fn media_types_ignore_parameters_and_case() {
        assert_eq!(
            Format::from_media_type("Application/JSON; charset=utf-8"),
            Some(Format::Json)
        );
        assert_eq!(Format::from_media_type("text/jsv"), Some(Format::Jsv));
        assert_eq!(
            Format::from_media_type("application/jsv"),
            Some(Format::Jsv)
        );
        assert_eq!(Format::from_media_type("text/plain"), None);
    }

    #[test]
    fn xml_has_two_media_types() {
        assert_eq!(Format::from_media_type("text/xml"), Some(Format::Xml));
        assert_eq!(
            Format::from_media_type("application/xml; charset=utf-8"),
            Some(Format::Xml)
        );
    }

    #[test]
    fn every_text_type_declares_utf8() {
        for format in Format::ALL {
            assert!(
                format.content_type().ends_with("; charset=utf-8"),
                "{format}"
            );
        }
    }
}
