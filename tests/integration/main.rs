//! Integration tests (modules added per feature).
