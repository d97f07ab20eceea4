//! Integration tests (modules added per feature).

mod spec_file;
mod wizard;
