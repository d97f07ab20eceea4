//! Writes Rust code for what would otherwise be built at every start:
//!
//! - `$OUT_DIR/served_tables.rs`: the version tables of `src/validate/tables/` as static sorted
//!   arrays (read by `src/validate/served.rs`); building them as hash maps at start-up took
//!   more instructions than the rest of a `podsmith new`.
//! - `$OUT_DIR/schema_table.rs`: the schema table of the kinds without a typed object, as one
//!   static sorted array (read by `src/validate/table_schema.rs`).
//! - `$OUT_DIR/prebuilt_templates.rs`: the built-in templates, parsed with tera at build time,
//!   as code that rebuilds each syntax tree (read by `src/render/prebuilt.rs`).
//!
//! tera's parser costs about 1,500 instructions a byte of template, which made parsing the
//! templates most of what `podsmith new` spent; rebuilding the same tree from code costs a
//! small fraction of that. A template that does not parse fails the build, with tera's message.
//! The test `prebuilt::tests` checks that every rebuilt tree equals what tera parses from the
//! shipped text.
//!
//! Over 400 lines because a build script is one file: the writing of tera's syntax tree, one
//! function per node kind, is half of it.

use std::collections::HashMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use tera::ast::{Expr, ExprVal, Forloop, FunctionCall, If, Node, WS};

fn main() {
    served_tables();
    schema_table();
    prebuilt_templates();
    fixed_address_executable();
}

/// Links the `podsmith` executable at a fixed address (not position-independent) on Linux.
///
/// A position-independent executable carries about 18,000 relative relocations (tables of
/// pointers: vtables, string tables, the prebuilt templates, clap's command tree) that the
/// dynamic loader applies at every start, writing each page they sit on: 0.4 M of the 3.8 M
/// instructions of a `podsmith new`, and a copied page per written page. Linked at a fixed
/// address, the linker resolves them once. The trade-off is address-space randomisation of the
/// executable's own code and data (shared libraries, stack and heap stay randomised); podsmith
/// runs as a short-lived process on its user's own files, and forbids `unsafe` code.
/// Only the binary: tests and benches link as usual.
fn fixed_address_executable() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}

/// The package's folder, as Cargo gives it to this run: not `env!`, which would keep the folder
/// the script was compiled in, and read another checkout's files when a target folder is reused.
fn package_dir() -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
}

/// The rows of a generated table: tab-separated, `columns` columns, `#` comments. A row with
/// another number of columns fails the build.
fn rows(text: &str, columns: usize) -> Vec<Vec<&str>> {
    let rows: Vec<Vec<&str>> = text
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .map(|line| line.split('\t').collect())
        .collect();
    if let Some(row) = rows.iter().find(|row| row.len() != columns) {
        panic!("version table: a row without {columns} columns: {row:?}");
    }
    rows
}

/// A `Span` expression: an empty bound is the oldest or newest supported version.
fn span(first: &str, last: &str) -> String {
    let bound = |text: &str, default: &str| match text {
        "" => default.to_string(),
        number => number
            .parse::<u32>()
            .unwrap_or_else(|_| panic!("version table: `{number}` is not a minor version"))
            .to_string(),
    };
    format!(
        "Span {{ first: {}, last: {} }}",
        bound(first, "OLDEST_MINOR"),
        bound(last, "NEWEST_MINOR")
    )
}

