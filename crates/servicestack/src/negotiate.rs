//! Choosing the response format, in ServiceStack's order of precedence.
//!
//! First match wins: a format suffix on the path (`/integrations/abc.xml`), `?callback=` (JSONP,
//! which is JSON), `?format=`, the predefined route's format (`/xml/reply/...`), then the
//! `Accept` header. With q-values equal, the order is json, xml, jsv, csv, html, jsonl. `*/*`
//! alone, or no `Accept` at all, gives the request body's format when it has one, otherwise JSON,
//! so only a request that names HTML (`text/html`, `?format=html`, `.html`) gets HTML.

use http::StatusCode;

use crate::error::ApiError;
use crate::format::Format;

/// The parts of a request that choose its response format.
#[derive(Clone, Copy, Debug, Default)]
pub struct FormatHints<'a> {
    pub path_suffix: Option<Format>,
    /// Whether the request names a JSONP callback.
    pub jsonp: bool,
    pub query_format: Option<&'a str>,
    pub route_format: Option<Format>,
    pub accept: Option<&'a str>,
    pub body_format: Option<Format>,
}

/// Picks the response format, or returns a 406 error when the request accepts nothing we write.
pub fn negotiate(hints: FormatHints<'_>) -> Result<Format, ApiError> {
    if let Some(format) = hints.path_suffix {
        return writable(format);
    }
    if hints.jsonp {
        return Ok(Format::Json);
    }
    if let Some(name) = hints.query_format.filter(|name| !name.is_empty()) {
        return match Format::from_name(name) {
            Some(format) => writable(format),
            None => Err(not_acceptable(&format!("format '{name}'"))),
        };
    }
    if let Some(format) = hints.route_format {
        return writable(format);
    }
    let fallback = hints
        .body_format
        .filter(|format| format.is_writable())
        .unwrap_or(Format::Json);
    match hints
        .accept
        .map(str::trim)
        .filter(|accept| !accept.is_empty())
    {
        None => Ok(fallback),
        Some(accept) => from_accept(accept, fallback),
    }
}

fn writable(format: Format) -> Result<Format, ApiError> {
    if format.is_writable() {
        Ok(format)
    } else {
        Err(not_acceptable(&format!("{format} responses")))
    }
}

fn not_acceptable(what: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_ACCEPTABLE,
        "NotAcceptable",
        format!(
            "This server cannot send {what}; it sends application/json, application/xml, \
             text/jsv, text/csv, text/html and text/jsonl (use ?format=json or another of \
             json, xml, jsv, csv, html, jsonl)."
        ),
    )
}

/// One media range of an `Accept` header with its quality.
struct MediaRange<'a> {
    media_type: &'a str,
    quality: f32,
}

fn parse_accept(accept: &str) -> impl Iterator<Item = MediaRange<'_>> {
    accept.split(',').filter_map(|range| {
        let mut parts = range.split(';');
        let media_type = parts.next()?.trim();
        if media_type.is_empty() {
            return None;
        }
        let quality = parts
            .filter_map(|parameter| {
                let (name, value) = parameter.split_once('=')?;
                name.trim()
                    .eq_ignore_ascii_case("q")
                    .then(|| value.trim().parse::<f32>().ok())
                    .flatten()
            })
            .next()
            .unwrap_or(1.0);
        Some(MediaRange {
            media_type,
            quality: if quality.is_finite() {
                quality.clamp(0.0, 1.0)
            } else {
                0.0
            },
        })
    })
}

fn from_accept(accept: &str, fallback: Format) -> Result<Format, ApiError> {
    // Each writable format gets the highest quality any range gives it; `*/*` only gives one
    // to the fallback, so it never overrides an explicit preference.
    let mut best: Option<(f32, usize, Format)> = None;
    for range in parse_accept(accept) {
        if range.quality <= 0.0 {
            continue;
        }
        for (rank, format) in Format::ALL.into_iter().enumerate() {
            if !format.is_writable() || !covers(range.media_type, format, fallback) {
                continue;
            }
            let better = match best {
                None => true,
                Some((quality, best_rank, _)) => {
                    range.quality > quality || (range.quality == quality && rank < best_rank)
                }
            };
            if better {
                best = Some((range.quality, rank, format));
            }
        }
    }
    match best {
        Some((_, _, format)) => Ok(format),
        None => Err(not_acceptable(&format!(
            "any of the types in 'Accept: {accept}'"
        ))),
    }
}

