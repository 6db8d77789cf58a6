//! The Evo Voice Integrations API server.
//!
//! - [`dto`]: the wire contract (request and response types);
//! - [`domain`]: validation, settings, ids and callers;
//! - [`store`]: persistence behind the [`store::Store`] trait;
//! - [`connectors`]: what each CRM needs;
//! - [`api`]: the operations and the HTTP router;
//! - [`server`]: configuration and start-up.

pub mod api;
pub mod connectors;
pub mod domain;
pub mod dto;
pub mod server;
pub mod store;
