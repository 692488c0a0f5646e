//! `station-demo`: the demo's binary. Thin on purpose: hand over to [`station_demo::cli`].

fn main() -> std::process::ExitCode {
    station_demo::cli::main()
}
