//! Rebuild when a template is added or removed: `include_dir!` alone only notices edits.
fn main() {
    println!("cargo:rerun-if-changed=templates");
}