fn served_tables() {
    let dir = package_dir().join("src/validate/tables");
    println!("cargo:rerun-if-changed=src/validate/tables");
    let read = |name: &str| {
        std::fs::read_to_string(dir.join(name))
            .unwrap_or_else(|error| panic!("cannot read src/validate/tables/{name}: {error}"))
    };
    let kinds = read("kinds.tsv");
    let mut code = String::from(
        "/// Every kind of every apiVersion, in table order.\nstatic KINDS: &[Kind] = &[\n",
    );
    for row in rows(&kinds, 5) {
        writeln!(
            code,
            "    Kind {{ api_version: {:?}, kind: {:?}, type_name: {:?}, span: {} }},",
            row[0],
            row[1],
            row[2],
            span(row[3], row[4])
        )
        .expect("writing to a String");
    }
    code.push_str("];\n\n/// (type, field name, field), sorted by type and name.\nstatic FIELDS: &[(&str, &str, Field)] = &[\n");
    let fields = read("fields.tsv");
    let mut rows = rows(&fields, 5);
    rows.sort_by(|a, b| (a[0], a[1]).cmp(&(b[0], b[1])));
    for pair in rows.windows(2) {
        assert!(
            (pair[0][0], pair[0][1]) != (pair[1][0], pair[1][1]),
            "fields.tsv lists {}.{} twice",
            pair[0][0],
            pair[0][1]
        );
    }
    for row in rows {
        writeln!(
            code,
            "    ({:?}, {:?}, Field {{ target: {:?}, span: {} }}),",
            row[0],
            row[1],
            row[2],
            span(row[3], row[4])
        )
        .expect("writing to a String");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("served_tables.rs"), code).expect("OUT_DIR is writable");
}

/// The schema table of the kinds without a typed object (`src/validate/tables/schemas.tsv`) as
/// one static array sorted by type, each type's fields in table order. Built as a hash map at
/// first use, it cost about 6 M instructions, more than validating one file.
fn schema_table() {
    println!("cargo:rerun-if-changed=src/validate/tables/schemas.tsv");
    let path = package_dir().join("src/validate/tables/schemas.tsv");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read src/validate/tables/schemas.tsv: {error}"));
    let mut rows = rows(&text, 6);
    if let Some(row) = rows.iter().find(|row| !matches!(row[3], "" | "yes")) {
        panic!("schemas.tsv: the required column holds `yes` or nothing: {row:?}");
    }
    // A stable sort: a field's stretches of versions stay in table order.
    rows.sort_by_key(|row| row[0]);
    let mut code = String::from(
        "/// (type, field name, field), sorted by type, each type's fields in table order.\n\
         static SCHEMA: &[(&str, &str, Field)] = &[\n",
    );
    for row in rows {
        writeln!(
            code,
            "    ({:?}, {:?}, Field {{ shape: {:?}, required: {}, span: {} }}),",
            row[0],
            row[1],
            row[2],
            row[3] == "yes",
            span(row[4], row[5])
        )
        .expect("writing to a String");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("schema_table.rs"), code).expect("OUT_DIR is writable");
}

fn prebuilt_templates() {
    println!("cargo:rerun-if-changed=templates");
    let root = package_dir().join("templates");
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let mut code = String::from(
        "/// A function that rebuilds one template's syntax tree.\n\
         pub(super) type Rebuild = fn() -> Vec<Node>;\n\n\
         /// Every built-in template's name and the function that rebuilds its syntax tree,\n\
         /// sorted by name.\n\
         pub(super) static TEMPLATES: &[(&str, Rebuild)] = &[\n",
    );
    for (index, (name, _)) in files.iter().enumerate() {
        writeln!(code, "    ({name:?}, template_{index}),").expect("writing to a String");
    }
    code.push_str("];\n");
    for (index, (name, path)) in files.iter().enumerate() {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
        let template = tera::Template::new(name, None, &text)
            .unwrap_or_else(|error| panic!("template `{name}` does not parse: {error:?}"));
        // Templates compose with `include` only; the prebuilt trees carry no inheritance or
        // macro tables.
        assert!(
            template.parent.is_none()
                && template.blocks.is_empty()
                && template.macros.is_empty()
                && template.imported_macro_files.is_empty(),
            "template `{name}` uses extends, block, macro or import, which podsmith's prebuilt \
             templates do not carry: compose templates with include"
        );
        write!(code, "\nfn template_{index}() -> Vec<Node> {{\n    ").expect("writing");
        nodes(&mut code, &template.ast);
        code.push_str("\n}\n");
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("prebuilt_templates.rs"), code).expect("OUT_DIR is writable");
}

/// Every `.tera` file under `dir` as (name relative to `root`, path).
fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()));
    for entry in entries {
        let path = entry.expect("a readable folder entry").path();
        if path.is_dir() {
            collect(root, &path, files);
        } else if path.extension().is_some_and(|e| e == "tera") {
            let name = path
                .strip_prefix(root)
                .expect("under templates/")
                .to_string_lossy()
                .replace('\\', "/");
            files.push((name, path));
        }
    }
}

