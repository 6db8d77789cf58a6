//! The CRMs this service links to, starting with each one's settings schema and features.
//!
//! TODO: the HTTP clients for HostedSuite, OfficeRnd and Zoho and the sync engine that uses
//! them are not built yet; until then only the settings, their validation and `Status` exist.

mod schema;

pub use schema::{ConnectorSchema, SettingField};
