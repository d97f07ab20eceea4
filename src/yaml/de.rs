//! Typed values from a [`Node`] tree, with every error of the document and its real place.
//!
//! [`from_tree`] is a serde `Deserializer` over the tree. It reads values as the API server does
//! once kubectl has turned the YAML into JSON: `null` leaves a field at its zero value, an
//! integral float (`1.0`, `1e3`) is an integer, a number is a `Quantity`, and nothing else is
//! coerced (`value: yes` into a string field is an error, as the server's decoder makes it).
//!
//! A value of the wrong type does not stop the parse: the error is recorded with its path and
//! span, the field gets its zero value, and reading goes on. An error raised deeper by a type's
//! own code (an `IntOrString` given a list, say) does stop it; that node is then treated as
//! absent and the document read again, so every error is still found (at most [`MAX_PASSES`]
//! reads).

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeOwned};

use super::node::{Node, Span};
use super::path;

mod access;
mod node;

use node::NodeDe;

/// The most times one document is read again after an error that stopped the parse.
pub(super) const MAX_PASSES: usize = 16;

/// What a typed parse found.
#[derive(Debug)]
pub(crate) struct Outcome<T> {
    /// The value, fields in error left at their zero value; `None` when the parse could not
    /// finish.
    pub(crate) value: Option<T>,
    /// Every error, in document order.
    pub(crate) errors: Vec<Issue>,
    /// YAML 1.1 readings that are valid but probably not what was meant, in document order.
    pub(crate) warnings: Vec<Issue>,
}

/// One problem, at one place.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Issue {
    /// The field path, e.g. `spec.containers[0].ports[0].containerPort`.
    pub(crate) path: String,
    /// Where the offending node is.
    pub(crate) span: Span,
    /// What kind of problem.
    pub(crate) kind: Kind,
    /// What is wrong, in serde's words.
    pub(crate) message: String,
}

/// The kinds of problem a caller may want to explain in its own words.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    /// A key the type does not have (types that deny unknown fields).
    UnknownField {
        /// The key.
        field: String,
        /// The keys the type has.
        expected: &'static [&'static str],
    },
    /// A value not among an enum's names.
    UnknownVariant {
        /// The value.
        variant: String,
        /// The names.
        expected: &'static [&'static str],
    },
    /// A required field that is absent.
    MissingField(&'static str),
    /// Anything else: a wrong type, an invalid value.
    Other,
}

/// Reads `T` from the tree under `root`; `source` is the text the spans point into.
pub(crate) fn from_tree<T: DeserializeOwned>(root: &Node, source: &str) -> Outcome<T> {
    let context = Context {
        source,
        recorded: RefCell::new(Vec::new()),
        warnings: RefCell::new(Vec::new()),
        absent: RefCell::new(Vec::new()),
        stopped_at: RefCell::new(None),
    };
    let mut stopping = Vec::new();
    for _ in 0..MAX_PASSES {
        context.recorded.borrow_mut().clear();
        context.warnings.borrow_mut().clear();
        let root_path = Path::ROOT;
        let result = T::deserialize(NodeDe {
            node: root,
            path: &root_path,
            context: &context,
        });
        match result {
            Ok(value) => return context.outcome(Some(value), stopping),
            Err(error) => {
                let (node, issue) = match context.stopped_at.borrow_mut().take() {
                    Some(found) => found,
                    None => (root as *const Node, error.at(&root_path, root.span)),
                };
                let again = context.absent.borrow().contains(&node);
                stopping.push(issue);
                if again {
                    break;
                }
                context.absent.borrow_mut().push(node);
            }
        }
    }
    context.outcome(None, stopping)
}

struct Context<'s> {
    source: &'s str,
    /// Errors recovered from in this pass.
    recorded: RefCell<Vec<Issue>>,
    warnings: RefCell<Vec<Issue>>,
    /// Nodes whose errors stopped an earlier pass, read as absent from then on.
    absent: RefCell<Vec<*const Node>>,
    /// The node at which an error stopped this pass, and the error.
    stopped_at: RefCell<Option<(*const Node, Issue)>>,
}

