//! Who is calling, and which accounts they may see.

use serde::{Deserialize, Serialize};

/// The roles a login user can have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// Everything, in every account.
    SystemAdministrator,
    /// Full control inside the accounts they are given.
    Manager,
    /// Read access to one customer subtree of one account.
    Customer,
}

impl Role {
    /// The role's name on the wire and in the store.
    pub fn name(self) -> &'static str {
        match self {
            Role::SystemAdministrator => "SystemAdministrator",
            Role::Manager => "Manager",
            Role::Customer => "Customer",
        }
    }

    /// Parses a role name.
    pub fn from_name(name: &str) -> Option<Role> {
        [Role::SystemAdministrator, Role::Manager, Role::Customer]
            .into_iter()
            .find(|role| role.name() == name)
    }
}

/// An authenticated login user.
#[derive(Clone, Debug, PartialEq)]
pub struct Caller {
    pub user_id: String,
    pub user_name: String,
    pub display_name: Option<String>,
    pub email_address: Option<String>,
    pub roles: Vec<Role>,
    pub account_ids: Vec<String>,
    pub customer_id: Option<String>,
}

impl Caller {
    /// Whether the caller has `role`.
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// The accounts the caller may see.
    pub fn scope(&self) -> Scope {
        if self.has_role(Role::SystemAdministrator) {
            Scope::All
        } else {
            Scope::Accounts(self.account_ids.clone())
        }
    }
}

/// The accounts a query may touch; every store query is restricted by one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    All,
    Accounts(Vec<String>),
}

impl Scope {
    /// Whether an entity of `account_id` is visible.
    pub fn allows(&self, account_id: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Accounts(accounts) => accounts.iter().any(|account| account == account_id),
        }
    }
}
