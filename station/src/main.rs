//! `station`: the enrolment station's binary. Thin on purpose: parse the command line, set up
//! logging, hand over to [`station::cli`].

fn main() -> std::process::ExitCode {
    station::cli::main()
}
