//! The repository's text must make sense to someone who has only the repository: no pointer to an
//! issue tracker, to a developer's machine, or to a file that is not here.
//!
//! The test walks the workspace (the parent of this crate) over `.rs`, `.md`, `.toml`, `.sh`,
//! `.yml`, `.yaml` and `.txt` files. It skips every `target/` and `.git`, `docs/screenshots/` and
//! `docs/images/`, `vendor/` (third-party code) except our own `vendor/*/CHANGES-HERE.md`, any file
//! that is not UTF-8, and this file (whose tests quote the very lines the rules flag).
//!
//! Every line is checked, code as well as comments: telling Rust, YAML, TOML and shell comments
//! apart is not worth it while no code line needs one of these texts. Temporary paths built at run
//! time (`tempfile`, `std::env::temp_dir()`) never appear literally, and `/tmp/...` is not flagged:
//! in a command example it is the reader's choice, not a pointer to someone's files. A line is
//! reported as `file:line: what` when it holds:
//!
//! - an issue reference: the word `issue` or `issues` followed by a number (`issue 7`, `Issue #12`,
//!   `issues 12 and 13`), or a bare `#` and one to five digits that starts a word and ends one
//!   (`see #12`). Not flagged: `#[derive]`, `#![…]`, `r#"`, headings (`## 1.`), format specifiers
//!   (`{:#04x}`, where `#` follows `:`), `PKCS#8` (a letter before `#`) and colours (`#1e1e1e`, or
//!   six digits). Say why the text is there instead of where it was asked for;
//! - an absolute path of a developer's machine: `/work/`, `/home/`, `/Users/`, `/root/` (when the
//!   `/` does not continue a word or a URL, so `https://example.org/home/` passes) or `C:\`;
//! - a citation of the shared folder the project started from (`shared/reference`, `shared/tools`,
//!   `shared/data`) or of `ARCHITECTURE.md` (the architecture is `docs/architecture.md`);
//! - a reference note of `docs/reference/` named without that folder (`counter-workflow.md` alone),
//!   outside `docs/reference/` itself;
//! - a repository path to a Markdown file (`docs/central-api.md`) that does not exist.

use std::path::{Path, PathBuf};

/// Extensions of the files read.
const EXTENSIONS: &[&str] = &["rs", "md", "toml", "sh", "yml", "yaml", "txt"];

/// Folders never read, wherever they are (build output, e.g. `drivers/fuzz/target`, and git's).
const SKIPPED_FOLDER_NAMES: &[&str] = &["target", ".git"];

/// Folders (relative to the workspace root) never read: pictures only.
const SKIPPED_FOLDERS: &[&str] = &["docs/screenshots", "docs/images"];

/// This file, relative to the workspace root.
const THIS_FILE: &str = "tests/tests/repository_hygiene.rs";

/// Where the reference notes live.
const REFERENCE_FOLDER: &str = "docs/reference";

/// Folders of the shared folder the project started from, which is not in the repository.
const SHARED_FOLDERS: &[&str] = &["shared/reference", "shared/tools", "shared/data"];

/// Absolute paths that only exist on some developer's machine.
const MACHINE_PATHS: &[&str] = &["/work/", "/home/", "/Users/", "/root/"];

/// What the rules need to know about the repository besides the line itself.
struct Repository {
    /// The workspace root.
    root: PathBuf,
    /// File names of the notes in `docs/reference/` (`counter-workflow.md`, …).
    reference_notes: Vec<String>,
}

impl Repository {
    fn open(root: PathBuf) -> Self {
        let mut reference_notes: Vec<String> = std::fs::read_dir(root.join(REFERENCE_FOLDER))
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|entry| entry.file_name().to_string_lossy().into_owned())
                    .filter(|name| name.ends_with(".md") && name != "README.md")
                    .collect()
            })
            .unwrap_or_default();
        reference_notes.sort();
        Self {
            root,
            reference_notes,
        }
    }
}

/// Every problem on one line of `file` (a path relative to the workspace root, with `/`).
fn problems(repository: &Repository, file: &str, line: &str) -> Vec<String> {
    let mut found = Vec::new();
    if let Some(reference) = issue_reference(line) {
        found.push(format!(
            "issue reference `{reference}`: say why instead of where it was asked"
        ));
    }
    if let Some(path) = machine_path(line) {
        found.push(format!(
            "absolute path of a developer's machine `{path}`: use a repository-relative path"
        ));
    }
    for folder in SHARED_FOLDERS {
        if line.contains(folder) {
            found.push(format!(
                "cites `{folder}`, outside the repository (the notes are in `{REFERENCE_FOLDER}/`)"
            ));
        }
    }
    if line.contains("ARCHITECTURE.md") {
        found
            .push("cites `ARCHITECTURE.md`: the architecture is `docs/architecture.md`".to_owned());
    }
    if !file.starts_with(REFERENCE_FOLDER) {
        for note in &repository.reference_notes {
            if cites_without_folder(line, note) {
                found.push(format!(
                    "cites `{note}` without its folder: `{REFERENCE_FOLDER}/{note}`"
                ));
            }
        }
    }
    for cited in markdown_paths(line) {
        if !repository.root.join(&cited).is_file() {
            found.push(format!("cites `{cited}`, which is not in the repository"));
        }
    }
    found
}

