//! No import circle between the files of `station/src`.
//!
//! The graph's nodes are file-level modules: `src/desk/review.rs` is `desk::review`, a `mod.rs` is
//! its folder's module (`src/desk/mod.rs` is `desk`), `lib.rs` and `main.rs` are the crate root.
//! Inline modules (`mod tests { … }`) belong to their file.
//!
//! A file depends on a module when it names a path into it: `use crate::…`, `use super::…`,
//! `use self::…`, or the same paths written in the code (`crate::outbox::now_ms()`). A path is
//! resolved to the longest module it names (`crate::desk::core::Core` → `desk::core`). A name a
//! folder's `mod.rs` re-exports from one of its children (`pub use review::Receipt;`) resolves to
//! that child, so that `use super::Receipt` in a sibling depends on `review`, not on the folder.
//!
//! What does not count: `mod child;` declarations, and paths that start with a child module's own
//! name (`pub use child::Name;`, `child::f()`): a module owns its children, and a folder that lists
//! and re-exports them is not depending on them. Nor do a file naming itself, and paths in
//! comments or string literals. Everything else counts, `pub use super::…` and tests included: a
//! circle through a test module is still a circle between the files.
//!
//! The check fails naming each circle: a strongly connected component of more than one module,
//! found with Tarjan's algorithm, with the edges that close it.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

/// A module path such as `desk::review` (the crate root is the empty string).
type Module = String;

/// Module dependencies: each module and the modules it names.
type Graph = BTreeMap<Module, BTreeSet<Module>>;

