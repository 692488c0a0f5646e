//! Rebuild when a translation file changes: rust-i18n reads `locales/*.yml` at compile time but
//! does not tell cargo to watch them.

fn main() {
    println!("cargo:rerun-if-changed=locales");
    println!("cargo:rerun-if-changed=build.rs");
}
