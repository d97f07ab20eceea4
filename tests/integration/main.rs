//! Integration tests (modules added per feature).
mod validate;