#[test]
fn station_src_has_no_import_circle() {
    // IMPORT_GRAPH_SRC points the check at another tree (an older checkout, to compare).
    let src = std::env::var_os("IMPORT_GRAPH_SRC").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        PathBuf::from,
    );
    let graph = graph_of(&src);
    assert!(
        graph.len() > 20,
        "too few modules found: {:?}",
        graph.keys()
    );
    let circles = circles(&graph);
    assert!(
        circles.is_empty(),
        "{} import circle(s) in station/src (sizes {:?}):\n{}",
        circles.len(),
        circles.iter().map(Vec::len).collect::<Vec<_>>(),
        circles
            .iter()
            .map(|c| describe(&graph, c))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_circle_finder_finds_a_circle_and_only_a_circle() {
    let graph = |edges: &[(&str, &str)]| {
        let mut g = Graph::new();
        for (from, to) in edges {
            g.entry((*from).to_owned())
                .or_default()
                .insert((*to).to_owned());
            g.entry((*to).to_owned()).or_default();
        }
        g
    };
    let tree = graph(&[("a", "b"), ("b", "c"), ("a", "c"), ("d", "a")]);
    assert!(circles(&tree).is_empty());
    let circle = graph(&[("a", "b"), ("b", "c"), ("c", "a"), ("d", "a"), ("c", "e")]);
    assert_eq!(circles(&circle), vec![vec!["a", "b", "c"]]);
    let two = graph(&[("a", "b"), ("b", "a"), ("c", "d"), ("d", "c"), ("b", "c")]);
    assert_eq!(circles(&two), vec![vec!["a", "b"], vec!["c", "d"]]);
}

#[test]
fn paths_resolve_to_the_modules_they_name() {
    let modules: BTreeSet<Module> = ["", "desk", "desk::core", "desk::review", "outbox"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    let mut reexports = BTreeMap::new();
    reexports.insert(
        ("desk".to_owned(), "Receipt".to_owned()),
        "desk::review".to_owned(),
    );
    let source = "
        //! Uses crate::outbox::Outbox in a comment only.
        use super::{Receipt, core::{Core, Shared}};
        use crate::outbox;
        fn f() { let s = \"crate::nothing\"; crate::outbox::now_ms(); }
        mod tests { use super::*; }
    ";
    let found = dependencies("desk::other", &strip(source), &modules, &reexports);
    assert_eq!(
        found,
        ["desk::core", "desk::review", "outbox"]
            .into_iter()
            .map(str::to_owned)
            .collect::<BTreeSet<_>>()
    );
}

/// Reads every `.rs` file under `src` and builds the module graph.
fn graph_of(src: &Path) -> Graph {
    let mut files = Vec::new();
    collect(src, &mut files);
    let mut sources = BTreeMap::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("source file");
        sources.insert(module_of(src, file), strip(&text));
    }
    let modules: BTreeSet<Module> = sources.keys().cloned().collect();
    let mut reexports = BTreeMap::new();
    for (module, text) in &sources {
        for path in use_paths(text, true) {
            // `pub use child::Name;` in `module`: `module::Name` is `module::child`'s.
            let (Some(first), Some(last)) = (path.first(), path.last()) else {
                continue;
            };
            let child = join(module, first);
            if path.len() >= 2 && modules.contains(&child) && last != "*" {
                reexports.insert((module.clone(), last.clone()), child);
            }
        }
    }
    sources
        .iter()
        .map(|(module, text)| {
            (
                module.clone(),
                dependencies(module, text, &modules, &reexports),
            )
        })
        .collect()
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("source folder")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

fn module_of(src: &Path, file: &Path) -> Module {
    let relative = file.strip_prefix(src).expect("under src");
    let mut parts: Vec<String> = relative
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts.join("::")
}

fn join(module: &str, name: &str) -> Module {
    if module.is_empty() {
        name.to_owned()
    } else {
        format!("{module}::{name}")
    }
}

fn parent(module: &str) -> Module {
    module
        .rsplit_once("::")
        .map_or_else(String::new, |(p, _)| p.to_owned())
}

/// The source without comments and without the content of string and char literals.
fn strip(text: &str) -> String {
    let bytes: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let next = bytes.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < bytes.len() && bytes[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < bytes.len() {
                if bytes[i] == '/' && bytes.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if bytes[i] == '*' && bytes.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && !ident_before(&out) {
            // A raw string: r"…", r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while bytes.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if bytes.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= bytes.len() {
                    break;
                }
                if bytes[j] == '"' && (0..hashes).all(|k| bytes.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < bytes.len() && bytes[i] != '"' {
                if bytes[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' {
            // A char literal ('x', '\n', '\''), not a lifetime ('a).
            let end = if next == Some('\\') {
                (i + 2..bytes.len()).find(|&j| bytes[j] == '\'' && j > i + 2)
            } else if bytes.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(end) => {
                    out.push_str("' '");
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn ident_before(out: &str) -> bool {
    out.chars()
        .last()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// The paths of the `use` declarations (expanded: `a::{b, c::d}` gives `a::b` and `a::c::d`);
/// only the `pub use` ones with `public_only`.
fn use_paths(text: &str, public_only: bool) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    for (start, _) in text.match_indices("use ") {
        if start > 0 && ident_before(&text[..start]) {
            continue;
        }
        let before = text[..start].trim_end();
        let is_pub = before.ends_with("pub") || before.ends_with(')') && before.contains("pub(");
        if public_only && !is_pub {
            continue;
        }
        let Some(end) = text[start..].find(';') else {
            continue;
        };
        // An alias (`Reader as R`) is marked before the spaces go.
        let tree: String = text[start + 4..start + end]
            .replace(" as ", "@")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        expand(&tree, &mut Vec::new(), &mut paths);
    }
    paths
}

/// Expands a use tree written without spaces.
fn expand(tree: &str, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let tree = tree.trim_start_matches("::");
    if let Some(open) = tree.find('{')
        && tree[..open].find(',').is_none()
    {
        let head: Vec<String> = tree[..open]
            .split("::")
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let close = tree.rfind('}').unwrap_or(tree.len());
        let inner = &tree[open + 1..close];
        let depth = prefix.len();
        prefix.extend(head);
        for item in split_top(inner) {
            expand(item, prefix, out);
        }
        prefix.truncate(depth);
        return;
    }
    if tree.is_empty() {
        return;
    }
    let item = tree.split('@').next().unwrap_or(tree);
    let mut path = prefix.clone();
    path.extend(
        item.split("::")
            .filter(|s| !s.is_empty())
            .map(str::to_owned),
    );
    // `self` inside braces names the prefix itself.
    if path.last().is_some_and(|s| s == "self") && path.len() > 1 {
        path.pop();
    }
    out.push(path);
}

fn split_top(inner: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    items
}

/// Every `crate::…`, `super::…` and `self::…` path written in the code outside `use`
/// declarations, with the inline module it is written in.
fn code_paths(text: &str) -> Vec<(Vec<String>, Vec<String>)> {
    let mut found = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    let mut in_use = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '{' {
            depth += 1;
        } else if c == '}' {
            depth = depth.saturating_sub(1);
            if inline.last().is_some_and(|(_, d)| *d == depth) {
                inline.pop();
            }
        } else if c == ';' {
            in_use = false;
        }
        let at_word = i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
        if at_word && (c.is_alphabetic() || c == '_') {
            let mut j = i;
            while j < chars.len()
                && (chars[j].is_alphanumeric() || chars[j] == '_' || chars[j] == ':')
            {
                j += 1;
            }
            let word: String = chars[i..j].iter().collect();
            if word == "use" {
                in_use = true;
            } else if word == "mod" {
                // `mod name {` opens an inline module.
                let rest: String = chars[j..chars.len().min(j + 80)].iter().collect();
                let rest = rest.trim_start();
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if rest[name.len()..].trim_start().starts_with('{') {
                    inline.push((name, depth));
                }
            } else if !in_use
                && (word.starts_with("crate::")
                    || word.starts_with("super::")
                    || word.starts_with("self::"))
            {
                let path: Vec<String> = word
                    .split("::")
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect();
                found.push((inline.iter().map(|(n, _)| n.clone()).collect(), path));
            }
            i = j;
            continue;
        }
        i += 1;
    }
    found
}

/// The `use` declarations with the inline module each is written in.
fn scoped_use_paths(text: &str) -> Vec<(Vec<String>, Vec<String>)> {
    // Inline modules are found by the same walk as code paths: cut the text at each inline
    // `mod name {` and attribute the uses inside it.
    let mut scoped = Vec::new();
    let mut rest = text;
    // One level of inline module (the files' `mod tests`) is enough for this crate.
    while let Some((start, brace, name)) = find_inline_mod(rest) {
        let (before, after) = rest.split_at(start);
        for p in use_paths(before, false) {
            scoped.push((Vec::new(), p));
        }
        let body_end = matching_brace(after, brace - start).unwrap_or(after.len());
        for p in use_paths(&after[..body_end], false) {
            scoped.push((vec![name.clone()], p));
        }
        rest = &after[body_end..];
    }
    for p in use_paths(rest, false) {
        scoped.push((Vec::new(), p));
    }
    scoped
}

/// The next inline module: (start of `mod`, position of its `{`, name).
fn find_inline_mod(text: &str) -> Option<(usize, usize, String)> {
    let mut from = 0;
    while let Some(found) = text[from..].find("mod ") {
        let start = from + found;
        from = start + 4;
        if start > 0 && ident_before(&text[..start]) {
            continue;
        }
        let rest = &text[start + 4..];
        let name: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let after_name = rest.trim_start()[name.len()..].trim_start();
        if !name.is_empty() && after_name.starts_with('{') {
            let brace = text.len() - after_name.len();
            return Some((start, brace, name));
        }
    }
    None
}

fn matching_brace(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in text[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// The modules `module`'s source depends on (itself and its inline modules left out).
fn dependencies(
    module: &str,
    text: &str,
    modules: &BTreeSet<Module>,
    reexports: &BTreeMap<(Module, String), Module>,
) -> BTreeSet<Module> {
    let mut found = BTreeSet::new();
    let mut paths = scoped_use_paths(text);
    paths.extend(code_paths(text));
    for (scope, path) in paths {
        let Some(first) = path.first() else { continue };
        // The module the path is written in: the file's, or an inline module inside it.
        let mut base = module.to_owned();
        for inline in &scope {
            base = join(&base, inline);
        }
        let mut rest = &path[..];
        let mut at = match first.as_str() {
            "crate" => {
                rest = &path[1..];
                String::new()
            }
            "super" | "self" => {
                let mut at = base.clone();
                while let Some(step) = rest.first() {
                    match step.as_str() {
                        "super" => at = parent(&at),
                        "self" => {}
                        _ => break,
                    }
                    rest = &rest[1..];
                }
                at
            }
            _ => continue,
        };
        for name in rest {
            let next = join(&at, name);
            if modules.contains(&next) {
                at = next;
            } else if let Some(child) = reexports.get(&(at.clone(), name.clone())) {
                at = child.clone();
                break;
            } else {
                break;
            }
        }
        // A path into this file (or one of its inline modules) is no dependency.
        if at == module || at.starts_with(&format!("{module}::")) && !modules.contains(&at) {
            continue;
        }
        if !modules.contains(&at) {
            continue;
        }
        found.insert(at);
    }
    found
}

/// The graph's circles: each strongly connected component of more than one module (Tarjan),
/// its modules sorted, the circles sorted.
fn circles(graph: &Graph) -> Vec<Vec<String>> {
    struct Tarjan<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        next: usize,
        found: Vec<Vec<String>>,
    }
    impl<'g> Tarjan<'g> {
        fn visit(&mut self, v: &'g str) {
            self.index.insert(v, self.next);
            self.low.insert(v, self.next);
            self.next += 1;
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.graph.get(v).into_iter().flatten() {
                let w = w.as_str();
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v, low);
                } else if self.on_stack.contains(w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    component.push(w.to_owned());
                    if w == v {
                        break;
                    }
                }
                let looped = self.graph.get(v).is_some_and(|e| e.contains(v));
                if component.len() > 1 || looped {
                    component.sort();
                    self.found.push(component);
                }
            }
        }
    }
    let mut tarjan = Tarjan {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !tarjan.index.contains_key(v.as_str()) {
            tarjan.visit(v);
        }
    }
    tarjan.found.sort();
    tarjan.found
}

/// A circle and the edges that make it, for the failure message.
fn describe(graph: &Graph, circle: &[String]) -> String {
    let members: BTreeSet<&String> = circle.iter().collect();
    let edges: Vec<String> = circle
        .iter()
        .flat_map(|from| {
            graph[from]
                .iter()
                .filter(|to| members.contains(to))
                .map(move |to| format!("  {from} → {to}"))
        })
        .collect();
    format!("circle of {}:\n{}", circle.len(), edges.join("\n"))
}
