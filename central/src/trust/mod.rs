//! Trust between stations and the central (docs/central-api.md, "Trust"): the national CA that issues
//! every station's client certificate and the central's own server certificate, the TLS listener that
//! asks each connection for a client certificate, and the station a request comes from.

pub mod authority;
pub mod caller;
pub mod listener;
mod private_file;

pub use authority::{AuthorityError, IssuedCertificate, NationalCa};
pub use caller::{PeerCertificate, StationCaller};