impl Context<'_> {
    fn outcome<T>(&self, value: Option<T>, stopping: Vec<Issue>) -> Outcome<T> {
        let (errors, warnings) = self.issues(stopping);
        Outcome {
            value,
            errors,
            warnings,
        }
    }

    /// The errors and warnings in text order. Kept out of the generic `outcome`: a sort there is
    /// compiled again for every type read, which made up 1.4 MB of the binary.
    fn issues(&self, stopping: Vec<Issue>) -> (Vec<Issue>, Vec<Issue>) {
        let mut errors = stopping;
        errors.append(&mut self.recorded.borrow_mut());
        errors.sort_by_key(|issue| issue.span.start);
        errors.dedup();
        let mut warnings = std::mem::take(&mut *self.warnings.borrow_mut());
        warnings.sort_by_key(|issue| issue.span.start);
        (errors, warnings)
    }

    fn is_absent(&self, node: &Node) -> bool {
        let absent = self.absent.borrow();
        !absent.is_empty() && absent.contains(&(node as *const Node))
    }

    /// The text a node was written as.
    fn written<'n>(&'n self, node: &'n Node) -> &'n str {
        self.source
            .get(node.span.start..node.span.end)
            .unwrap_or("")
    }

    fn record(&self, path: &Path, span: Span, message: String) {
        self.recorded.borrow_mut().push(Issue {
            path: path.spell(),
            span,
            kind: Kind::Other,
            message,
        });
    }

    fn warn(&self, path: &Path, span: Span, message: String) {
        self.warnings.borrow_mut().push(Issue {
            path: path.spell(),
            span,
            kind: Kind::Other,
            message,
        });
    }

    /// Notes where an error that stops the parse happened, the first time it passes a node.
    fn stop(&self, mut error: Error, node: &Node, path: &Path) -> Error {
        if !error.placed {
            error.placed = true;
            *self.stopped_at.borrow_mut() = Some((node, error.at(path, node.span)));
        }
        error
    }
}

/// The path to a node, as a chain through the stack (spelled only when an issue needs it).
#[derive(Clone, Copy)]
struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    step: Step<'a>,
}

#[derive(Clone, Copy)]
enum Step<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl<'a> Path<'a> {
    const ROOT: Path<'static> = Path {
        parent: None,
        step: Step::Root,
    };

    fn spell(&self) -> String {
        let mut steps = Vec::new();
        let mut at = Some(self);
        while let Some(path) = at {
            steps.push(path.step);
            at = path.parent;
        }
        let mut out = String::new();
        for step in steps.iter().rev() {
            match step {
                Step::Root => {}
                Step::Key(key) => path::push_key(&mut out, key),
                Step::Index(index) => path::push_index(&mut out, *index),
            }
        }
        out
    }

    /// The key this node is the value of, if any.
    fn field(&self) -> Option<&'a str> {
        match self.step {
            Step::Key(key) => Some(key),
            _ => None,
        }
    }
}

/// serde's error for this deserializer: the message, its kind, and whether it has been placed.
#[derive(Debug)]
pub(super) struct Error {
    kind: Kind,
    message: String,
    placed: bool,
}

impl Error {
    fn at(&self, path: &Path, span: Span) -> Issue {
        Issue {
            path: path.spell(),
            span,
            kind: self.kind.clone(),
            message: self.message.clone(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error {
            kind: Kind::Other,
            message: message.to_string(),
            placed: false,
        }
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Error {
            kind: Kind::UnknownField {
                field: field.to_string(),
                expected,
            },
            message: format!("unknown field `{}`", super::shorten(field)),
            placed: false,
        }
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Error {
            kind: Kind::UnknownVariant {
                variant: variant.to_string(),
                expected,
            },
            message: format!("unknown variant `{}`", super::shorten(variant)),
            placed: false,
        }
    }

    fn missing_field(field: &'static str) -> Self {
        Error {
            kind: Kind::MissingField(field),
            message: format!("missing field `{field}`"),
            placed: false,
        }
    }
}
