//! Callers, their roles, and the scope of data each may see.

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
    pub const fn name(self) -> &'static str {
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
    /// The user's accounts and all their descendants, which a Manager may see.
    pub visible_account_ids: Vec<String>,
}

impl Caller {
    /// Whether the caller has `role`.
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// What the caller may see: everything, some accounts, or one customer subtree.
    pub fn scope(&self) -> Scope {
        if self.has_role(Role::SystemAdministrator) {
            return Scope::All;
        }
        if self.has_role(Role::Manager) {
            return Scope::Accounts(self.visible_account_ids.clone());
        }
        match (self.account_ids.as_slice(), &self.customer_id) {
            ([account_id], Some(customer_id)) if self.has_role(Role::Customer) => Scope::Customer {
                account_id: account_id.clone(),
                customer_id: customer_id.clone(),
            },
            // A user without a role, or a Customer without one account and a customer, gets an
            // empty scope.
            _ => Scope::Accounts(Vec::new()),
        }
    }
}

/// The data a query may touch. Every store query is restricted by one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    All,
    Accounts(Vec<String>),
    /// One customer and its descendants, in one account.
    Customer {
        account_id: String,
        customer_id: String,
    },
}
