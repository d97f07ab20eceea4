//! Strict checks for a user's copy of the templates. tera renders a variable it does not know
//! as nothing in `{% if %}` and some filters, so a misspelled `startup_probe` would silently
//! drop a probe. Before rendering, each template of the copy must read exactly the variables
//! the built-in one reads: no unknown name, none left out.
//!
//! The variables a template reads are found by walking tera's syntax tree (including the
//! partials it includes), leaving out names it defines itself with `set`, `for` or a macro.

use std::collections::BTreeSet;

use tera::ast::{Expr, ExprVal, FunctionCall, Node};
use tera::Tera;

use crate::error::{Error, Result};

/// Checks that every template of `custom` reads the same variables as in `builtin`;
/// `overridden` (the templates the user's folder replaced) are checked first, so the error
/// names the user's own file where it can.
pub(super) fn same_variables(builtin: &Tera, custom: &Tera, overridden: &[String]) -> Result<()> {
    let mut names: Vec<&str> = overridden.iter().map(String::as_str).collect();
    let mut rest: Vec<&str> = builtin.get_template_names().collect();
    rest.sort_unstable();
    names.extend(rest);
    for name in names {
        let expected = variables(builtin, name)?;
        let found = variables(custom, name)?;
        let problem = match (
            found.difference(&expected).next(),
            expected.difference(&found).next(),
        ) {
            (Some(unknown), _) => format!(
                "unknown variable `{unknown}`; the template is given {}",
                join(&expected)
            ),
            (None, Some(left_out)) => {
                format!("leaves out the variable `{left_out}`, which the built-in template uses")
            }
            (None, None) => continue,
        };
        return Err(Error::Template {
            name: name.to_string(),
            message: problem,
        });
    }
    Ok(())
}

fn join(names: &BTreeSet<String>) -> String {
    names
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The context variables template `name` reads, with the fields it reads of them
/// (`security.run_as_user`), leaving out the names it defines itself.
pub(super) fn variables(tera: &Tera, name: &str) -> Result<BTreeSet<String>> {
    let mut walk = Walk::default();
    walk.template(tera, name)?;
    Ok(walk
        .used
        .iter()
        .filter(|path| !walk.defined.contains(root(path)))
        .cloned()
        .collect())
}

/// The variable a dotted path starts with.
fn root(path: &str) -> &str {
    path.split('.').next().unwrap_or(path)
}

/// What a walk over a template found: names used, names the template defines itself, and
/// the templates already walked.
#[derive(Default)]
struct Walk {
    used: BTreeSet<String>,
    defined: BTreeSet<String>,
    walked: BTreeSet<String>,
}

impl Walk {
    fn template(&mut self, tera: &Tera, name: &str) -> Result<()> {
        if !self.walked.insert(name.to_string()) {
            return Ok(());
        }
        let template = tera.get_template(name).map_err(|error| Error::Template {
            name: name.to_string(),
            message: error.to_string(),
        })?;
        self.nodes(tera, &template.ast)
    }

    fn nodes(&mut self, tera: &Tera, nodes: &[Node]) -> Result<()> {
        for node in nodes {
            match node {
                Node::VariableBlock(_, expr) => self.expr(expr),
                Node::Set(_, set) => {
                    self.defined.insert(set.key.clone());
                    self.expr(&set.value);
                }
                Node::Include(_, names, _) => {
                    for name in names {
                        self.template(tera, name)?;
                    }
                }
                Node::MacroDefinition(_, definition, _) => {
                    self.defined.extend(definition.args.keys().cloned());
                    self.nodes(tera, &definition.body)?;
                }
                Node::FilterSection(_, section, _) => {
                    self.call(&section.filter);
                    self.nodes(tera, &section.body)?;
                }
                Node::Block(_, block, _) => self.nodes(tera, &block.body)?,
                Node::Forloop(_, forloop, _) => {
                    self.defined.insert("loop".into());
                    self.defined.insert(forloop.value.clone());
                    self.defined.extend(forloop.key.clone());
                    self.expr(&forloop.container);
                    self.nodes(tera, &forloop.body)?;
                    if let Some(empty) = &forloop.empty_body {
                        self.nodes(tera, empty)?;
                    }
                }
                Node::If(branches, _) => {
                    for (_, condition, body) in &branches.conditions {
                        self.expr(condition);
                        self.nodes(tera, body)?;
                    }
                    if let Some((_, body)) = &branches.otherwise {
                        self.nodes(tera, body)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn expr(&mut self, expr: &Expr) {
        self.value(&expr.val);
        for filter in &expr.filters {
            self.call(filter);
        }
    }

    fn call(&mut self, call: &FunctionCall) {
        for arg in call.args.values() {
            self.expr(arg);
        }
    }

    fn value(&mut self, value: &ExprVal) {
        match value {
            ExprVal::Ident(name) => self.use_name(name),
            ExprVal::Math(math) => {
                self.expr(&math.lhs);
                self.expr(&math.rhs);
            }
            ExprVal::Logic(logic) => {
                self.expr(&logic.lhs);
                self.expr(&logic.rhs);
            }
            ExprVal::In(within) => {
                self.expr(&within.lhs);
                self.expr(&within.rhs);
            }
            ExprVal::Test(test) => {
                self.use_name(&test.ident);
                test.args.iter().for_each(|arg| self.expr(arg));
            }
            ExprVal::MacroCall(call) => call.args.values().for_each(|arg| self.expr(arg)),
            ExprVal::FunctionCall(call) => self.call(call),
            ExprVal::Array(items) => items.iter().for_each(|item| self.expr(item)),
            ExprVal::StringConcat(concat) => concat.values.iter().for_each(|v| self.value(v)),
            ExprVal::String(_) | ExprVal::Int(_) | ExprVal::Float(_) | ExprVal::Bool(_) => {}
        }
    }

    /// Records a variable with the fields read of it (`security.run_as_user`), up to an index.
    fn use_name(&mut self, name: &str) {
        let path = name.split('[').next().unwrap_or(name);
        self.used.insert(path.to_string());
    }
}
