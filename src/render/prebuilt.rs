//! The built-in templates' syntax trees, rebuilt from code that `build.rs` writes after
//! parsing each template with tera at build time. Rebuilding a tree takes a small fraction of
//! what tera's parser takes for the same text, which was most of what `podsmith new` spent.
//! A user's copy of the templates (`--templates DIR`) is still parsed at run time.

use std::collections::HashMap;

use tera::ast::{Expr, ExprVal, FunctionCall, WS};
use tera::Template;

mod generated {
    use super::{call, expr, s, ws};
    // The syntax a template set does not use is left unnamed by the generated code.
    #[allow(unused_imports)]
    use tera::ast::{
        ExprVal, FilterSection, Forloop, If, In, LogicExpr, LogicOperator, MathExpr, MathOperator,
        Node, Set, StringConcat, Test,
    };
    include!(concat!(env!("OUT_DIR"), "/prebuilt_templates.rs"));
}

/// The built-in template `name`, ready to render, if there is one.
pub(super) fn template(name: &str) -> Option<Template> {
    let index = generated::TEMPLATES
        .binary_search_by_key(&name, |(known, _)| known)
        .ok()?;
    let (name, build) = generated::TEMPLATES[index];
    Some(Template {
        name: name.to_string(),
        path: None,
        ast: build(),
        from_extend: false,
        macros: HashMap::new(),
        imported_macro_files: Vec::new(),
        parent: None,
        blocks: HashMap::new(),
        parents: Vec::new(),
        blocks_definitions: HashMap::new(),
    })
}

fn s(text: &str) -> String {
    text.to_string()
}

fn ws(left: bool, right: bool) -> WS {
    WS { left, right }
}

fn expr(val: ExprVal, negated: bool, filters: Vec<FunctionCall>) -> Expr {
    Expr {
        val,
        negated,
        filters,
    }
}

fn call(name: &str, args: Vec<(&str, Expr)>) -> FunctionCall {
    FunctionCall {
        name: name.to_string(),
        args: args
            .into_iter()
            .map(|(name, value)| (name.to_string(), value))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_prebuilt_tree_is_what_tera_parses_from_the_shipped_text() {
        let files = super::super::embedded::files();
        assert_eq!(files.len(), generated::TEMPLATES.len());
        for (name, text) in files {
            let parsed = Template::new(&name, None, text).expect("a built-in template parses");
            let prebuilt = template(&name).expect("a prebuilt tree for every template");
            assert_eq!(prebuilt.name, parsed.name);
            assert_eq!(prebuilt.ast, parsed.ast, "{name}");
            assert!(parsed.blocks.is_empty() && parsed.macros.is_empty());
            assert!(parsed.parent.is_none() && parsed.imported_macro_files.is_empty());
        }
        assert!(template("no/such.yaml.tera").is_none());
    }
}
