//! Field paths, spelled the way the API server spells them (see [`crate::yaml::path`], which
//! also finds where a path sits in a document's tree).

pub(super) use crate::yaml::path::{index, key, push_index, push_key};
