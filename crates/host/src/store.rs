//! The `[store]` section: where stateful rules keep their state.

use std::time::Duration;

use serde::Deserialize;

/// The environment variable naming the DynamoDB table; it overrides
/// `table`, and selects DynamoDB when `type` is not set.
pub const STORE_TABLE_ENV: &str = "CHIMEFLOW_STORE_TABLE";

/// The environment variable that overrides `type` (`memory` or
/// `dynamodb`): what `chimeflow local` sets for the processor it runs.
pub const STORE_TYPE_ENV: &str = "CHIMEFLOW_STORE";

/// The `[store]` section, as written:
///
/// ```toml
/// [store]
/// type = "dynamodb"        # or "memory"; default: dynamodb when CHIMEFLOW_STORE_TABLE is set
/// table = "moderation"     # CHIMEFLOW_STORE_TABLE overrides it
/// budget = "50ms"          # the longest a message waits for its facts
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StoreSettings {
    /// `memory` or `dynamodb`; unset: dynamodb when the table variable is
    /// set, else memory.
    #[serde(rename = "type")]
    pub kind: Option<StoreKind>,
    /// The DynamoDB table.
    pub table: Option<String>,
    /// The longest a message waits for its facts.
    #[serde(with = "chimeflow_core::duration_str")]
    pub budget: Duration,
}

impl Default for StoreSettings {
    fn default() -> Self {
        Self {
            kind: None,
            table: None,
            budget: Duration::from_millis(50),
        }
    }
}

/// Which store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoreKind {
    /// One process's memory.
    Memory,
    /// One DynamoDB table.
    Dynamodb,
}

/// The store to build, settled against the environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResolvedStore {
    /// One process's memory; `explicit` when the configuration asked for it
    /// by name (a processor on Lambda refuses the implicit one for stateful
    /// rules: per-instance counts are not a shared truth).
    Memory {
        /// Whether `type = "memory"` was written.
        explicit: bool,
    },
    /// A DynamoDB table.
    Dynamodb {
        /// Its name.
        table: String,
    },
}

impl StoreSettings {
    /// Settles the store: `table_env` (the value of `CHIMEFLOW_STORE_TABLE`,
    /// when set and not empty) overrides `table`, and selects DynamoDB when
    /// `type` is not set. DynamoDB without a table is an error.
    ///
    /// ```
    /// use chimeflow_host::{ResolvedStore, StoreKind, StoreSettings};
    ///
    /// let unset = StoreSettings::default();
    /// assert_eq!(unset.resolve(None), Ok(ResolvedStore::Memory { explicit: false }));
    /// assert_eq!(
    ///     unset.resolve(Some("t".into())),
    ///     Ok(ResolvedStore::Dynamodb { table: "t".into() })
    /// );
    /// let dynamodb = StoreSettings { kind: Some(StoreKind::Dynamodb), ..Default::default() };
    /// assert!(dynamodb.resolve(None).is_err());
    /// ```
    pub fn resolve(&self, table_env: Option<String>) -> Result<ResolvedStore, String> {
        let table = table_env
            .filter(|t| !t.is_empty())
            .or_else(|| self.table.clone().filter(|t| !t.is_empty()));
        match (self.kind, table) {
            (Some(StoreKind::Memory), _) => Ok(ResolvedStore::Memory { explicit: true }),
            (Some(StoreKind::Dynamodb) | None, Some(table)) => {
                Ok(ResolvedStore::Dynamodb { table })
            }
            (None, None) => Ok(ResolvedStore::Memory { explicit: false }),
            (Some(StoreKind::Dynamodb), None) => Err(format!(
                "[store] type = \"dynamodb\" needs a table: set `table` or {STORE_TABLE_ENV}"
            )),
        }
    }

    /// The longest budget: a message waiting longer for its facts than
    /// this is waiting for nothing a chat user would accept.
    pub const MAX_BUDGET: Duration = Duration::from_secs(30);

    /// Checks what can be checked without the environment: the budget is
    /// between 1 ms and [`MAX_BUDGET`](Self::MAX_BUDGET).
    pub fn check(&self) -> Result<(), String> {
        if self.budget < Duration::from_millis(1) || self.budget > Self::MAX_BUDGET {
            return Err("must be between \"1ms\" and \"30s\"".into());
        }
        Ok(())
    }

    /// [`resolve`](Self::resolve) with the process's environment:
    /// `CHIMEFLOW_STORE` overrides `type`, `CHIMEFLOW_STORE_TABLE` `table`.
    pub fn resolve_env(&self) -> Result<ResolvedStore, String> {
        self.with_type_override(std::env::var(STORE_TYPE_ENV).ok().as_deref())?
            .resolve(std::env::var(STORE_TABLE_ENV).ok())
    }

    /// These settings with `type` replaced by `kind` (`memory` or
    /// `dynamodb`) when it is set and not empty.
    ///
    /// ```
    /// use chimeflow_host::{StoreKind, StoreSettings};
    ///
    /// let settings = StoreSettings::default().with_type_override(Some("memory")).unwrap();
    /// assert_eq!(settings.kind, Some(StoreKind::Memory));
    /// assert!(StoreSettings::default().with_type_override(Some("redis")).is_err());
    /// ```
    pub fn with_type_override(&self, kind: Option<&str>) -> Result<Self, String> {
        let kind = match kind.map(str::trim) {
            None | Some("") => self.kind,
            Some("memory") => Some(StoreKind::Memory),
            Some("dynamodb") => Some(StoreKind::Dynamodb),
            Some(other) => {
                return Err(format!(
                    "{STORE_TYPE_ENV} must be memory or dynamodb, not {other:?}"
                ));
            }
        };
        Ok(Self {
            kind,
            ..self.clone()
        })
    }
}