/// Whether `media_type` (possibly a wildcard) accepts `format`.
fn covers(media_type: &str, format: Format, fallback: Format) -> bool {
    if media_type == "*/*" || media_type == "*" {
        return format == fallback;
    }
    if let Some(kind) = media_type.strip_suffix("/*") {
        let essence = format.content_type().split(';').next().unwrap_or("");
        return essence
            .split('/')
            .next()
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case(kind));
    }
    Format::from_media_type(media_type) == Some(format)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(header: &str) -> Result<Format, ApiError> {
        negotiate(FormatHints {
            accept: Some(header),
            ..FormatHints::default()
        })
    }

    #[test]
    fn suffix_beats_everything() {
        let format = negotiate(FormatHints {
            path_suffix: Some(Format::Jsv),
            query_format: Some("json"),
            accept: Some("application/json"),
            ..FormatHints::default()
        });
        assert_eq!(format.unwrap(), Format::Jsv);
    }

    #[test]
    fn query_beats_route_and_accept() {
        let format = negotiate(FormatHints {
            query_format: Some("JSV"),
            route_format: Some(Format::Json),
            accept: Some("application/json"),
            ..FormatHints::default()
        });
        assert_eq!(format.unwrap(), Format::Jsv);
    }

    #[test]
    fn accept_honours_quality() {
        assert_eq!(
            accept("application/json;q=0.5, text/jsv").unwrap(),
            Format::Jsv
        );
        assert_eq!(
            accept("text/jsv;q=0.4, application/json;q=0.9").unwrap(),
            Format::Json
        );
    }

    #[test]
    fn equal_quality_prefers_json() {
        assert_eq!(accept("text/jsv, application/json").unwrap(), Format::Json);
    }

    #[test]
    fn wildcard_gives_body_format() {
        let format = negotiate(FormatHints {
            accept: Some("*/*"),
            body_format: Some(Format::Jsv),
            ..FormatHints::default()
        });
        assert_eq!(format.unwrap(), Format::Jsv);
        assert_eq!(accept("*/*").unwrap(), Format::Json);
    }

    #[test]
    fn unknown_types_are_not_acceptable() {
        let error = accept("image/png").unwrap_err();
        assert_eq!(error.status, StatusCode::NOT_ACCEPTABLE);
        assert_eq!(error.response_status.error_code, "NotAcceptable");
    }

    #[test]
    fn zero_quality_excludes_type() {
        assert!(accept("application/json;q=0").is_err());
    }

    #[test]
    fn jsonp_beats_query_and_accept() {
        let format = negotiate(FormatHints {
            jsonp: true,
            query_format: Some("xml"),
            accept: Some("application/xml"),
            ..FormatHints::default()
        });
        assert_eq!(format.unwrap(), Format::Json);
    }

    #[test]
    fn suffix_beats_jsonp() {
        let format = negotiate(FormatHints {
            path_suffix: Some(Format::Xml),
            jsonp: true,
            ..FormatHints::default()
        });
        assert_eq!(format.unwrap(), Format::Xml);
    }

    #[test]
    fn every_format_is_writable() {
        for format in Format::ALL {
            let chosen = negotiate(FormatHints {
                query_format: Some(format.name()),
                ..FormatHints::default()
            });
            assert_eq!(chosen.unwrap(), format);
        }
    }

    #[test]
    fn accept_picks_each_media_type() {
        let cases = [
            ("application/xml", Format::Xml),
            ("text/xml", Format::Xml),
            ("text/csv", Format::Csv),
            ("text/html", Format::Html),
            ("text/jsonl", Format::Jsonl),
        ];
        for (header, expected) in cases {
            assert_eq!(accept(header).unwrap(), expected, "{header}");
        }
    }

    #[test]
    fn html_only_when_named() {
        assert_eq!(accept("text/*").unwrap(), Format::Jsv);
        assert_eq!(accept("*/*").unwrap(), Format::Json);
        let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert_eq!(accept(browser).unwrap(), Format::Html);
    }

    #[test]
    fn wildcard_gives_xml_body_format() {
        let format = negotiate(FormatHints {
            accept: Some("*/*"),
            body_format: Some(Format::Xml),
            ..FormatHints::default()
        });
        assert_eq!(format.unwrap(), Format::Xml);
    }

    #[test]
    fn unknown_query_format_is_not_acceptable() {
        let error = negotiate(FormatHints {
            query_format: Some("yaml"),
            ..FormatHints::default()
        })
        .unwrap_err();
        assert_eq!(error.status, StatusCode::NOT_ACCEPTABLE);
    }
}