/// The first issue reference on the line, as written.
fn issue_reference(line: &str) -> Option<String> {
    let lower = line.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    for (start, _) in lower.match_indices("issue") {
        if start > 0 && is_word_byte(bytes[start - 1]) {
            continue;
        }
        let mut at = start + "issue".len();
        if bytes.get(at) == Some(&b's') {
            at += 1;
        }
        while bytes.get(at) == Some(&b' ') {
            at += 1;
        }
        if bytes.get(at) == Some(&b'#') {
            at += 1;
        }
        let digits = count_digits(&bytes[at.min(bytes.len())..]);
        if digits > 0 {
            return Some(line[start..at + digits].to_owned());
        }
    }
    for (start, _) in line.match_indices('#') {
        let before_ok = start == 0 || matches!(bytes[start - 1], b' ' | b'\t' | b'(' | b'[' | b',');
        let digits = count_digits(&bytes[start + 1..]);
        let after_ok = bytes
            .get(start + 1 + digits)
            .is_none_or(|&after| !is_word_byte(after));
        if before_ok && (1..=5).contains(&digits) && after_ok {
            return Some(line[start..start + 1 + digits].to_owned());
        }
    }
    None
}

/// The first absolute path of a developer's machine on the line.
fn machine_path(line: &str) -> Option<String> {
    let bytes = line.as_bytes();
    for prefix in MACHINE_PATHS {
        for (start, _) in line.match_indices(prefix) {
            // `https://host/home/` or `a/work/` continue a path or URL: not a machine path.
            let continues = start > 0
                && (is_word_byte(bytes[start - 1]) || b"./-~:".contains(&bytes[start - 1]));
            if !continues {
                let end = line[start..]
                    .find(|c: char| c.is_whitespace() || "`'\")>,".contains(c))
                    .map_or(line.len(), |length| start + length);
                return Some(line[start..end].to_owned());
            }
        }
    }
    line.find("C:\\").map(|_| "C:\\".to_owned())
}

/// Whether `note` (a file name) appears on the line without `docs/reference/` before it.
fn cites_without_folder(line: &str, note: &str) -> bool {
    let bytes = line.as_bytes();
    line.match_indices(note).any(|(start, _)| {
        let part_of_longer_name =
            start > 0 && (is_word_byte(bytes[start - 1]) || bytes[start - 1] == b'-');
        !part_of_longer_name && !line[..start].ends_with("docs/reference/")
    })
}

/// Repository paths to Markdown files on the line (`docs/record-format.md`), found as runs of path
/// characters that hold a `/` and end in `.md`. URLs (`https://…`) and relative paths (`../x.md`)
/// are left alone: the first are not in the repository, the second depend on the reader's folder.
fn markdown_paths(line: &str) -> Vec<String> {
    line.split(|c: char| !(c.is_ascii_alphanumeric() || "_./-".contains(c)))
        .filter(|token| {
            token.contains('/')
                && token.ends_with(".md")
                && !token.starts_with('/')
                && !token.starts_with('.')
        })
        .filter(|token| {
            // A URL splits at `:`; its host part ends in a domain, e.g. `github.com/owner/README.md`.
            let first = token.split('/').next().unwrap_or_default();
            !first.contains('.')
        })
        .map(str::to_owned)
        .collect()
}

fn count_digits(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .take_while(|byte| byte.is_ascii_digit())
        .count()
}

fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// Files to read, relative to `root`, sorted.
fn files_to_check(root: &Path) -> Vec<String> {
    let mut files = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            let Ok(relative) = path.strip_prefix(root) else {
                continue;
            };
            let relative = relative.to_string_lossy().replace('\\', "/");
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                let name = entry.file_name();
                let skipped = SKIPPED_FOLDER_NAMES.iter().any(|skip| name == *skip)
                    || SKIPPED_FOLDERS.contains(&relative.as_str());
                if !skipped {
                    folders.push(path);
                }
            } else if kind.is_file() && wanted(&relative) {
                files.push(relative);
            }
        }
    }
    files.sort();
    files
}

/// Whether a file (relative to the workspace root) is read.
fn wanted(relative: &str) -> bool {
    if relative == THIS_FILE {
        return false;
    }
    if relative.starts_with("vendor/") {
        return relative.ends_with("/CHANGES-HERE.md");
    }
    Path::new(relative)
        .extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| EXTENSIONS.contains(&extension))
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits in the workspace")
        .to_path_buf()
}

#[test]
fn the_repository_points_only_inside_itself() {
    let repository = Repository::open(workspace_root());
    assert!(
        !repository.reference_notes.is_empty(),
        "no notes found in {REFERENCE_FOLDER}/"
    );
    let files = files_to_check(&repository.root);
    assert!(
        files.iter().any(|file| file == "README.md") && files.len() > 100,
        "the walk found too little ({} files): is the root right?",
        files.len()
    );
    let mut report = Vec::new();
    for file in &files {
        let Ok(text) = std::fs::read_to_string(repository.root.join(file)) else {
            continue; // not UTF-8: not text we write
        };
        for (number, line) in text.lines().enumerate() {
            for problem in problems(&repository, file, line) {
                report.push(format!("{file}:{}: {problem}", number + 1));
            }
        }
    }
    assert!(
        report.is_empty(),
        "{} problem(s):\n{}",
        report.len(),
        report.join("\n")
    );
}