// What follows writes each syntax-tree value as a Rust expression that builds it, with the
// short helpers `src/render/prebuilt.rs` defines (`s` for a String, `ws`, `expr`, `call`).

fn nodes(code: &mut String, nodes: &[Node]) {
    code.push_str("vec![");
    for node in nodes {
        self::node(code, node);
        code.push_str(", ");
    }
    code.push(']');
}

fn node(code: &mut String, node: &Node) {
    match node {
        Node::Super => code.push_str("Node::Super"),
        Node::Text(text) => write!(code, "Node::Text(s({text:?}))").expect("writing"),
        Node::VariableBlock(ws, value) => {
            write!(code, "Node::VariableBlock({}, ", self::ws(ws)).expect("writing");
            expr(code, value);
            code.push(')');
        }
        Node::Include(ws, names, ignore_missing) => {
            write!(code, "Node::Include({}, vec![", self::ws(ws)).expect("writing");
            for name in names {
                write!(code, "s({name:?}), ").expect("writing");
            }
            write!(code, "], {ignore_missing})").expect("writing");
        }
        Node::Set(ws, set) => {
            write!(
                code,
                "Node::Set({}, Set {{ key: s({:?}), global: {}, value: ",
                self::ws(ws),
                set.key,
                set.global
            )
            .expect("writing");
            expr(code, &set.value);
            code.push_str(" })");
        }
        Node::Raw(start, text, end) => write!(
            code,
            "Node::Raw({}, s({text:?}), {})",
            self::ws(start),
            self::ws(end)
        )
        .expect("writing"),
        Node::FilterSection(start, section, end) => {
            write!(
                code,
                "Node::FilterSection({}, FilterSection {{ filter: ",
                ws(start)
            )
            .expect("writing");
            call(code, &section.filter);
            code.push_str(", body: ");
            nodes(code, &section.body);
            write!(code, " }}, {})", ws(end)).expect("writing");
        }
        Node::Forloop(start, forloop, end) => {
            write!(code, "Node::Forloop({}, ", ws(start)).expect("writing");
            self::forloop(code, forloop);
            write!(code, ", {})", ws(end)).expect("writing");
        }
        Node::If(branches, end) => {
            code.push_str("Node::If(");
            self::branches(code, branches);
            write!(code, ", {})", ws(end)).expect("writing");
        }
        Node::Break(ws) => write!(code, "Node::Break({})", self::ws(ws)).expect("writing"),
        Node::Continue(ws) => write!(code, "Node::Continue({})", self::ws(ws)).expect("writing"),
        Node::Comment(ws, text) => {
            write!(code, "Node::Comment({}, s({text:?}))", self::ws(ws)).expect("writing")
        }
        Node::MacroDefinition(..) | Node::Extends(..) | Node::ImportMacro(..) | Node::Block(..) => {
            unreachable!("refused in main: templates compose with include only")
        }
    }
}

/// A `for` loop's parts: `Forloop { key, value, container, body, empty_body }`.
fn forloop(code: &mut String, forloop: &Forloop) {
    write!(
        code,
        "Forloop {{ key: {}, value: s({:?}), container: ",
        match &forloop.key {
            Some(key) => format!("Some(s({key:?}))"),
            None => "None".to_string(),
        },
        forloop.value
    )
    .expect("writing");
    expr(code, &forloop.container);
    code.push_str(", body: ");
    nodes(code, &forloop.body);
    code.push_str(", empty_body: ");
    match &forloop.empty_body {
        Some(body) => {
            code.push_str("Some(");
            nodes(code, body);
            code.push(')');
        }
        None => code.push_str("None"),
    }
    code.push_str(" }");
}

/// An `if`'s branches: `If { conditions, otherwise }`.
fn branches(code: &mut String, branches: &If) {
    code.push_str("If { conditions: vec![");
    for (ws, condition, body) in &branches.conditions {
        write!(code, "({}, ", self::ws(ws)).expect("writing");
        expr(code, condition);
        code.push_str(", ");
        nodes(code, body);
        code.push_str("), ");
    }
    code.push_str("], otherwise: ");
    match &branches.otherwise {
        Some((ws, body)) => {
            write!(code, "Some(({}, ", self::ws(ws)).expect("writing");
            nodes(code, body);
            code.push_str("))");
        }
        None => code.push_str("None"),
    }
    code.push_str(" }");
}

