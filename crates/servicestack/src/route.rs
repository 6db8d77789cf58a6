//! Route templates such as `/integrations/{IntegrationId}/log`, matched the ServiceStack way.
//!
//! Literal segments match ignoring ASCII case, a trailing slash does not change the match, and
//! when several templates match a path the one with the most literal segments wins.

use http::Method;

/// One segment of a route template.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Variable(String),
}

/// A parsed route template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteTemplate {
    template: &'static str,
    segments: Vec<Segment>,
}

impl RouteTemplate {
    /// Parses a template of `/`-separated literals and `{Name}` variables.
    ///
    /// # Panics
    ///
    /// Panics on a template that does not start with `/` or has an unclosed `{`: templates are
    /// written in the source, so that is a programming error.
    pub fn parse(template: &'static str) -> RouteTemplate {
        assert!(
            template.starts_with('/'),
            "route template {template:?} must start with '/'"
        );
        let segments = split_path(template)
            .map(|segment| match segment.strip_prefix('{') {
                Some(rest) => {
                    let name = rest
                        .strip_suffix('}')
                        .unwrap_or_else(|| panic!("unclosed '{{' in route template {template:?}"));
                    Segment::Variable(name.to_owned())
                }
                None => Segment::Literal(segment.to_owned()),
            })
            .collect();
        RouteTemplate { template, segments }
    }

    /// The template text.
    pub fn as_str(&self) -> &'static str {
        self.template
    }

    /// The names of the template's variables, in order.
    pub fn variables(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|segment| match segment {
            Segment::Variable(name) => Some(name.as_str()),
            Segment::Literal(_) => None,
        })
    }

    fn literal_count(&self) -> usize {
        self.segments
            .iter()
            .filter(|segment| matches!(segment, Segment::Literal(_)))
            .count()
    }

    /// Matches decoded path segments, returning the variables' values.
    fn matches(&self, path: &[String]) -> Option<Variables> {
        if path.len() != self.segments.len() {
            return None;
        }
        let mut variables = Vec::new();
        for (segment, text) in self.segments.iter().zip(path) {
            match segment {
                Segment::Literal(literal) if literal.eq_ignore_ascii_case(text) => {}
                Segment::Literal(_) => return None,
                Segment::Variable(name) => variables.push((name.clone(), text.clone())),
            }
        }
        Some(variables)
    }
}

/// Splits a path into its non-empty segments, so `/a//b/` gives `a`, `b`.
pub fn split_path(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|segment| !segment.is_empty())
}

/// The values of a route's variables: (name, value) pairs in template order.
pub type Variables = Vec<(String, String)>;

/// The outcome of looking up a request in a [`RouteTable`].
#[derive(Debug, PartialEq, Eq)]
pub enum RouteMatch<T> {
    /// The route's target and its variables.
    Found(T, Variables),
    /// Some template matches the path, but none for this method.
    MethodNotAllowed,
    NotFound,
}

/// A table from (method, template) to a target such as an operation index.
#[derive(Clone, Debug)]
pub struct RouteTable<T> {
    routes: Vec<(Method, RouteTemplate, T)>,
}

impl<T> Default for RouteTable<T> {
    fn default() -> Self {
        RouteTable { routes: Vec::new() }
    }
}

impl<T: Clone> RouteTable<T> {
    /// Adds a route.
    pub fn add(&mut self, method: Method, template: &'static str, target: T) {
        self.routes
            .push((method, RouteTemplate::parse(template), target));
    }

    /// Finds the most specific route for `method` and the decoded `path` segments.
    pub fn lookup(&self, method: &Method, path: &[String]) -> RouteMatch<T> {
        let mut best: Option<(usize, &T, Variables)> = None;
        let mut path_matched = false;
        for (route_method, template, target) in &self.routes {
            let Some(variables) = template.matches(path) else {
                continue;
            };
            path_matched = true;
            if route_method != method {
                continue;
            }
            let literals = template.literal_count();
            if best.as_ref().is_none_or(|(score, _, _)| literals > *score) {
                best = Some((literals, target, variables));
            }
        }
        match best {
            Some((_, target, variables)) => RouteMatch::Found(target.clone(), variables),
            None if path_matched => RouteMatch::MethodNotAllowed,
            None => RouteMatch::NotFound,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segments(path: &str) -> Vec<String> {
        split_path(path).map(str::to_owned).collect()
    }

    fn table() -> RouteTable<&'static str> {
        let mut table = RouteTable::default();
        table.add(Method::GET, "/integrations", "ListIntegrations");
        table.add(Method::POST, "/integrations", "NewIntegration");
        table.add(
            Method::GET,
            "/integrations/{IntegrationId}",
            "GetIntegration",
        );
        table.add(Method::GET, "/integrations/authorize/callback", "Callback");
        table.add(Method::GET, "/integrations/{IntegrationId}/{Other}", "Pair");
        table
    }

    #[test]
    fn literals_ignore_case_and_trailing_slash() {
        let found = table().lookup(&Method::GET, &segments("/Integrations/"));
        assert_eq!(found, RouteMatch::Found("ListIntegrations", vec![]));
    }

    #[test]
    fn variables_keep_their_text() {
        let found = table().lookup(&Method::GET, &segments("/integrations/AbC.x"));
        assert_eq!(
            found,
            RouteMatch::Found(
                "GetIntegration",
                vec![("IntegrationId".to_owned(), "AbC.x".to_owned())]
            )
        );
    }

    #[test]
    fn most_literal_segments_win() {
        let found = table().lookup(&Method::GET, &segments("/integrations/authorize/callback"));
        assert_eq!(found, RouteMatch::Found("Callback", vec![]));
    }

    #[test]
    fn wrong_method_is_not_allowed() {
        let found = table().lookup(&Method::DELETE, &segments("/integrations"));
        assert_eq!(found, RouteMatch::MethodNotAllowed);
    }

    #[test]
    fn unknown_path_is_not_found() {
        let found = table().lookup(&Method::GET, &segments("/nothing/here/at/all"));
        assert_eq!(found, RouteMatch::NotFound);
    }
}
