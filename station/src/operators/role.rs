//! What each kind of account may do (clerk, technician, supervisor).

use serde::{Deserialize, Serialize};

/// An operator's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Runs enrolments at the counter.
    Clerk,
    /// Installs, checks and calibrates the devices.
    Technician,
    /// Manages accounts; may also enrol and calibrate.
    Supervisor,
}

impl Role {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Clerk => "clerk",
            Self::Technician => "technician",
            Self::Supervisor => "supervisor",
        }
    }

    /// Reads a stored word.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "clerk" => Some(Self::Clerk),
            "technician" => Some(Self::Technician),
            "supervisor" => Some(Self::Supervisor),
            _ => None,
        }
    }

    /// May run an enrolment.
    pub fn may_enrol(self) -> bool {
        matches!(self, Self::Clerk | Self::Supervisor)
    }

    /// May calibrate devices and read diagnostics.
    pub fn may_calibrate(self) -> bool {
        matches!(self, Self::Technician | Self::Supervisor)
    }

    /// May create accounts, unlock them and change the configuration.
    pub fn may_manage(self) -> bool {
        self == Self::Supervisor
    }
}