#[cfg(test)]
mod rules {
    use super::*;

    fn repository() -> Repository {
        Repository {
            root: workspace_root(),
            reference_notes: vec![
                "counter-workflow.md".to_owned(),
                "zfm-fingerprint-protocol.md".to_owned(),
            ],
        }
    }

    fn flagged(file: &str, line: &str) -> bool {
        !problems(&repository(), file, line).is_empty()
    }

    #[test]
    fn issue_references_are_flagged() {
        for line in [
            "//! Handover (remise, issue 7, part 4): fetch the reference templates",
            "# issue 5: RSS with 10,000 queued records",
            "/// Issue 5's goal for the queued phase.",
            "see Issue #12 for the details",
            "(issues 12 and 13)",
            "fixed in #12.",
            "#12 asks for it",
            "(#3)",
            "[#45]",
            "ISSUE 3",
        ] {
            assert!(flagged("station/src/x.rs", line), "not flagged: {line}");
        }
    }

    #[test]
    fn things_that_only_look_like_issue_references_pass() {
        for line in [
            "#[derive(Debug, Clone)]",
            "#![allow(clippy::unwrap_used)]",
            r##"let text = r#"{"a": 1}"#;"##,
            "## 1. ISO/IEC 19794-4:2005 finger image record",
            "# 2 people",
            r#"format!("code {code:#04x}")"#,
            r#"write!(f, "{:#010x}", address)"#,
            "File holding the receipt-signing Ed25519 key as PKCS#8.",
            "background: #1e1e1e; border: #123456;",
            "colour = \"#FFFFFF\"",
            "    #3fa9f5",
            "the issues we hit were timing ones",
            "an issue, 3 times",
            "tissue 3",
            "${#need[@]}",
            "this module has no open issues",
        ] {
            assert!(
                !flagged("station/src/x.rs", line),
                "flagged: {line}: {:?}",
                problems(&repository(), "station/src/x.rs", line)
            );
        }
    }

    #[test]
    fn machine_paths_are_flagged() {
        for line in [
            "//! Shapes agreed in /work/interfaces.md",
            "see `/home/alice/notes.txt`",
            "(/Users/bob/Desktop/x.png)",
            "cp x /root/.cargo",
            r"open C:\Users\x",
        ] {
            assert!(flagged("docs/x.md", line), "not flagged: {line}");
        }
    }

    #[test]
    fn paths_that_are_not_a_machine_path_pass() {
        for line in [
            "`station selftest --data-dir /tmp/selftest20`",
            "https://example.org/home/index.html",
            "station/work/queue.rs",
            "the crates' home/work split",
            "let dir = std::env::temp_dir().join(\"x\");",
        ] {
            assert!(!flagged("docs/x.md", line), "flagged: {line}");
        }
    }

    #[test]
    fn citations_outside_the_repository_are_flagged() {
        for line in [
            "//! Protocol facts: `shared/reference/vc0706-camera-protocol.md`.",
            "(ARCHITECTURE.md, \"Threads and channels in the app\")",
            "through `../shared/tools/nfiq2-ref` (not used by tests or CI)",
            "gallery docs/images/fingerprints ../shared/data/nfiq2-examples",
            "/// (counter-workflow.md, \"The pre-request check\").",
            "zfm-fingerprint-protocol.md \"Registers for SetSysPara\"",
            "the contract is in docs/interfaces.md",
        ] {
            assert!(flagged("station/src/x.rs", line), "not flagged: {line}");
        }
    }

    #[test]
    fn citations_inside_the_repository_pass() {
        for line in [
            "//! (`docs/reference/counter-workflow.md`, \"The pre-request check\").",
            "see docs/architecture.md, \"Threads\"",
            "see docs/record-format.md and docs/central-api.md",
            "https://github.com/owner/repo/blob/main/README.md",
            "the old-counter-workflow.md draft",
        ] {
            assert!(
                !flagged("station/src/x.rs", line),
                "flagged: {line}: {:?}",
                problems(&repository(), "station/src/x.rs", line)
            );
        }
        // The notes may name each other without the folder.
        assert!(!flagged(
            "docs/reference/README.md",
            "| `counter-workflow.md` | facts |"
        ));
    }

    #[test]
    fn vendor_code_is_skipped_but_our_changes_note_is_read() {
        assert!(!wanted("vendor/fprint-bozorth3/src/lib.rs"));
        assert!(wanted("vendor/fprint-bozorth3/CHANGES-HERE.md"));
        assert!(wanted("station/locales/ui.yml"));
        assert!(wanted("scripts/screenshots.sh"));
        assert!(!wanted("docs/screenshots/1280x800/00-setup.png"));
        assert!(!wanted(THIS_FILE));
    }
}