fn ws(ws: &WS) -> String {
    format!("ws({}, {})", ws.left, ws.right)
}

fn expr(code: &mut String, expr: &Expr) {
    code.push_str("expr(");
    value(code, &expr.val);
    write!(code, ", {}, vec![", expr.negated).expect("writing");
    for filter in &expr.filters {
        call(code, filter);
        code.push_str(", ");
    }
    code.push_str("])");
}

fn call(code: &mut String, call: &FunctionCall) {
    write!(code, "call({:?}, vec![", call.name).expect("writing");
    arguments(code, &call.args);
    code.push_str("])");
}

/// Named arguments, sorted so the generated code does not change from build to build.
fn arguments(code: &mut String, args: &HashMap<String, Expr>) {
    let mut sorted: Vec<_> = args.iter().collect();
    sorted.sort_by_key(|(name, _)| *name);
    for (name, value) in sorted {
        write!(code, "({name:?}, ").expect("writing");
        expr(code, value);
        code.push_str("), ");
    }
}

fn value(code: &mut String, value: &ExprVal) {
    match value {
        ExprVal::String(text) => write!(code, "ExprVal::String(s({text:?}))").expect("writing"),
        ExprVal::Int(int) => write!(code, "ExprVal::Int({int})").expect("writing"),
        ExprVal::Float(float) => write!(
            code,
            "ExprVal::Float(f64::from_bits({:#x}))",
            float.to_bits()
        )
        .expect("writing"),
        ExprVal::Bool(boolean) => write!(code, "ExprVal::Bool({boolean})").expect("writing"),
        ExprVal::Ident(name) => write!(code, "ExprVal::Ident(s({name:?}))").expect("writing"),
        ExprVal::Math(math) => {
            code.push_str("ExprVal::Math(MathExpr { lhs: Box::new(");
            expr(code, &math.lhs);
            code.push_str("), rhs: Box::new(");
            expr(code, &math.rhs);
            write!(code, "), operator: MathOperator::{:?} }})", math.operator).expect("writing");
        }
        ExprVal::Logic(logic) => {
            code.push_str("ExprVal::Logic(LogicExpr { lhs: Box::new(");
            expr(code, &logic.lhs);
            code.push_str("), rhs: Box::new(");
            expr(code, &logic.rhs);
            write!(code, "), operator: LogicOperator::{:?} }})", logic.operator).expect("writing");
        }
        ExprVal::Test(test) => {
            write!(
                code,
                "ExprVal::Test(Test {{ ident: s({:?}), negated: {}, name: s({:?}), args: vec![",
                test.ident, test.negated, test.name
            )
            .expect("writing");
            for arg in &test.args {
                expr(code, arg);
                code.push_str(", ");
            }
            code.push_str("] })");
        }
        ExprVal::MacroCall(call) => panic!(
            "a template calls the macro `{}::{}`: podsmith's prebuilt templates carry no macros",
            call.namespace, call.name
        ),
        ExprVal::FunctionCall(function) => {
            code.push_str("ExprVal::FunctionCall(");
            call(code, function);
            code.push(')');
        }
        ExprVal::Array(items) => {
            code.push_str("ExprVal::Array(vec![");
            for item in items {
                expr(code, item);
                code.push_str(", ");
            }
            code.push_str("])");
        }
        ExprVal::StringConcat(concat) => {
            code.push_str("ExprVal::StringConcat(StringConcat { values: vec![");
            for part in &concat.values {
                self::value(code, part);
                code.push_str(", ");
            }
            code.push_str("] })");
        }
        ExprVal::In(within) => {
            code.push_str("ExprVal::In(In { lhs: Box::new(");
            expr(code, &within.lhs);
            code.push_str("), rhs: Box::new(");
            expr(code, &within.rhs);
            write!(code, "), negated: {} }})", within.negated).expect("writing");
        }
    }
}
