//! The layout is an invariant too: the kernel knows no domain.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_kernel_contains_no_word_of_the_assistant_and_imports_no_domain() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("core/src"), &mut files);
    assert!(files.len() > 10, "core/src was read");
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap().to_lowercase();
        for word in text.split(|c: char| !c.is_alphanumeric() && c != '_') {
            assert!(
                !matches!(
                    word,
                    "chat" | "task" | "tasks" | "plan" | "plans" | "summary" | "planner" | "microcos_assistant"
                ),
                "{} mentions `{word}`: the kernel knows no domain",
                file.display()
            );
        }
    }
    let manifest = std::fs::read_to_string(root.join("core/Cargo.toml")).unwrap();
    for other in ["microcos-assistant", "microcos-host", "microcos-memory"] {
        assert!(!manifest.contains(other), "core/Cargo.toml depends on {other}");
    }
}
