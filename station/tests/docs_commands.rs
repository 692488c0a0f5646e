//! Every `station …` command the documentation shows is one the command line accepts: options in
//! the place clap wants them (`station outbox --config FILE status`), no misspelt subcommand.

use clap::Parser;
use clap::error::ErrorKind;
use station::cli::Cli;

/// The documents: the README and every page of `docs/`.
fn documents() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut found = vec![root.join("README.md")];
    for entry in std::fs::read_dir(root.join("docs")).expect("docs/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            found.push(path);
        }
    }
    found.sort();
    found
}

/// The command examples of `text`: `station …` in backquotes, and lines of shell code blocks that
/// start with `station ` (with their `\` continuations).
fn examples(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for piece in text.split('`').skip(1).step_by(2) {
        if piece.starts_with("station ") {
            found.push(piece.to_owned());
        }
    }
    let mut in_block = false;
    let mut pending: Option<String> = None;
    for line in text.lines() {
        if let Some(fence) = line.trim_start().strip_prefix("```") {
            // Shell blocks hold commands; others (TOML, diagrams) may name `station` in prose.
            in_block = !in_block && matches!(fence.trim(), "sh" | "bash" | "console" | "shell");
            continue;
        }
        if !in_block {
            continue;
        }
        let line = line.trim();
        let joined = match pending.take() {
            Some(start) => format!("{start} {line}"),
            None if line.starts_with("station ") => line.to_owned(),
            None => continue,
        };
        match joined.strip_suffix('\\') {
            Some(start) => pending = Some(start.trim_end().to_owned()),
            None => found.push(joined),
        }
    }
    found
}

/// The words of one example, its notation undone: `[--opt X]` taken, `a\|b` and `a/b` as `a`,
/// `...` and `…` dropped.
fn words(example: &str) -> Vec<String> {
    example
        .split_whitespace()
        .map(|w| w.trim_matches(|c| c == '[' || c == ']'))
        .map(|w| w.split("\\|").next().unwrap_or(w))
        .map(|w| {
            if w.contains("://") {
                w
            } else {
                w.split('/').next().unwrap_or(w)
            }
        })
        .map(|w| w.trim_end_matches("...").trim_end_matches('…'))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_documented_station_command_parses() {
    let mut wrong = Vec::new();
    let mut checked = 0;
    for path in documents() {
        let document = path.display();
        let text = std::fs::read_to_string(&path).expect("read the document");
        for example in examples(&text) {
            checked += 1;
            // A mention without its required options (`station provision`) is prose; an option in
            // the wrong place or a subcommand that does not exist is a wrong example.
            if let Err(error) = Cli::try_parse_from(words(&example))
                && matches!(
                    error.kind(),
                    ErrorKind::UnknownArgument | ErrorKind::InvalidSubcommand
                )
            {
                wrong.push(format!("{document}: `{example}`: {}", error.kind()));
            }
        }
    }
    assert!(checked > 20, "only {checked} examples found");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
